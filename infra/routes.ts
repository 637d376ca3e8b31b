import { readFileSync } from 'node:fs';
import { isAbsolute, resolve } from 'node:path';
import { compileRoutes } from '../lib/routing/config.ts';
import { emailSubscriptions, type EmailSubscriptionResource } from '../lib/routing/email-subscriptions.ts';
import { RoutesFileError } from '../lib/routing/errors.ts';
import { type ParsedRoutes, readRoutesFile } from '../lib/routing/routes-file.ts';
import { slackSecretResource } from './parameters.ts';

/**
 * The routes file at package time (`--param routes=infra/routes.yml`): what serverless.yml takes from it through
 * infra/variables.cjs. Any problem fails `serverless package` with the file, the line and the reason.
 */

/**
 * The most bytes the compiled routes may take in ALERT_ROUTES. Lambda allows 4 KB for all of a function's
 * environment variables together, names included ("Function environment variables: 4 KB",
 * https://docs.aws.amazon.com/lambda/latest/dg/gettingstarted-limits.html); the rest is left to the others.
 */
export const MAX_ROUTES_BYTES = 3_072;

export interface RoutesInputs {
  /** The `routes` parameter: a path relative to serverless.yml, or '' for no routes file. */
  file: string;
  /** The directory of serverless.yml. */
  serviceDir: string;
  readFile?: (path: string) => string;
}

/** The routes file read and checked, or null when no file is given. */
export function loadRoutes(inputs: RoutesInputs): ParsedRoutes | null {
  const file = inputs.file.trim();
  if (file === '') return null;
  const path = isAbsolute(file) ? file : resolve(inputs.serviceDir, file);
  let text: string;
  try {
    text = (inputs.readFile ?? ((at) => readFileSync(at, 'utf8')))(path);
  } catch (error) {
    const code = error instanceof Error && 'code' in error && typeof error.code === 'string' ? error.code : null;
    const reason = code === 'ENOENT' ? `no such file (looked for ${path})` : `cannot be read (${code ?? (error instanceof Error ? error.message : String(error))})`;
    throw new RoutesFileError(file, [{ path: [], position: null, reason }], { cause: error });
  }
  return readRoutesFile(text, file);
}

/**
 * The value of ALERT_ROUTES: the routes compiled to compact JSON ('' without a routes file, where the delivery
 * function falls back to `defaultRouting()`), and the file's warnings.
 *
 * @example routesEnvironment({ file: 'infra/routes.yml', serviceDir: process.cwd() }).value // '{"destinations":{…},…}'
 */
export function routesEnvironment(inputs: RoutesInputs): { value: string; warnings: string[] } {
  const parsed = loadRoutes(inputs);
  if (parsed === null) return { value: '', warnings: [] };
  const value = compileRoutes(parsed.config);
  const bytes = Buffer.byteLength(value, 'utf8');
  if (bytes > MAX_ROUTES_BYTES) {
    const reason =
      `compiles to ${bytes} bytes of JSON for ALERT_ROUTES, more than the ${MAX_ROUTES_BYTES} this stack allows it: Lambda ` +
      'holds at most 4 KB of environment variables per function. Shorten it: merge routes that go to the same destinations, ' +
      'use shorter route and destination names, a glob for several categories (placement_failure*), or shorter ' +
      'parameter and secret names';
    throw new RoutesFileError(parsed.file, [{ path: [], position: null, reason }]);
  }
  return { value, warnings: parsed.warnings };
}

/**
 * The email subscriptions the routes ask for (`emailSubscriptions`), as template resources; none without a routes
 * file or without email destinations.
 */
export function emailRouteResources(inputs: RoutesInputs, topicRef: unknown = { Ref: 'AlertTopic' }): Record<string, EmailSubscriptionResource> {
  const parsed = loadRoutes(inputs);
  return parsed === null ? {} : emailSubscriptions(parsed.config, topicRef, parsed);
}

export interface IamStatement {
  Effect: 'Allow';
  Action: string;
  Resource: { 'Fn::Sub': string }[];
}

/**
 * What the delivery function's role must read to deliver: `ssm:GetParameter` on exactly the parameters the
 * destinations name and `secretsmanager:GetSecretValue` on exactly their secrets (a secret name matches the ARN
 * Secrets Manager gives it, `name-??????`; see `slackSecretResource`). Empty without a routes file.
 */
export function routeSecretStatements(inputs: RoutesInputs): IamStatement[] {
  const parsed = loadRoutes(inputs);
  if (parsed === null) return [];
  const parameters = new Set<string>();
  const secrets = new Set<string>();
  for (const destination of Object.values(parsed.config.destinations)) {
    const ref = destination.type === 'slack' ? ('webhook' in destination ? destination.webhook : destination.token) : destination.type === 'teams' ? destination.webhook : destination.type === 'pagerduty' ? destination.routingKey : null;
    if (ref === null) continue;
    if ('parameter' in ref) parameters.add(ref.parameter);
    else secrets.add(ref.secret);
  }
  const statements: IamStatement[] = [];
  if (parameters.size > 0) {
    statements.push({
      Effect: 'Allow',
      Action: 'ssm:GetParameter',
      Resource: [...parameters].sort().map((name) => ({ 'Fn::Sub': `arn:\${AWS::Partition}:ssm:\${AWS::Region}:\${AWS::AccountId}:parameter${name}` })),
    });
  }
  if (secrets.size > 0) {
    statements.push({ Effect: 'Allow', Action: 'secretsmanager:GetSecretValue', Resource: [...secrets].sort().map((secret) => ({ 'Fn::Sub': slackSecretResource(secret) })) });
  }
  return statements;
}
