import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { isRecord } from '../../../lib/events/schema.ts';
import { emailRouteResources, MAX_ROUTES_BYTES, routeSecretStatements, routesEnvironment } from '../../../infra/routes.ts';
import { compileRoutes } from '../../../lib/routing/config.ts';
import { RoutesFileError } from '../../../lib/routing/errors.ts';
import { parseRoutesFile } from '../../../lib/routing/routes-file.ts';

const SERVICE_DIR = fileURLToPath(new URL('../../../', import.meta.url));
const EXAMPLE = 'infra/routes.example.yml';
const EXAMPLE_TEXT = readFileSync(join(SERVICE_DIR, EXAMPLE), 'utf8');

type ResolverName = 'routes' | 'emailRouteResources' | 'routeSecretStatements' | 'routeSecretsNeeded';
type Outcome = { value: unknown } | { error: { class: string; message: string } };

/**
 * Calls resolvers of infra/variables.cjs as osls does: in plain Node (CommonJS, the TypeScript loaded through tsx),
 * with a `resolveVariable` that answers `param:routes`. In a child process, so that the second copy of lib/routing tsx
 * loads does not blur this process's coverage of the first.
 */
async function resolveAll(calls: { resolver: ResolverName; routes: string | null; alertEmail?: string }[]): Promise<Outcome[]> {
  const script = `
    const variables = require(process.argv[1]);
    const calls = JSON.parse(process.argv[2]);
    (async () => {
      const outcomes = [];
      for (const { resolver, routes, alertEmail } of calls) {
        try {
          const params = { 'param:routes': routes, 'param:alertEmail': alertEmail ?? null };
          outcomes.push({ value: await variables[resolver]({ options: {}, resolveVariable: async (name) => params[name] ?? null }) });
        } catch (error) {
          outcomes.push({ error: { class: error.constructor.name, message: error.message } });
        }
      }
      process.stdout.write(JSON.stringify(outcomes));
    })();`;
  const { stdout } = await promisify(execFile)(process.execPath, ['-e', script, join(SERVICE_DIR, 'infra/variables.cjs'), JSON.stringify(calls)], { cwd: SERVICE_DIR, timeout: 60_000 });
  const outcomes: unknown = JSON.parse(stdout);
  if (!Array.isArray(outcomes)) throw new Error(`unexpected output: ${stdout}`);
  return outcomes.map((outcome: unknown) => {
    if (isRecord(outcome) && 'value' in outcome) return { value: outcome.value };
    if (isRecord(outcome) && isRecord(outcome.error)) return { error: { class: String(outcome.error.class), message: String(outcome.error.message) } };
    throw new Error(`unexpected outcome: ${JSON.stringify(outcome)}`);
  });
}

const scratch = mkdtempSync(join(tmpdir(), 'routes-test-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

function scratchFile(name: string, text: string): string {
  const path = join(scratch, name);
  writeFileSync(path, text);
  return path;
}

const BAD = scratchFile('bad.yml', 'destinations:\n  ops: { type: slack, webhook: { parameter: /ecs/slack } }\ndefault: [opz]\n');
const TAGS = scratchFile('tags.yml', 'destinations:\n  mail: { type: email, address: a@example.com }\nroutes:\n  - { name: team, match: { tags: { team: x } }, to: mail }\ndefault: []\n');
const CALLS = {
  example: { resolver: 'routes', routes: EXAMPLE },
  none: { resolver: 'routes', routes: '' },
  unset: { resolver: 'routes', routes: null },
  bad: { resolver: 'routes', routes: BAD },
  missing: { resolver: 'routes', routes: 'infra/no-such-routes.yml' },
  badEmail: { resolver: 'emailRouteResources', routes: BAD },
  badStatements: { resolver: 'routeSecretStatements', routes: BAD },
  tags: { resolver: 'routes', routes: TAGS },
  tagsEmail: { resolver: 'emailRouteResources', routes: TAGS },
  exampleEmail: { resolver: 'emailRouteResources', routes: EXAMPLE },
  noneEmail: { resolver: 'emailRouteResources', routes: '' },
  exampleStatements: { resolver: 'routeSecretStatements', routes: EXAMPLE },
  noneStatements: { resolver: 'routeSecretStatements', routes: '' },
  exampleSecretsNeeded: { resolver: 'routeSecretsNeeded', routes: EXAMPLE },
  noneSecretsNeeded: { resolver: 'routeSecretsNeeded', routes: '' },
  sameEmail: { resolver: 'emailRouteResources', routes: EXAMPLE, alertEmail: 'Payments-Oncall@example.com' },
  otherEmail: { resolver: 'emailRouteResources', routes: EXAMPLE, alertEmail: 'oncall@example.com' },
} as const satisfies Record<string, { resolver: ResolverName; routes: string | null; alertEmail?: string }>;
type CallName = keyof typeof CALLS;

const outcomes = new Map<string, Outcome>();
beforeAll(async () => {
  const entries = Object.entries(CALLS);
  const results = await resolveAll(entries.map(([, call]) => call));
  entries.forEach(([name], index) => {
    const outcome = results[index];
    if (outcome !== undefined) outcomes.set(name, outcome);
  });
});

function value(name: CallName): unknown {
  const outcome = outcomes.get(name);
  if (outcome === undefined || 'error' in outcome) throw new Error(`${name} failed: ${outcome === undefined ? 'not run' : outcome.error.message}`);
  return outcome.value;
}

function failure(name: CallName): { class: string; message: string } {
  const outcome = outcomes.get(name);
  if (outcome === undefined || !('error' in outcome)) throw new Error(`${name} did not fail`);
  return outcome.error;
}

describe('infra/variables.cjs routes', () => {
  it('resolves ALERT_ROUTES to the compact JSON of the routes file, relative to serverless.yml', () => {
    expect(value('example')).toBe(compileRoutes(parseRoutesFile(EXAMPLE_TEXT, EXAMPLE)));
  });

  it('resolves to the empty string without a routes file', () => {
    expect(value('none')).toBe('');
    expect(value('unset')).toBe('');
  });

  it('fails the command with the file, line and reason, as the ServerlessError osls passes on unchanged', () => {
    expect(failure('bad')).toEqual({
      class: 'ServerlessError',
      message: `Cannot resolve variable at "--param routes=${BAD}": the routes file cannot be used:\n${BAD}:3:11: unknown destination "opz" (did you mean "ops"?); the destinations are ops`,
    });
    expect(failure('missing').message).toBe(
      `Cannot resolve variable at "--param routes=infra/no-such-routes.yml": the routes file cannot be used:\ninfra/no-such-routes.yml: no such file (looked for ${join(SERVICE_DIR, 'infra/no-such-routes.yml')})`,
    );
  });

  it('lists the problems once: the other variables of a bad file point to ALERT_ROUTES, unless only they find a problem', () => {
    for (const name of ['badEmail', 'badStatements'] as const) {
      expect(failure(name)).toEqual({ class: 'ServerlessError', message: `Cannot resolve variable at "--param routes=${BAD}": the routes file cannot be used (its problems are listed with ALERT_ROUTES)` });
    }
    expect(value('tags')).toContain('"tags"');
    expect(failure('tagsEmail').message).toBe(
      `Cannot resolve variable at "--param routes=${TAGS}": the routes file cannot be used:\n${TAGS}:4:53: email destination "mail" in route "team" cannot use a tags condition: SNS filters email on message attributes only, and tags are not among them (lib/notify/sns-message.ts)`,
    );
  });

  it('resolves the email subscriptions and the secret-reading statements of the routes file', () => {
    const resources = emailRouteResources({ file: EXAMPLE, serviceDir: SERVICE_DIR });
    expect(Object.values(resources).map((resource) => resource.Properties.Endpoint)).toEqual(['payments-oncall@example.com']);
    expect(value('otherEmail')).toEqual(resources);
    expect(failure('sameEmail')).toEqual({
      class: 'ServerlessError',
      message: `Cannot resolve variable at "--param routes=${EXAMPLE}": payments-oncall@example.com is both --param alertEmail and an email destination of the routes file; keep one`,
    });
    expect([value('exampleSecretsNeeded'), value('noneSecretsNeeded')]).toEqual(['true', 'false']);
    expect(value('exampleEmail')).toEqual(resources);
    expect(value('noneEmail')).toEqual({});
    expect(value('exampleStatements')).toEqual([
      {
        Effect: 'Allow',
        Action: 'ssm:GetParameter',
        Resource: [
          { 'Fn::Sub': 'arn:${AWS::Partition}:ssm:${AWS::Region}:${AWS::AccountId}:parameter/ecs-notifier/pagerduty/payments' },
          { 'Fn::Sub': 'arn:${AWS::Partition}:ssm:${AWS::Region}:${AWS::AccountId}:parameter/ecs-notifier/slack/payments' },
        ],
      },
      {
        Effect: 'Allow',
        Action: 'secretsmanager:GetSecretValue',
        Resource: [
          { 'Fn::Sub': 'arn:${AWS::Partition}:secretsmanager:${AWS::Region}:${AWS::AccountId}:secret:ecs-notifier/slack-bot-??????' },
          { 'Fn::Sub': 'arn:${AWS::Partition}:secretsmanager:${AWS::Region}:${AWS::AccountId}:secret:ecs-notifier/teams-platform-??????' },
        ],
      },
    ]);
    expect(value('noneStatements')).toEqual([]);
  });
});

describe('routesEnvironment', () => {
  const inputs = (text: string) => ({ file: 'routes.yml', serviceDir: '/service', readFile: () => text });

  it('returns the warnings of the file along with its JSON', () => {
    const { value, warnings } = routesEnvironment(inputs('destinations:\n  a: { type: email, address: a@example.com }\n  b: { type: email, address: b@example.com }\ndefault: a\n'));
    expect(JSON.parse(value)).toEqual({ destinations: { a: { type: 'email', address: 'a@example.com' }, b: { type: 'email', address: 'b@example.com' } }, routes: [], default: ['a'] });
    expect(warnings).toEqual(['routes.yml:3:3: warning: destination "b" is not used by any route nor by default']);
  });

  it('refuses routes whose JSON would not leave room for the other environment variables, saying how to shorten them', () => {
    const routes = Array.from({ length: 60 }, (_, index) => `  - { name: route number ${index}, match: { service: service-${index} }, to: ops }`).join('\n');
    const text = `destinations:\n  ops: { type: email, address: ops@example.com }\nroutes:\n${routes}\ndefault: ops\n`;
    let error: unknown;
    try {
      routesEnvironment(inputs(text));
    } catch (caught) {
      error = caught;
    }
    expect(error).toBeInstanceOf(RoutesFileError);
    const message = error instanceof Error ? error.message : '';
    expect(message).toMatch(new RegExp(`^routes\\.yml: compiles to \\d+ bytes of JSON for ALERT_ROUTES, more than the ${MAX_ROUTES_BYTES} this stack allows it: Lambda holds at most 4 KB`));
    expect(message).toContain('merge routes that go to the same destinations');
    const fitting = Array.from({ length: 20 }, (_, index) => `  - { name: r${index}, match: { service: s${index} }, to: ops }`).join('\n');
    expect(routesEnvironment(inputs(`destinations:\n  ops: { type: email, address: ops@example.com }\nroutes:\n${fitting}\ndefault: ops\n`)).value.length).toBeLessThanOrEqual(MAX_ROUTES_BYTES);
  });

  it('reads the file from the service directory, or from an absolute path', () => {
    const read: string[] = [];
    const text = 'destinations: { a: { type: email, address: a@example.com } }\ndefault: a\n';
    routesEnvironment({ file: 'infra/routes.yml', serviceDir: '/service', readFile: (path) => (read.push(path), text) });
    routesEnvironment({ file: '/etc/routes.yml', serviceDir: '/service', readFile: (path) => (read.push(path), text) });
    expect(read).toEqual(['/service/infra/routes.yml', '/etc/routes.yml']);
    expect(emailRouteResources({ file: ' ', serviceDir: '/service' })).toEqual({});
    expect(routeSecretStatements({ file: 'r.yml', serviceDir: '/service', readFile: () => text })).toEqual([]);
  });
});
