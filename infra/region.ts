import { readFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';

/** Where the deployment's Region came from, for the line `serverless package` prints. */
export type RegionSource = '--region' | 'AWS_REGION' | 'AWS_DEFAULT_REGION' | 'profile';

export interface ResolvedRegion {
  region: string;
  source: RegionSource;
}

const REGION = /^[a-z]{2}(-[a-z]+)+-\d$/;

export interface RegionInputs {
  /** `--region` */
  option?: unknown;
  env: Record<string, string | undefined>;
  /** `--aws-profile` */
  profileOption?: unknown;
  /** The text of the shared config file; read from AWS_CONFIG_FILE or ~/.aws/config when absent. */
  readConfig?: (path: string) => string | null;
}

function text(value: unknown): string {
  return typeof value === 'string' ? value.trim() : '';
}

function readIfThere(path: string): string | null {
  try {
    return readFileSync(path, 'utf8');
  } catch {
    return null;
  }
}

/**
 * The `region` of a profile in an AWS shared config file: `[default]`, or `[profile NAME]` for another one (the
 * config file's own convention; the credentials file never holds Regions).
 */
export function profileRegion(config: string, profile: string): string | null {
  const section = profile === 'default' ? /^\[\s*(profile\s+)?default\s*\]$/ : new RegExp(`^\\[\\s*profile\\s+${profile.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}\\s*\\]$`);
  let inSection = false;
  for (const raw of config.split(/\r?\n/)) {
    const line = raw.trim();
    if (line.startsWith('[')) {
      inSection = section.test(line);
      continue;
    }
    if (!inSection) continue;
    const match = /^region\s*=\s*(\S+)/.exec(line);
    if (match?.[1] !== undefined) return match[1];
  }
  return null;
}

/**
 * The Region to deploy to, as the AWS CLI and SDKs choose it: `--region`, else `AWS_REGION`, else
 * `AWS_DEFAULT_REGION`, else the `region` of the profile in use (`--aws-profile`, else `AWS_PROFILE`, else
 * `default`). Null when none is set: EventBridge rules are regional, so a guessed Region would deploy a stack that
 * never sees an event.
 */
export function resolveRegion(inputs: RegionInputs): ResolvedRegion | null {
  const option = text(inputs.option);
  if (option !== '') return { region: option, source: '--region' };
  const fromEnv = text(inputs.env.AWS_REGION);
  if (fromEnv !== '') return { region: fromEnv, source: 'AWS_REGION' };
  const fromDefault = text(inputs.env.AWS_DEFAULT_REGION);
  if (fromDefault !== '') return { region: fromDefault, source: 'AWS_DEFAULT_REGION' };
  const profile = text(inputs.profileOption) || text(inputs.env.AWS_PROFILE) || 'default';
  const configPath = text(inputs.env.AWS_CONFIG_FILE) || join(homedir(), '.aws', 'config');
  const config = (inputs.readConfig ?? readIfThere)(configPath);
  const fromProfile = config === null ? null : profileRegion(config, profile);
  return fromProfile === null ? null : { region: fromProfile, source: 'profile' };
}

/** Null when `region` looks like an AWS Region code (eu-west-1, us-gov-west-1), else the problem in one line. */
export function regionProblem(region: string): string | null {
  return REGION.test(region) ? null : `the Region ${JSON.stringify(region)} is not an AWS Region code such as eu-west-1`;
}

export const NO_REGION =
  'No AWS Region given: EventBridge rules only see the events of their own Region, so the stack must go where your ECS clusters run. ' +
  'Pass --region (e.g. --region eu-west-1), or set AWS_REGION, or set region in your AWS profile.';
