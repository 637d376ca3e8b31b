import fc from 'fast-check';
import type { Alert } from '../../../lib/alerts/alert.ts';
import { sampleAlert } from '../../support/alerts.ts';

/**
 * Routes files and alerts drawn from one small world of names, so that routes and alerts meet often: every pattern
 * below matches some of the alerts and misses others.
 */

const ACCOUNTS = ['111122223333', '444455556666'];
const REGIONS = ['us-west-2', 'eu-west-1'];
const CLUSTERS = ['prod', 'prod-eu', 'prod-legacy', 'staging'];
const SERVICES = ['payments-api', 'payments-worker', 'checkout', 'orders-api'];
const CATEGORIES = ['oom', 'app_error_exit', 'placement_failure_spot_capacity', 'placement_failure', 'deployment_failed', 'spot_interruption'] as const;
const SEVERITIES = ['critical', 'warning', 'info'] as const;
const KINDS = ['new', 'follow-up', 'repeat', 'resolved', 'deployment'] as const;

/** Exact names and `prefix*` globs: what an email route can use. */
const SIMPLE_PATTERNS = {
  account: [...ACCOUNTS, '1111*', '*'],
  region: [...REGIONS, 'us-*'],
  cluster: [...CLUSTERS, 'prod*', 'prod-*', '*'],
  service: [...SERVICES, 'payments-*', 'pay*', '*'],
};
/** Globs that SNS cannot express. */
const OTHER_PATTERNS = { account: ['*3333'], region: ['*-1'], cluster: ['*-eu', 'p*d'], service: ['*-api', 'p*-worker'] };
const CATEGORY_PATTERNS = [...CATEGORIES, 'placement_failure*', '*_failure', 'deployment_*'];

function patterns(values: readonly string[]): fc.Arbitrary<string[]> {
  return fc.uniqueArray(fc.constantFrom(...values), { minLength: 1, maxLength: 3 });
}

/** A routes file (its parsed shape) over the destinations below; `simple` keeps to what email routes can use. */
export function routesFile(options: { simple: boolean }): fc.Arbitrary<Record<string, unknown>> {
  const names = (key: keyof typeof SIMPLE_PATTERNS): string[] => (options.simple ? SIMPLE_PATTERNS[key] : [...SIMPLE_PATTERNS[key], ...OTHER_PATTERNS[key]]);
  const conditions: Record<string, fc.Arbitrary<unknown>> = {
    account: patterns(names('account')),
    region: patterns(names('region')),
    cluster: patterns(names('cluster')),
    service: patterns(names('service')),
    severity: patterns(SEVERITIES),
    category: patterns(CATEGORY_PATTERNS),
    kind: patterns(KINDS),
    ...(options.simple ? {} : { tags: fc.record({ team: patterns(['payments', 'pay*', 'orders']) }) }),
  };
  // One or two conditions for email (SNS-friendly) files: negating several long routes soon passes SNS's limits, and a
  // route without conditions leaves an email default nothing; files refused for that would prove nothing.
  const match = fc
    .uniqueArray(fc.constantFrom(...Object.keys(conditions)), { minLength: options.simple ? 1 : 0, maxLength: options.simple ? 2 : 4 })
    .chain((keys) => fc.record(Object.fromEntries(keys.map((key) => [key, conditions[key] ?? fc.constant([])]))));
  const destinationNames = ['slack', 'pager', 'mail-a', 'mail-b', 'mail-a-again'];
  const route = fc.record({ match, to: fc.subarray(destinationNames, { minLength: 1 }), continue: fc.boolean() }, { requiredKeys: ['to'] });
  return fc.record({ mode: fc.constantFrom('first', 'all'), routes: fc.array(route, { maxLength: options.simple ? 3 : 5 }), default: fc.subarray(destinationNames) }).map((file) => ({
    mode: file.mode,
    destinations: {
      slack: { type: 'slack', webhook: { parameter: '/ecs/slack' }, mentions: { critical: '<!here>' } },
      pager: { type: 'pagerduty', routingKey: { secret: 'ecs/pagerduty' } },
      'mail-a': { type: 'email', address: 'a@example.com' },
      'mail-b': { type: 'email', address: 'b@example.com' },
      'mail-a-again': { type: 'email', address: 'a@example.com' },
    },
    routes: file.routes.map((spec, index) => ({ name: `route ${index}`, ...spec })),
    default: file.default,
  }));
}

export const EMAIL_ADDRESSES = ['a@example.com', 'b@example.com'];

/** An alert somewhere in the same world; sometimes without an account, a service or tags. */
export const worldAlert: fc.Arbitrary<Alert> = fc
  .record({
    account: fc.option(fc.constantFrom(...ACCOUNTS), { nil: null }),
    region: fc.constantFrom(...REGIONS),
    cluster: fc.option(fc.constantFrom(...CLUSTERS), { nil: null }),
    service: fc.option(fc.constantFrom(...SERVICES), { nil: null }),
    severity: fc.constantFrom(...SEVERITIES),
    category: fc.constantFrom(...CATEGORIES),
    kind: fc.constantFrom(...KINDS),
    tags: fc.option(fc.record({ team: fc.constantFrom('payments', 'orders') }, { requiredKeys: [] }), { nil: undefined }),
  })
  .map(({ account, region, cluster, service, severity, category, kind, tags }) => {
    const base = sampleAlert({ severity, category, kind, status: kind === 'resolved' ? 'resolved' : 'firing' });
    return { ...base, facts: { ...base.facts, account, region, cluster, service, ...(tags === undefined ? {} : { tags }) } };
  });
