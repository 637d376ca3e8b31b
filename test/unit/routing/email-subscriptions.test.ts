import { readFileSync } from 'node:fs';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { messageAttributes } from '../../../lib/notify/sns-message.ts';
import { emailSubscriptions, logicalId } from '../../../lib/routing/email-subscriptions.ts';
import { RoutesFileError } from '../../../lib/routing/errors.ts';
import { MAX_FILTER_KEYS } from '../../../lib/routing/filter-policy.ts';
import { routeAlert } from '../../../lib/routing/route.ts';
import { readRoutesFile } from '../../../lib/routing/routes-file.ts';
import { validateRoutes } from '../../../lib/routing/validate.ts';
import { sampleAlert } from '../../support/alerts.ts';
import { EMAIL_ADDRESSES, routesFile, worldAlert } from './arbitraries.ts';
import { snsAccepts } from './sns-filter.ts';

const TOPIC = { Ref: 'AlertTopic' };

const DESTINATIONS = `destinations:
  ops: { type: slack, webhook: { parameter: /ecs/slack } }
  mail: { type: email, address: oncall@example.com }
  boss: { type: email, address: boss@example.com }
`;

/** The filter policy of each address's subscription (undefined: the subscription takes every alert). */
function policies(body: string): Record<string, unknown> {
  const parsed = readRoutesFile(`${DESTINATIONS}${body}`, 'routes.yml');
  const resources = emailSubscriptions(parsed.config, TOPIC, parsed);
  return Object.fromEntries(Object.values(resources).map((resource) => [resource.Properties.Endpoint, resource.Properties.FilterPolicy]));
}

function problems(body: string): string[] {
  const parsed = readRoutesFile(`${DESTINATIONS}${body}`, 'routes.yml');
  try {
    emailSubscriptions(parsed.config, TOPIC, parsed);
  } catch (error) {
    if (error instanceof RoutesFileError) return error.message.split('\n');
    throw error;
  }
  throw new Error('the routes were accepted');
}

describe('emailSubscriptions', () => {
  it('subscribes each address of the example file with a filter policy on the message attributes', () => {
    const text = readFileSync(new URL('../../../infra/routes.example.yml', import.meta.url), 'utf8');
    const parsed = readRoutesFile(text, 'infra/routes.example.yml');
    expect(emailSubscriptions(parsed.config, TOPIC, parsed)).toEqual({
      [logicalId('payments-oncall@example.com')]: {
        Type: 'AWS::SNS::Subscription',
        Properties: {
          TopicArn: TOPIC,
          Protocol: 'email',
          Endpoint: 'payments-oncall@example.com',
          FilterPolicyScope: 'MessageAttributes',
          FilterPolicy: { cluster: [{ prefix: 'prod-' }], service: ['checkout', { prefix: 'payments-' }], severity: ['critical'] },
        },
      },
    });
  });

  it('writes categories as the exact values their globs match, * as "the attribute exists", and no policy for a route without conditions', () => {
    expect(policies(`routes:
  - { name: all, to: boss, continue: true }
  - { name: capacity, match: { category: ["placement_failure*", oom], service: "*" }, to: mail }
default: []
`)).toEqual({
      'oncall@example.com': {
        service: [{ exists: true }],
        // In the order of lib/classify/categories.ts.
        category: [
          'oom',
          'placement_failure_insufficient_resources',
          'placement_failure_spot_capacity',
          'placement_failure_constraints',
          'placement_failure_no_instances',
          'placement_failure_capacity',
          'placement_failure_unsupported_az',
          'placement_failure',
        ],
      },
      'boss@example.com': undefined,
    });
  });

  it('leaves out what earlier routes take with mode first, but not what a continue route or any route takes with mode all', () => {
    const body = `routes:
  - { name: staging, match: { cluster: staging }, to: ops }
  - { name: noisy, match: { severity: info }, to: ops, continue: true }
  - { name: mail, match: { kind: [new, resolved] }, to: mail }
default: []
`;
    expect(policies(body)).toEqual({
      'oncall@example.com': { cluster: [{ 'anything-but': ['staging'] }, { exists: false }], kind: ['new', 'resolved'] },
    });
    expect(policies(`mode: all\n${body}`)).toEqual({ 'oncall@example.com': { kind: ['new', 'resolved'] } });
  });

  it('sends default email what no route takes, as alternatives when a route has several conditions', () => {
    expect(policies(`routes:
  - { name: payments, match: { service: "payments-*", severity: [critical, warning] }, to: ops }
default: [mail]
`)).toEqual({
      'oncall@example.com': { $or: [{ service: [{ 'anything-but': { prefix: 'payments-' } }, { exists: false }] }, { severity: ['info'] }] },
    });
  });

  it('gives one subscription to an address named by several destinations or routes, accepting what any of them takes', () => {
    const body = `  mail-too: { type: email, address: oncall@example.com }
routes:
  - { name: critical, match: { severity: critical }, to: mail }
  - { name: deployments, match: { kind: deployment }, to: mail-too }
default: []
`;
    expect(policies(body)).toEqual({ 'oncall@example.com': { $or: [{ severity: ['critical'] }, { severity: ['warning', 'info'], kind: ['deployment'] }] } });
    expect(policies(`routes:
  - { name: not oom, match: { category: oom }, to: ops }
  - { name: mail, to: mail }
default: []
`)).toEqual({ 'oncall@example.com': { category: [{ 'anything-but': ['oom'] }] } });
  });

  it('fails on the line of the route with a tags condition, a glob SNS cannot express, or more than five attributes', () => {
    expect(problems(`routes:
  - { name: team, match: { tags: { team: payments } }, to: [ops, mail], continue: true }
  - { name: api, match: { service: "*-api" }, to: boss, continue: true }
  - name: precise
    match: { account: "1*", region: eu-west-1, cluster: prod, service: checkout, severity: critical, kind: new }
    to: boss
default: []
`)).toEqual([
      'routes.yml:6:60: email destination "mail" in route "team" cannot use a tags condition: SNS filters email on message attributes only, and tags are not among them (lib/notify/sns-message.ts)',
      'routes.yml:7:51: email destination "boss" in route "api" cannot use service pattern "*-api": SNS filter policies match exact values and prefixes (name*), not other globs',
      `routes.yml:10:9: email destination "boss" in route "precise" cannot use conditions on 6 attributes at once (account, region, cluster, service, severity, kind): SNS allows ${MAX_FILTER_KEYS}`,
    ]);
  });

  it('fails when an email route must leave out what SNS cannot express, naming the route in the way', () => {
    expect(problems(`routes:
  - { name: team, match: { tags: { team: payments } }, to: ops }
  - { name: mail, match: { severity: critical }, to: mail }
  - { name: prod, match: { cluster: "prod-*" }, to: boss }
default: []
`)).toEqual([
      'routes.yml:7:54: email destination "mail" in route "mail" (it must leave out what route "team" at line 6 takes) cannot use a tags condition: SNS filters email on message attributes only, and tags are not among them (lib/notify/sns-message.ts). Move the email route up, or give the routes before it continue: true',
      'routes.yml:8:53: email destination "boss" in route "prod" (it must leave out what route "team" at line 6 takes) cannot use a tags condition: SNS filters email on message attributes only, and tags are not among them (lib/notify/sns-message.ts). Move the email route up, or give the routes before it continue: true',
    ]);
    expect(problems(`routes:
  - { name: legacy, match: { cluster: prod-legacy }, to: ops }
  - { name: prod, match: { cluster: "prod-*" }, to: boss }
default: []
`)).toEqual(['routes.yml:7:53: email destination "boss" in route "prod" cannot use cluster "prod-*" but not "prod-legacy": SNS cannot take values out of a prefix']);
  });

  it('fails when an email destination could never get an alert, or its policy has more than 150 combinations', () => {
    expect(problems(`routes:
  - { name: everything, to: ops }
  - { name: mail, match: { severity: critical }, to: mail }
default: [boss]
`)).toEqual([
      'routes.yml:7:54: email destination "mail" in route "mail" would never get an alert: the routes before it take every alert it matches',
      'routes.yml:8:10: email destination "boss" in default would never get an alert: the routes take every alert',
    ]);
    expect(problems(`routes:
  - name: big
    match: { cluster: [a, b, c, d], service: [e, f, g, h, i, j], category: "placement_failure*" }
    to: mail
default: []
`)).toEqual([
      'routes.yml:8:9: email destination "mail" in route "big" cannot use 168 combinations of values: SNS allows 150 (the product of the number of values of each attribute, added up over the alternatives)',
    ]);
  });

  it('gives each address a stable logical id of its own', () => {
    expect(logicalId('oncall@example.com')).toMatch(/^RouteEmailOncallexamplecom[0-9a-f]{8}$/);
    expect(logicalId('oncall@example.com')).toBe(logicalId('oncall@example.com'));
    expect(logicalId('on.call@example.com')).not.toBe(logicalId('oncall@example.com'));
  });

  it('delivers by SNS exactly the alerts routeAlert sends to each address', () => {
    let checked = 0;
    let refused = 0;
    fc.assert(
      fc.property(routesFile({ simple: true }), fc.array(worldAlert, { minLength: 1, maxLength: 25 }), (file, alerts) => {
        const { config } = validateRoutes(file, 'generated', () => null);
        let resources;
        try {
          resources = emailSubscriptions(config, TOPIC);
        } catch (error) {
          if (!(error instanceof RoutesFileError)) throw error;
          refused += 1;
          return;
        }
        checked += 1;
        const subscriptions = new Map(Object.values(resources).map((resource) => [resource.Properties.Endpoint, resource.Properties]));
        for (const properties of subscriptions.values()) {
          expect(properties.FilterPolicy === undefined || properties.FilterPolicyScope === 'MessageAttributes').toBe(true);
        }
        for (const alert of alerts) {
          const destinations = routeAlert(alert, config).destinations;
          for (const address of EMAIL_ADDRESSES) {
            const routed = destinations.some((destination) => destination.type === 'email' && destination.address === address);
            const subscription = subscriptions.get(address);
            const delivered = subscription !== undefined && snsAccepts(subscription.FilterPolicy, messageAttributes(alert));
            expect(delivered, `${address}: ${JSON.stringify(subscription?.FilterPolicy)}`).toBe(routed);
          }
        }
      }),
      { numRuns: 400 },
    );
    // Most generated files must be checked, or the property would prove little.
    expect(checked).toBeGreaterThan(refused);
  });
});

describe('snsAccepts (the test oracle)', () => {
  it('follows the documented operators', () => {
    const attributes = messageAttributes(sampleAlert());
    expect(snsAccepts({ cluster: ['prod'], severity: ['warning'] }, attributes)).toBe(true);
    expect(snsAccepts({ cluster: [{ prefix: 'pr' }] }, attributes)).toBe(true);
    expect(snsAccepts({ cluster: [{ 'anything-but': ['prod'] }] }, attributes)).toBe(false);
    expect(snsAccepts({ cluster: [{ 'anything-but': { prefix: 'st' } }] }, attributes)).toBe(true);
    expect(snsAccepts({ outcome: [{ exists: false }] }, attributes)).toBe(true);
    expect(snsAccepts({ outcome: [{ 'anything-but': ['x'] }] }, attributes)).toBe(false);
    expect(snsAccepts({ $or: [{ cluster: ['staging'] }, { severity: ['warning'] }] }, attributes)).toBe(true);
    expect(() => snsAccepts({ cluster: [{ suffix: 'd' }] }, attributes)).toThrow('unknown operator suffix');
  });
});
