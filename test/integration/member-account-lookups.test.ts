import type { Context } from 'aws-lambda';
import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import type { Alert } from '../../lib/alerts/alert.ts';
import { eventBridgeHandler, type EventHandlerDeps } from '../../lib/pipeline/receive.ts';
import { awsEventHandlerDeps } from '../../lib/pipeline/wiring-lookups.ts';
import { MemoryStore } from '../../lib/store/memory-store.ts';
import { loadFixture } from '../support/fixtures.ts';
import { scenario } from '../support/scenario-replay.ts';
import { LoopbackAws, type StsFault } from '../support/loopback-aws.ts';

// Events of member accounts through the event functions' own wiring (awsEventHandlerDeps, from the environment),
// with STS and ECS stood in for by a loopback server: the real SDK clients sign and send every call, so the tests
// read which credentials and Region each ECS call was signed with. Only the store and the notifier are in memory.

const MONITOR = '111122223333';
const MEMBER = '222222222222';
const OWN_KEY = 'AKIAMONITOREXAMPLE';
const ROLE_ARN = `arn:aws:iam::${MEMBER}:role/ecs-incident-notifier-lookup`;
const context = { awsRequestId: 'acc0c0de-0000-4000-8000-000000000001' } as Context;

let aws: LoopbackAws;

beforeAll(async () => {
  aws = await LoopbackAws.start({
    ownKey: { accessKeyId: OWN_KEY, account: MONITOR },
    recordings: {
      [MONITOR]: { DescribeServices: 'describe-services/thumbnailer.json' },
      [MEMBER]: {
        DescribeServices: 'describe-services/thumbnailer-222222222222.json',
        DescribeTaskDefinition: 'describe-task-definition/thumbnailer-7-222222222222.json',
        // The recorded rollback of checkout stands in for the member's: the lookup reads it whoever's it is.
        ListServiceDeployments: 'list-service-deployments/shop-prod-checkout.json',
        DescribeServiceDeployments: 'describe-service-deployments/checkout-rollback-in-progress.json',
      },
    },
  });
});

afterAll(async () => {
  await aws.close();
});

beforeEach(() => {
  aws.reset();
  // The function's configuration as serverless.yml sets it, in the monitoring account's Region (eu-west-1).
  vi.stubEnv('AWS_REGION', 'eu-west-1');
  vi.stubEnv('AWS_ACCESS_KEY_ID', OWN_KEY);
  vi.stubEnv('AWS_SECRET_ACCESS_KEY', 'monitor-secret');
  vi.stubEnv('AWS_SESSION_TOKEN', undefined);
  vi.stubEnv('AWS_PROFILE', undefined);
  vi.stubEnv('AWS_ENDPOINT_URL_STS', aws.endpoint);
  vi.stubEnv('AWS_ENDPOINT_URL_ECS', aws.endpoint);
  vi.stubEnv('ALERT_TABLE_NAME', 'ecs-incident-notifier-dev-alerts');
  vi.stubEnv('ALERT_TOPIC_ARN', `arn:aws:sns:eu-west-1:${MONITOR}:ecs-incident-notifier-dev-alerts`);
  vi.stubEnv('MONITOR_ACCOUNT_ID', MONITOR);
  vi.stubEnv('MEMBER_LOOKUP_ROLE_NAME', 'ecs-incident-notifier-lookup');
  vi.stubEnv('MEMBER_LOOKUP_EXTERNAL_ID', 'o-exampleorgid-ecs');
});

/** The event functions' dependencies, built from the environment, with the alerts they publish kept in `sent`. */
function deployedDeps(): EventHandlerDeps & { sent: Alert[] } {
  const sent: Alert[] = [];
  const deps = awsEventHandlerDeps();
  return {
    ...deps,
    sent,
    alerting: { ...deps.alerting, store: new MemoryStore(), notifier: { publish: async (alert) => void sent.push(alert) } },
    metrics: undefined,
    now: () => new Date('2025-03-14T11:06:00Z'),
  };
}

/** The member account's recorded Spot warning, or another warning of the same service (fresh event and task ids). */
function memberWarning(n = 0): Record<string, unknown> {
  if (n === 0) return loadFixture('task/spot-warning-member-account.json');
  const text = JSON.stringify(loadFixture('task/spot-warning-member-account.json'));
  return JSON.parse(text.replaceAll('93dc4c36-c1b4-44cf-83e9-7d31071e8f1d', `93dc4c36-c1b4-44cf-83e9-${String(n).padStart(12, '0')}`).replaceAll('4b7e2f9c1d3a5e8b0c6f2a4d8e1b3c5f', `${n}`.repeat(32).slice(0, 32))) as Record<string, unknown>;
}

/** The monitoring account's own Spot warning (us-west-2), or the same moved, as a new event, to the monitor's own Region. */
function ownWarning(region = 'us-west-2'): Record<string, unknown> {
  const event = JSON.parse(JSON.stringify(loadFixture('task/spot-warning-running.json')).replaceAll('us-west-2', region)) as Record<string, unknown>;
  return region === 'us-west-2' ? event : { ...event, id: `c9ce8e6a-3e4b-4aaa-92c3-${region.replaceAll('-', '').padStart(12, '0')}` };
}

/** The JSON log lines the functions wrote (console.log, silenced by the test setup). */
function logLines(): Record<string, unknown>[] {
  return vi
    .mocked(console.log)
    .mock.calls.map(([line]) => (typeof line === 'string' && line.startsWith('{') ? (JSON.parse(line) as Record<string, unknown>) : {}))
    .filter((line) => line.level !== 'info');
}

function summaryCounts(alert: Alert | undefined): string | null {
  return /\d of \d tasks running/.exec(alert?.summary ?? '')?.[0] ?? null;
}

describe('member account lookups over the wire', () => {
  it("enriches a member account's alert from ECS in the member's Region, signed with the assumed role's credentials", async () => {
    const deps = deployedDeps();

    await eventBridgeHandler(() => deps)(memberWarning(), context);

    expect(deps.sent.map((alert) => [alert.key, summaryCounts(alert), alert.enriched])).toEqual([
      [`${MEMBER}|us-west-2|prod|service:thumbnailer|spot_interruption_warning`, '3 of 4 tasks running', true],
    ]);
    expect(aws.of('sts')).toEqual([
      {
        service: 'sts',
        operation: 'AssumeRole',
        accessKeyId: OWN_KEY,
        scopeRegion: 'eu-west-1',
        securityToken: null,
        params: { Action: 'AssumeRole', Version: '2011-06-15', RoleArn: ROLE_ARN, RoleSessionName: `ecs-incident-notifier-${MONITOR}`, ExternalId: 'o-exampleorgid-ecs' },
      },
    ]);
    expect(aws.of('ecs').map(({ operation, accessKeyId, scopeRegion, securityToken }) => [operation, accessKeyId, scopeRegion, securityToken])).toEqual([
      ['DescribeServices', 'ASIAMEMBER1EXAMPLE', 'us-west-2', 'session-token-1'],
      ['DescribeTaskDefinition', 'ASIAMEMBER1EXAMPLE', 'us-west-2', 'session-token-1'],
    ]);
    expect(aws.of('ecs').map((request) => request.params)).toEqual([
      // With the tags: the runbook and owner of the alert.
      { cluster: 'prod', services: ['thumbnailer'], include: ['TAGS'] },
      { taskDefinition: `arn:aws:ecs:us-west-2:${MEMBER}:task-definition/thumbnailer:7`, include: ['TAGS'] },
    ]);
  });

  it("tells a member account's failed deployment with its rollback as the member's ECS reports it, asked with the member role", async () => {
    const deps = deployedDeps();
    const handler = eventBridgeHandler(() => deps);
    // The recorded failed release of checkout, from the member account: started, failed by the circuit breaker.
    const member = (line: number): Record<string, unknown> => JSON.parse(JSON.stringify(scenario('deployment-rollback')[line]).replaceAll(MONITOR, MEMBER)) as Record<string, unknown>;

    await handler(member(0), context);
    await handler(member(6), context);

    const alerts = deps.sent.filter((alert) => alert.kind !== 'deployment');
    expect(alerts.map((alert) => [alert.key, alert.facts.rollback?.status, alert.facts.rollback?.reason])).toEqual([
      [`${MEMBER}|eu-west-1|shop-prod|service:checkout|deployment:ecs-svc/5830265113750824417`, 'ROLLBACK_IN_PROGRESS', 'The circuit breaker initiated the rollback operation.'],
    ]);
    const deploymentCalls = aws.of('ecs').filter((request) => request.operation.endsWith('ServiceDeployments'));
    expect(deploymentCalls.map(({ operation, accessKeyId, scopeRegion }) => [operation, accessKeyId, scopeRegion])).toEqual([
      ['ListServiceDeployments', 'ASIAMEMBER1EXAMPLE', 'eu-west-1'],
      ['DescribeServiceDeployments', 'ASIAMEMBER1EXAMPLE', 'eu-west-1'],
    ]);
    expect(deploymentCalls[0]?.params).toEqual({ cluster: 'shop-prod', service: 'checkout', createdAt: { after: 1756721070, before: 1758017070 }, maxResults: 100 });
    expect(deploymentCalls[1]?.params).toEqual({ serviceDeploymentArns: ['arn:aws:ecs:eu-west-1:111122223333:service-deployment/shop-prod/checkout/hT3kQ9vLmW2xRb7YpZ4nA'] });
  });

  it("reuses the member role's credentials for the member's next events", async () => {
    const deps = deployedDeps();
    const handler = eventBridgeHandler(() => deps);

    await handler(memberWarning(), context);
    await handler(memberWarning(1), context);

    expect(aws.of('sts')).toHaveLength(1);
    expect(new Set(aws.of('ecs').map((request) => request.accessKeyId))).toEqual(new Set(['ASIAMEMBER1EXAMPLE']));
  });

  it("looks the monitor's own account up with the function's own credentials, in the event's Region, without STS", async () => {
    const deps = deployedDeps();
    const handler = eventBridgeHandler(() => deps);

    await handler(ownWarning(), context);
    await handler(ownWarning('eu-west-1'), context);

    expect(aws.of('sts')).toEqual([]);
    expect(aws.of('ecs').filter((request) => request.operation === 'DescribeServices').map((request) => [request.accessKeyId, request.scopeRegion, request.securityToken])).toEqual([
      [OWN_KEY, 'us-west-2', null],
      [OWN_KEY, 'eu-west-1', null],
    ]);
    expect(summaryCounts(deps.sent[0])).toBe('2 of 3 tasks running');
  });

  it.each<StsFault>(['access denied', 'throttled', 'silent'])(
    'still alerts, marked not enriched, when STS is %s, and assumes the role again for the next event',
    async (fault) => {
      const deps = deployedDeps();
      const handler = eventBridgeHandler(() => deps);
      aws.stsFault = fault;

      const started = Date.now();
      const result = await handler(memberWarning(), context);
      const took = Date.now() - started;

      expect(result.decision.outcome).toEqual({ outcome: 'alert' });
      expect(deps.sent.map((alert) => [alert.title, summaryCounts(alert), alert.enriched])).toEqual([['Spot interruption warning – service thumbnailer (prod)', null, false]]);
      // Two lookups (DescribeServices, DescribeTaskDefinition), each bounded by its 3 s deadline and the 2.5 s
      // AssumeRole bound; without them a silent STS would hold the function for the STS client's 3 × 10 s.
      expect(took).toBeLessThan(7_500);
      expect(aws.of('ecs')).toEqual([]);
      expect(logLines()).toContainEqual(expect.objectContaining({ level: 'warn', message: 'member lookup role not assumed', account: MEMBER, roleArn: ROLE_ARN, errorName: 'AssumeRoleError' }));

      const asked = aws.of('sts').length;
      aws.stsFault = null;
      // A fresh store: a second warning of the service would otherwise fold into the first alert.
      deps.alerting = { ...deps.alerting, store: new MemoryStore() };
      await handler(memberWarning(2), context);

      expect(aws.of('sts').length).toBe(asked + 1);
      expect(deps.sent.map((alert) => alert.enriched)).toEqual([false, true]);
      expect(summaryCounts(deps.sent[1])).toBe('3 of 4 tasks running');
    },
    20_000,
  );

  it('does not enrich member accounts when no lookup role is configured, and says so once per account', async () => {
    vi.stubEnv('MEMBER_LOOKUP_ROLE_NAME', '');
    const deps = deployedDeps();
    const handler = eventBridgeHandler(() => deps);

    await handler(memberWarning(), context);
    deps.alerting = { ...deps.alerting, store: new MemoryStore() };
    await handler(memberWarning(3), context);

    expect(deps.sent.map((alert) => [alert.key.split('|')[0], alert.enriched])).toEqual([
      [MEMBER, false],
      [MEMBER, false],
    ]);
    expect(logLines()).toEqual([
      { level: 'warn', message: 'member account not enriched: no lookup role configured (MEMBER_LOOKUP_ROLE_NAME)', account: MEMBER, region: 'us-west-2' },
    ]);
    expect(aws.requests).toEqual([]);
  });
});
