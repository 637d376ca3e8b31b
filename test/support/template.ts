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
  Resources: Record<string, Resource>;
  Conditions?: Record<string, unknown>;
  Outputs?: Record<string, unknown>;
}

export interface Packaged {
  template: Template;
  /** Where the zips are. */
  dir: string;
}

/**
 * Runs `serverless package` as CI does (offline, no credentials) into a temporary folder, with `--param` values,
 * and reads the CloudFormation template it wrote.
 */
export async function packageService(params: Record<string, string> = {}): Promise<Packaged> {
  const dir = mkdtempSync(join(tmpdir(), 'sls-package-'));
  const args = ['serverless', 'package', '--package', dir, ...Object.entries(params).flatMap(([name, value]) => ['--param', `${name}=${value}`])];
  await promisify(execFile)('npx', args, {
    cwd: ROOT,
    // No credentials and no profile: packaging must not need them.
    env: { ...process.env, AWS_ACCESS_KEY_ID: '', AWS_SECRET_ACCESS_KEY: '', AWS_PROFILE: '', SLS_TELEMETRY_DISABLED: '1' },
    timeout: 120_000,
    maxBuffer: 16 * 1024 * 1024,
  });
  const template = JSON.parse(readFileSync(join(dir, 'cloudformation-template-update-stack.json'), 'utf8')) as Template;
  return { template, dir };
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
