import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { RoutesFileError } from '../../../lib/routing/errors.ts';
import { parseRoutesFile, readRoutesFile } from '../../../lib/routing/routes-file.ts';

const EXAMPLE = new URL('../../../infra/routes.example.yml', import.meta.url);

/** The lines of the RoutesFileError reading `text` throws. */
function problems(text: string, file = 'infra/routes.yml'): string[] {
  try {
    readRoutesFile(text, file);
  } catch (error) {
    if (error instanceof RoutesFileError) return error.message.split('\n');
    throw error;
  }
  throw new Error('the file was accepted');
}

const DESTINATIONS = `destinations:
  ops: { type: slack, webhook: { parameter: /ecs/slack/ops } }
  mail: { type: email, address: oncall@example.com }
`;

describe('parseRoutesFile', () => {
  it('reads the example file into lists, with its defaults filled in and globs kept as written', () => {
    const config = parseRoutesFile(readFileSync(EXAMPLE, 'utf8'), 'infra/routes.example.yml');

    expect(config.mode).toBe('first');
    expect(Object.keys(config.destinations)).toEqual(['slack-payments', 'slack-ops', 'teams-platform', 'pager', 'oncall-mail']);
    expect(config.destinations['slack-payments']).toEqual({
      name: 'slack-payments',
      type: 'slack',
      webhook: { parameter: '/ecs-notifier/slack/payments' },
      mentions: { critical: '<!subteam^S012AB3CD>', warning: '<!here>' },
    });
    expect(config.destinations['slack-ops']).toEqual({ name: 'slack-ops', type: 'slack', token: { secret: 'ecs-notifier/slack-bot' }, channel: 'C0123456789' });
    expect(config.routes[0]).toEqual({
      name: 'payments critical',
      match: { cluster: ['prod-*'], service: ['payments-*', 'checkout'], severity: ['critical'] },
      to: ['pager', 'slack-payments', 'oncall-mail'],
    });
    expect(config.routes[1]?.match).toEqual({ tags: { team: ['payments'] } });
    expect(config.routes[2]).toMatchObject({ name: 'platform', continue: true, match: { category: ['deployment_failed', 'deployment_rollback', 'placement_failure*', 'quota_exceeded'] } });
    expect(config.default).toEqual(['slack-ops']);
  });

  it('reads JSON as well, and keeps the leading zero of an account id written as a number', () => {
    const config = parseRoutesFile(
      JSON.stringify({ destinations: { ops: { type: 'email', address: 'ops@example.com' } }, routes: [{ name: 'a', match: { severity: 'critical' }, to: 'ops' }], default: [] }),
      'routes.json',
    );
    expect(config).toEqual({
      mode: 'first',
      destinations: { ops: { name: 'ops', type: 'email', address: 'ops@example.com' } },
      routes: [{ name: 'a', match: { severity: ['critical'] }, to: ['ops'] }],
      default: [],
    });
    const yaml = parseRoutesFile(`${DESTINATIONS}routes:\n  - { name: a, match: { account: 012345678901 }, to: mail }\ndefault: ops\n`, 'routes.yml');
    expect(yaml.routes[0]?.match.account).toEqual(['012345678901']);
  });

  it('warns, without failing, about a destination nothing uses, a route that hides the ones after it, and continue under mode all', () => {
    const first = readRoutesFile(`${DESTINATIONS}routes:\n  - name: everything\n    to: ops\n  - name: never\n    match: { severity: critical }\n    to: ops\ndefault: ops\n`, 'r.yml');
    expect(first.warnings).toEqual([
      'r.yml:3:3: warning: destination "mail" is not used by any route nor by default',
      'r.yml:5:5: warning: route "everything" matches every alert, so the routes after it are never reached (give it a match, continue: true, or move it last)',
    ]);
    const all = readRoutesFile(`mode: all\n${DESTINATIONS}routes:\n  - { name: a, to: [ops, mail], continue: true }\ndefault: []\n`, 'r.yml');
    expect(all.warnings).toEqual(['r.yml:6:33: warning: continue has no effect with mode: all, where every matching route is used']);
  });
});

describe('readRoutesFile errors', () => {
  it('names the file, the line and column where yaml noticed a syntax error, and its reason, without quoting the line', () => {
    // yaml notices an unclosed quote at the end of the file.
    expect(problems('destinations:\n  ops: { type: slack, webhook: "https://hooks.slack.com/x }\ndefault: ops\n')).toEqual(['infra/routes.yml:4:1: YAML: Missing closing "quote']);
    expect(problems('routes: [a\ndefault: ops\n')).toEqual(['infra/routes.yml:2:1: YAML: Flow sequence in block collection must be sufficiently indented and end with a ]']);
    expect(problems('destinations: {}\ndestinations: {}\ndefault: []\n')).toEqual(['infra/routes.yml:2:1: YAML: Map keys must be unique']);
    expect(problems('default: !Ref Topic\n')).toEqual([expect.stringMatching(/^infra\/routes\.yml:1:10: YAML: .*!Ref/)]);
  });

  it('points at an unknown key and suggests the nearest one, at every level', () => {
    const text = `${DESTINATIONS}routs: []
routes:
  - name: a
    match: { sevrity: critical, cluster: prod }
    too: ops
default: ops
`;
    expect(problems(text)).toEqual([
      'infra/routes.yml:4:1: unknown key "routs" in the routes file (did you mean "routes"?); the keys are mode, destinations, routes, default',
      'infra/routes.yml:6:5: route "a" needs to: [destination, …]',
      'infra/routes.yml:7:14: unknown key "sevrity" in match (did you mean "severity"?); the keys are account, region, cluster, service, severity, category, kind, tags',
      'infra/routes.yml:8:5: unknown key "too" in a route (did you mean "to"?); the keys are name, match, to, continue',
    ]);
    expect(problems('destinations:\n  ops: { type: slack, webhok: { parameter: /x } }\ndefault: ops\n')).toEqual([
      'infra/routes.yml:2:8: slack destination "ops" needs webhook: { parameter: /… } (an incoming webhook), or token and channel (a bot)',
      'infra/routes.yml:2:23: unknown key "webhok" in a slack destination (did you mean "webhook"?); the keys are type, webhook, token, channel, mentions',
    ]);
  });

  it('points at a destination that does not exist in to and in default', () => {
    const text = `${DESTINATIONS}routes:
  - name: a
    to: [ops, pagr]
default: [opps]
`;
    expect(problems(text)).toEqual([
      'infra/routes.yml:6:15: unknown destination "pagr"; the destinations are ops, mail',
      'infra/routes.yml:7:11: unknown destination "opps" (did you mean "ops"?); the destinations are ops, mail',
    ]);
  });

  it('refuses malformed globs and unknown severities, categories and kinds, with the vocabulary', () => {
    const text = `${DESTINATIONS}routes:
  - name: a
    match:
      cluster: [prod-**, "prod-?"]
      service: ''
      severity: [critical, urgent]
      category: [oom, out_of_memory, "nothing_*"]
      kind: [new, fresh]
    to: ops
default: ops
`;
    expect(problems(text)).toEqual([
      'infra/routes.yml:7:17: cluster pattern "prod-**" write * once: ** means the same as *',
      'infra/routes.yml:7:26: cluster pattern "prod-?" uses "?", which is not a wildcard here: only * is',
      'infra/routes.yml:8:16: service pattern "" is empty',
      'infra/routes.yml:9:28: unknown severity "urgent"; the values are critical, warning, info',
      'infra/routes.yml:10:23: unknown category "out_of_memory" (the categories are listed in lib/classify/categories.ts)',
      'infra/routes.yml:10:38: category pattern "nothing_*" matches no category (lib/classify/categories.ts)',
      'infra/routes.yml:11:19: unknown kind "fresh"; the values are new, follow-up, repeat, resolved, deployment',
    ]);
  });

  it('refuses a credential anywhere in the file without quoting it, and says where to keep it instead', () => {
    // Assembled at run time, so secret scanners do not take the test's made-up webhook for a real one.
    const url = ['https://hooks.slack.com/services', 'T0000', 'B0000', 'SECRETsecretSECRET'].join('/');
    const token = 'xoxb-1111-2222-SECRETsecretSECRET';
    const key = 'a1b2c3d4e5f6a7b8c9d0e1f2a3b4c5d6';
    const text = `destinations:
  ops: { type: slack, webhook: ${url} }
  bot: { type: slack, token: { secret: ${token} }, channel: C0123456789 }
  pager: { type: pagerduty, routingKey: ${key} }
  teams: { type: teams, webhook: /ecs/teams }
default: [ops, bot, pager, teams]
`;
    const lines = problems(text);
    expect(lines).toEqual([
      'infra/routes.yml:2:32: this value looks like a URL: a routes file must not hold credentials. Keep it in SSM Parameter Store or Secrets Manager and name it here, as { parameter: /name } or { secret: name }',
      'infra/routes.yml:3:40: this value looks like a Slack token: a routes file must not hold credentials. Keep it in SSM Parameter Store or Secrets Manager and name it here, as { parameter: /name } or { secret: name }',
      'infra/routes.yml:4:41: this value looks like an integration key: a routes file must not hold credentials. Keep it in SSM Parameter Store or Secrets Manager and name it here, as { parameter: /name } or { secret: name }',
      'infra/routes.yml:5:34: webhook must name where the Teams webhook URL is kept, as { parameter: /name } (SSM Parameter Store) or { secret: name } (Secrets Manager) (write webhook: { parameter: /ecs/teams })',
    ]);
    for (const secret of [url, token, key]) expect(lines.join('\n')).not.toContain(secret);
  });

  it('never quotes a credential pasted where a name, a mode or a channel goes', () => {
    const token = 'xoxb-1111-2222-SECRETsecretSECRET';
    const text = `mode: ${token}
destinations:
  ops: { type: slack, token: { secret: ecs/bot }, channel: ${token} }
routes:
  - { name: ${token}, match: { cluster: [${token}] }, to: ${token} }
default: [ops, ${token}]
`;
    const lines = problems(text);
    expect(lines).toHaveLength(6);
    expect(lines.every((line) => line.includes('this value looks like a Slack token'))).toBe(true);
    expect(lines.join('\n')).not.toContain('SECRET');
  });

  it('refuses store names of the wrong form, both stores at once, a token without a channel and bad mentions', () => {
    const text = `destinations:
  a: { type: slack, webhook: { parameter: ecs/slack } }
  b: { type: teams, webhook: { parameter: /ecs/teams, secret: ecs/teams } }
  c: { type: slack, token: { secret: ecs/bot } }
  d: { type: slack, webhook: { secret: ecs/d }, mentions: { critical: "@oncall", urgent: "<!here>" } }
  e: { type: email, address: oncall }
  f: { type: sms }
default: [a, b, c, d, e, f]
`;
    expect(problems(text)).toEqual([
      'infra/routes.yml:2:43: "ecs/slack" is not an SSM parameter name: a path starting with "/" (letters, digits and _.-/), not under /aws or /ssm',
      'infra/routes.yml:3:30: webhook names both a parameter and a secret: keep the one that holds the Teams webhook URL',
      'infra/routes.yml:4:21: slack destination "c" has a token but no channel (channel: C0123456789)',
      'infra/routes.yml:5:71: "@oncall" is not a Slack mention: write <!subteam^ID> for a user group, <@ID> for a user, <!here> or <!channel>',
      'infra/routes.yml:5:82: unknown key "urgent" in mentions; the keys are critical, warning, info',
      'infra/routes.yml:6:30: "oncall" is not an e-mail address (name@example.com)',
      'infra/routes.yml:7:14: destination "f" needs a type: slack, teams, pagerduty, email, amazon-q, got the text "sms"',
    ]);
  });

  it('refuses duplicate route names, the reserved name default, a missing default and a non-boolean continue', () => {
    const text = `${DESTINATIONS}routes:
  - { name: a, to: ops, continue: yes }
  - { name: default, to: ops }
  - { name: a, to: mail }
`;
    expect(problems(text)).toEqual([
      'infra/routes.yml:1:1: default is missing: name where alerts that match no route go (default: [slack-ops]), or write default: [] to drop them',
      'infra/routes.yml:5:35: continue must be true or false, got the text "yes"',
      'infra/routes.yml:6:13: "default" is reserved for alerts that match no route; name this route otherwise',
      'infra/routes.yml:7:13: route name "a" is already used by the route (line 5)',
    ]);
  });

  it('refuses slack destinations that mix a webhook and a bot, bad channels, names and shapes', () => {
    const text = `mode: some
destinations:
  a: { type: slack, webhook: { secret: ecs/a }, token: { secret: ecs/a } }
  b: { type: slack, webhook: { secret: "arn:aws:secretsmanager:eu-west-1:111111111111:secret:ecs/b" }, channel: C0123456789 }
  c: { type: slack, token: { secret: ecs/c }, channel: "General Channel", mentions: [here] }
  -bad: { type: email, address: x@example.com }
  e: email
routes: { name: a }
default: []
`;
    expect(problems(text)).toEqual([
      'infra/routes.yml:1:7: mode must be first or all, got the text "some"',
      'infra/routes.yml:3:49: slack destination "a" has a webhook and a token: keep one (webhook, or token and channel)',
      'infra/routes.yml:4:40: "arn:aws:secretsmanager:eu-west-1:111111111111:secret:ecs/b" is not a Secrets Manager secret name (letters, digits and /_+=.@-) or complete ARN (ending in -xxxxxx)',
      'infra/routes.yml:4:104: channel goes with token (a bot token); an incoming webhook posts to the channel it was created for',
      'infra/routes.yml:5:56: "General Channel" is not a Slack channel id (C0123456789) or name',
      'infra/routes.yml:5:85: mentions must map severities to Slack mentions (critical: "<!subteam^S012AB3CD>"), got a list',
      'infra/routes.yml:6:3: destination name "-bad" must be letters, digits and _.- (at most 64), starting with a letter or digit',
      'infra/routes.yml:7:6: destination "e" must be a mapping with a type (slack, teams, pagerduty, email, amazon-q), got the text "email"',
      'infra/routes.yml:8:9: routes must be a list (- name: …), got a mapping',
    ]);
  });

  it('refuses routes and conditions of the wrong shape', () => {
    const text = `${DESTINATIONS}routes:
  - just a name
  - name: ${'x'.repeat(101)}
    match: [cluster]
    to: ops
  - name: b
    match: { tags: {}, cluster: [] }
    to: []
default: ops
`;
    expect(problems(text)).toEqual([
      'infra/routes.yml:5:5: a route must be a mapping with name, match and to, got the text "just a name"',
      'infra/routes.yml:6:11: a route name has at most 100 characters',
      'infra/routes.yml:7:12: match must be a mapping of conditions (cluster: "prod-*"), got a list',
      'infra/routes.yml:10:20: tags must map tag keys to values (team: payments), got a mapping',
      'infra/routes.yml:10:33: cluster is an empty list',
      'infra/routes.yml:11:9: to is an empty list',
    ]);
  });

  it('refuses a file that is not a mapping, or has no destinations', () => {
    expect(problems('')).toEqual(['infra/routes.yml:1:1: the routes file must be a mapping with destinations, routes and default, got empty']);
    expect(problems('- a\n- b\n')).toEqual(['infra/routes.yml:1:1: the routes file must be a mapping with destinations, routes and default, got a list']);
    expect(problems('destinations: {}\ndefault: []\n')).toEqual([
      'infra/routes.yml:1:15: destinations must map names to destinations (ops: { type: slack, webhook: { parameter: /ecs/slack } }), got a mapping',
    ]);
  });
});
