import { describe, expect, it, vi } from 'vitest';
import type { Alert } from '../../../lib/alerts/alert.ts';
import { ConfigError } from '../../../lib/errors.ts';
import { compileRoutes, toWebhookSource, type RoutingConfig } from '../../../lib/routing/config.ts';
import { RoutesFileError } from '../../../lib/routing/errors.ts';
import { defaultRouting, mentionFor, readCompiledRoutes, routeAlert, routingFromEnvironment } from '../../../lib/routing/route.ts';
import { parseRoutesFile } from '../../../lib/routing/routes-file.ts';
import { sampleAlert } from '../../support/alerts.ts';

const DESTINATIONS = `destinations:
  pager: { type: pagerduty, routingKey: { parameter: /ecs/pagerduty } }
  payments: { type: slack, webhook: { parameter: /ecs/slack/payments }, mentions: { critical: "<!subteam^S012AB3CD> <@U0123ABCD>", warning: "<!here>" } }
  ops: { type: slack, token: { secret: ecs/slack-bot }, channel: C0123456789 }
  teams: { type: teams, webhook: { secret: ecs/teams } }
  mail: { type: email, address: oncall@example.com }
`;

function config(body: string): RoutingConfig {
  return parseRoutesFile(`${DESTINATIONS}${body}`, 'routes.yml');
}

/** The sample OOM alert (prod / orders-api, warning, new) with facts changed. */
function alert(facts: Partial<Alert['facts']> = {}, overrides: Partial<Alert> = {}): Alert {
  const base = sampleAlert(overrides);
  return { ...base, facts: { ...base.facts, ...facts } };
}

function where(decision: ReturnType<typeof routeAlert>): { routes: string[]; to: string[] } {
  return { routes: decision.routes, to: decision.destinations.map((destination) => destination.name) };
}

describe('routeAlert', () => {
  const firstMatch = config(`routes:
  - name: payments critical
    match: { cluster: "prod*", service: ["payments-*", checkout], severity: critical }
    to: [pager, payments]
  - name: payments
    match: { service: "payments-*" }
    to: payments
  - name: production
    match: { cluster: prod }
    to: [ops, payments]
default: [teams]
`);

  it('sends an alert to the destinations of the first route whose every condition holds, and names that route', () => {
    const decision = routeAlert(alert({ service: 'payments-api' }, { severity: 'critical' }), firstMatch);
    expect(decision.route).toBe('payments critical');
    expect(where(decision)).toEqual({ routes: ['payments critical'], to: ['pager', 'payments'] });
    expect(decision.destinations[0]).toEqual({ name: 'pager', type: 'pagerduty', routingKey: { parameter: '/ecs/pagerduty' } });
  });

  it('tries the next route when one condition fails, and uses default when no route matches', () => {
    expect(where(routeAlert(alert({ service: 'payments-api' }), firstMatch))).toEqual({ routes: ['payments'], to: ['payments'] });
    expect(where(routeAlert(alert({ service: 'checkout' }, { severity: 'critical' }), firstMatch))).toEqual({ routes: ['payments critical'], to: ['pager', 'payments'] });
    expect(where(routeAlert(alert({ service: 'orders-api' }), firstMatch))).toEqual({ routes: ['production'], to: ['ops', 'payments'] });
    const staging = routeAlert(alert({ cluster: 'staging', service: 'orders-api' }), firstMatch);
    expect(staging.route).toBe('default');
    expect(where(staging)).toEqual({ routes: ['default'], to: ['teams'] });
  });

  it('matches globs case-sensitively and as a whole, with * for any run of characters', () => {
    const globs = config(`routes:
  - { name: infix, match: { service: "pay*-api" }, to: pager }
  - { name: suffix, match: { service: "*-worker" }, to: ops }
default: []
`);
    expect(routeAlert(alert({ service: 'payments-api' }), globs).route).toBe('infix');
    expect(routeAlert(alert({ service: 'pay-api' }), globs).route).toBe('infix');
    expect(routeAlert(alert({ service: 'Payments-api' }), globs).route).toBe('default');
    expect(routeAlert(alert({ service: 'payments-api-v2' }), globs).route).toBe('default');
    expect(routeAlert(alert({ service: 'billing-worker' }), globs).route).toBe('suffix');
    expect(routeAlert(alert({ service: 'billing-worker' }), globs).destinations).toHaveLength(1);
    expect(routeAlert(alert({ service: 'payments-api' }), { ...globs, default: [] }).destinations.map((d) => d.name)).toEqual(['pager']);
  });

  it('never matches a condition on something the alert lacks: * needs a service, and tags need tags', () => {
    const lacks = config(`routes:
  - { name: any service, match: { service: "*" }, to: pager }
  - { name: team, match: { tags: { team: "pay*" } }, to: payments }
default: [ops]
`);
    expect(routeAlert(alert({ service: 'orders-api' }), lacks).route).toBe('any service');
    expect(routeAlert(alert({ service: null }), lacks).route).toBe('default');
    expect(routeAlert(alert({ service: '  ' }), lacks).route).toBe('default');
    expect(routeAlert(alert({ service: null, tags: { team: 'payments' } }), lacks).route).toBe('team');
    expect(routeAlert(alert({ service: null, tags: { owner: 'payments' } }), lacks).route).toBe('default');
    expect(routeAlert(alert({ service: null, tags: { team: 'Payments' } }), lacks).route).toBe('default');
  });

  it('matches severities, categories (by name or glob), kinds, accounts and Regions', () => {
    const facts = config(`routes:
  - { name: placement, match: { category: "placement_failure*" }, to: ops }
  - { name: resolved, match: { kind: [resolved], severity: [warning, critical] }, to: teams }
  - { name: account, match: { account: "1111*", region: [us-west-2, eu-west-1] }, to: pager }
default: []
`);
    expect(routeAlert(alert({}, { category: 'placement_failure_spot_capacity' }), facts).route).toBe('placement');
    expect(routeAlert(alert({}, { category: 'placement_failure' }), facts).route).toBe('placement');
    expect(routeAlert(alert({}, { kind: 'resolved', status: 'resolved' }), facts).route).toBe('resolved');
    expect(routeAlert(alert({}, { kind: 'resolved', status: 'resolved', severity: 'info' }), facts).route).toBe('account');
    expect(routeAlert(alert({ region: 'ap-south-1' }, { kind: 'repeat' }), facts).route).toBe('default');
    expect(routeAlert(alert({ account: null }), facts).route).toBe('default');
  });

  it('keeps going after a route with continue: true, and lists each destination once, in order', () => {
    const continued = config(`routes:
  - { name: everything to mail, to: [mail, ops], continue: true }
  - { name: critical, match: { severity: critical }, to: [pager, ops] }
  - { name: rest, to: teams }
default: [payments]
`);
    expect(where(routeAlert(alert({}, { severity: 'critical' }), continued))).toEqual({ routes: ['everything to mail', 'critical'], to: ['mail', 'ops', 'pager'] });
    expect(where(routeAlert(alert(), continued))).toEqual({ routes: ['everything to mail', 'rest'], to: ['mail', 'ops', 'teams'] });
    const onlyContinue = config(`routes:
  - { name: mail, match: { severity: critical }, to: mail, continue: true }
default: [ops]
`);
    // A route that matched, even with continue, means the alert was routed: default is for alerts no route took.
    expect(where(routeAlert(alert({}, { severity: 'critical' }), onlyContinue))).toEqual({ routes: ['mail'], to: ['mail'] });
  });

  it('uses every matching route with mode: all', () => {
    const all = config(`mode: all
routes:
  - { name: critical, match: { severity: critical }, to: [pager, ops] }
  - { name: prod, match: { cluster: prod }, to: [ops, teams] }
  - { name: staging, match: { cluster: staging }, to: payments }
default: [mail]
`);
    expect(where(routeAlert(alert({}, { severity: 'critical' }), all))).toEqual({ routes: ['critical', 'prod'], to: ['pager', 'ops', 'teams'] });
    expect(where(routeAlert(alert({ cluster: 'dev' }), all))).toEqual({ routes: ['default'], to: ['mail'] });
  });
});

describe('mentionFor', () => {
  const routing = config('default: [payments, ops, pager]\n');
  const payments = routing.destinations.payments!;

  it('gives the Slack mention of the alert severity on firing alerts only', () => {
    expect(mentionFor(payments, alert({}, { severity: 'critical' }))).toBe('<!subteam^S012AB3CD> <@U0123ABCD>');
    expect(mentionFor(payments, alert({}, { severity: 'warning' }))).toBe('<!here>');
    expect(mentionFor(payments, alert({}, { severity: 'info' }))).toBeNull();
    expect(mentionFor(payments, alert({}, { severity: 'critical', status: 'resolved', kind: 'resolved' }))).toBeNull();
  });

  it('gives none for destinations without mentions or that cannot mention', () => {
    expect(mentionFor(routing.destinations.ops!, alert({}, { severity: 'critical' }))).toBeNull();
    expect(mentionFor(routing.destinations.pager!, alert({}, { severity: 'critical' }))).toBeNull();
  });
});

describe('readCompiledRoutes', () => {
  const original = config(`routes:
  - { name: a, match: { cluster: "prod-*", tags: { team: [payments, "pay*"] }, category: "placement_failure*" }, to: [pager, payments], continue: true }
  - { name: b, match: { kind: [new, repeat] }, to: mail }
default: [ops, teams]
`);

  it('reads back exactly what compileRoutes wrote, and keeps it compact', () => {
    const json = compileRoutes(original);
    expect(readCompiledRoutes(json)).toEqual(original);
    expect(json).not.toContain('\n');
    expect(json).not.toContain('"name":"pager"');
    expect(compileRoutes(readCompiledRoutes(json))).toBe(json);
  });

  it('checks the JSON as the file is checked, naming the paths of the problems', () => {
    const json = compileRoutes(original);
    const edited = json.replace('"to":["mail"]', '"to":["mial"]').replace('"webhook":{"secret":"ecs/teams"}', '"webhook":"https://example.webhook.office.com/x"');
    expect(edited).not.toBe(json);
    let message = '';
    try {
      readCompiledRoutes(edited);
    } catch (error) {
      if (error instanceof RoutesFileError) message = error.message;
    }
    expect(message.split('\n')).toEqual([
      'ALERT_ROUTES at destinations.teams.webhook: this value looks like a URL: a routes file must not hold credentials. Keep it in SSM Parameter Store or Secrets Manager and name it here, as { parameter: /name } or { secret: name }',
      'ALERT_ROUTES at routes[1].to[0]: unknown destination "mial" (did you mean "mail"?); the destinations are pager, payments, ops, teams, mail',
    ]);
    expect(message).not.toContain('webhook.office.com');
  });

  it('says that a value that is not JSON must be packaged again, without quoting it', () => {
    expect(() => readCompiledRoutes('{"destinations": xoxb-1111-SECRET')).toThrow(new RoutesFileError('ALERT_ROUTES', [{ path: [], position: null, reason: 'is not JSON; package the routes file again (npx serverless deploy --param routes=…)' }]));
  });
});

describe('defaultRouting', () => {
  it('sends every alert to the one Slack webhook, from either store', () => {
    const ssm = defaultRouting({ store: 'ssm', name: '/ecs/slack' });
    expect(ssm).toEqual({ mode: 'first', destinations: { slack: { name: 'slack', type: 'slack', webhook: { parameter: '/ecs/slack' } } }, routes: [], default: ['slack'] });
    expect(where(routeAlert(alert(), ssm))).toEqual({ routes: ['default'], to: ['slack'] });
    const secret = defaultRouting({ store: 'secretsmanager', secretId: 'ecs/slack' });
    expect(secret.destinations.slack).toEqual({ name: 'slack', type: 'slack', webhook: { secret: 'ecs/slack' } });
    const webhook = secret.destinations.slack?.type === 'slack' && 'webhook' in secret.destinations.slack ? secret.destinations.slack.webhook : null;
    expect(webhook === null ? null : toWebhookSource(webhook)).toEqual({ store: 'secretsmanager', secretId: 'ecs/slack' });
  });
});

describe('routingFromEnvironment', () => {
  it('reads ALERT_ROUTES when it is set, and falls back to the Slack webhook variables when it is empty', () => {
    vi.stubEnv('ALERT_ROUTES', compileRoutes(config('default: [ops]\n')));
    expect(routingFromEnvironment().default).toEqual(['ops']);
    vi.stubEnv('ALERT_ROUTES', '');
    vi.stubEnv('SLACK_WEBHOOK_PARAMETER', '/ecs/slack');
    vi.stubEnv('SLACK_WEBHOOK_SECRET', '');
    expect(routingFromEnvironment().destinations.slack).toEqual({ name: 'slack', type: 'slack', webhook: { parameter: '/ecs/slack' } });
    vi.stubEnv('SLACK_WEBHOOK_PARAMETER', '');
    expect(() => routingFromEnvironment()).toThrow(ConfigError);
  });
});
