import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));

export interface Resource {
  Type: string;
  Condition?: string;
  Properties: Record<string, unknown>;
}

export interface Template {
  Parameters?: Record<string, unknown>;
  Resources: Record<string, Resource>;
  Conditions?: Record<string, unknown>;
  Outputs?: Record<string, unknown>;
}

export interface Packaged {
  template: Template;
  /** Where the zips are. */
  dir: string;
  /** The Region serverless packaged for (serverless-state.json). */
  region: string;
  /** What the command printed: warnings, the Region line. */
  output: string;
}

export interface ServerlessRun {
  /** The exit code; 0 when the command succeeded. */
  code: number;
  /** Standard output and standard error together, as a user sees them. */
  output: string;
}

/** The environment of a run with no credentials and no profile, as in CI: packaging must not need them. */
function offlineEnv(env: Record<string, string>): NodeJS.ProcessEnv {
  return {
    ...process.env,
    AWS_ACCESS_KEY_ID: '',
    AWS_SECRET_ACCESS_KEY: '',
    AWS_PROFILE: '',
    AWS_REGION: '',
    AWS_DEFAULT_REGION: '',
    // A config file that does not exist, so the machine's own ~/.aws/config never decides a Region here.
    AWS_CONFIG_FILE: join(ROOT, 'no-such-aws-config'),
    SLS_TELEMETRY_DISABLED: '1',
    ...env,
  };
}

function paramArgs(params: Record<string, string>): string[] {
  return Object.entries(params).flatMap(([name, value]) => ['--param', `${name}=${value}`]);
}

/** Runs `npx serverless <args>` in the repository, offline, and resolves with its exit code and output (never rejects on a failed command). */
export async function runServerless(args: string[], env: Record<string, string> = {}): Promise<ServerlessRun> {
  try {
    const { stdout, stderr } = await promisify(execFile)('npx', ['serverless', ...args], { cwd: ROOT, env: offlineEnv(env), timeout: 120_000, maxBuffer: 16 * 1024 * 1024 });
    return { code: 0, output: `${stdout}${stderr}` };
  } catch (error) {
    const failed = error as { code?: unknown; stdout?: string; stderr?: string };
    return { code: typeof failed.code === 'number' ? failed.code : 1, output: `${failed.stdout ?? ''}${failed.stderr ?? ''}` };
  }
}

/**
 * Runs `serverless package` as CI does (offline, no credentials) into a temporary folder, for `--region eu-west-1`
 * unless `env` names a Region another way, with `--param` values, and reads the CloudFormation template it wrote.
 */
export async function packageService(params: Record<string, string> = {}, options: { region?: string | null; env?: Record<string, string> } = {}): Promise<Packaged> {
  const dir = mkdtempSync(join(tmpdir(), 'sls-package-'));
  const region = options.region === undefined ? 'eu-west-1' : options.region;
  const args = ['package', '--package', dir, ...(region === null ? [] : ['--region', region]), ...paramArgs(params)];
  const run = await runServerless(args, options.env);
  if (run.code !== 0) throw new Error(`serverless ${args.join(' ')} failed:\n${run.output}`);
  const template = JSON.parse(readFileSync(join(dir, 'cloudformation-template-update-stack.json'), 'utf8')) as Template;
  const state = JSON.parse(readFileSync(join(dir, 'serverless-state.json'), 'utf8')) as { service: { provider: { region: string } } };
  return { template, dir, region: state.service.provider.region, output: run.output };
}

/** The resources of one type, by logical id. */
export function resourcesOf(template: Template, type: string): [string, Resource][] {
  return Object.entries(template.Resources).filter(([, resource]) => resource.Type === type);
}

export interface Statement {
  Effect: string;
  Action: string | string[];
  Resource: unknown;
}

/** Every statement of a role's inline policies. */
export function statementsOf(role: Resource): Statement[] {
  const policies = (role.Properties.Policies ?? []) as { PolicyDocument: { Statement: Statement[] } }[];
  return policies.flatMap((policy) => policy.PolicyDocument.Statement);
}

export function actionsOf(statement: Statement): string[] {
  return Array.isArray(statement.Action) ? statement.Action : [statement.Action];
}
