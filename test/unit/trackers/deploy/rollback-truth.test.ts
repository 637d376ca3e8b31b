import { describe, expect, it } from 'vitest';
import type { Alert } from '../../../../lib/alerts/alert.ts';
import { DEFAULT_GROUPING } from '../../../../lib/alerts/grouping.ts';
import { serviceDeploymentFacts, type ServiceDeploymentFacts, type ServiceDeploymentFields, type ServiceDeploymentLookup } from '../../../../lib/aws/service-deployments.ts';
import { parseAlertMessage } from '../../../../lib/notify/alert-message.ts';
import { snsMessage } from '../../../../lib/notify/sns-message.ts';
import { alertOnEvent, type AlertingDeps } from '../../../../lib/pipeline/decide.ts';
import { evaluate } from '../../../../lib/pipeline/evaluate.ts';
import { flushDue } from '../../../../lib/pipeline/publish.ts';
import { renderEmail } from '../../../../lib/render/email.ts';
import { renderSlack } from '../../../../lib/render/slack.ts';
import { renderTeams } from '../../../../lib/render/teams.ts';
import { factViews } from '../../../../lib/render/view.ts';
import { MemoryStore } from '../../../../lib/store/memory-store.ts';
import type { TrackingLookups } from '../../../../lib/trackers/context.ts';
import { rollbackFactsOf, withRollbackTruth } from '../../../../lib/trackers/deploy/rollback-truth.ts';
import { recordedLookups } from '../../../../lib/replay/recorded-api.ts';
import { recordedBody } from '../../../support/api-responses.ts';
import { EVENTS_DIR } from '../../../support/fixtures.ts';
import { replay, scenario } from '../../../support/scenario-replay.ts';

/** A recorded DescribeServiceDeployments answer (`events/api/describe-service-deployments/<variant>.json`), read as the lookup reads it. */
function recorded(variant: string): ServiceDeploymentFacts {
  const body = JSON.parse(recordedBody(`describe-service-deployments/${variant}.json`)) as { serviceDeployments: ServiceDeploymentFields[] };
  const facts = serviceDeploymentFacts(body.serviceDeployments[0]);
  if (facts === null) throw new Error(`recorded answer ${variant} has no service deployment`);
  return facts;
}

/** checkout's failed deployment as ECS would tell it, derived from the recording by changing its status. */
const checkoutRollback = (status: string): ServiceDeploymentFacts => ({ ...recorded('checkout-rollback-in-progress'), status });

const FAILED = 'ecs-svc/5830265113750824417';
const ROLLBACK = 'ecs-svc/6172093350118462233';
const GROUP = `111122223333|eu-west-1|shop-prod|service:checkout|deployment:${FAILED}`;

/** A lookup that answers as told and records what it was asked. */
function lookupAnswering(answer: (deploymentId: string, at: string) => ServiceDeploymentFacts | null | Promise<never>) {
  const asked: [string, string, string, string][] = [];
  const lookup: ServiceDeploymentLookup = async (cluster, service, deploymentId, at) => {
    asked.push([cluster, service, deploymentId, at]);
    return answer(deploymentId, at);
  };
  return { lookup, asked };
}

/**
 * Delivers events in order with the events' times as the clock, as the replay does: the ECS API answers from the
 * recordings of events/api, but for DescribeServiceDeployments, which answers as the test says (or is not there).
 */
async function deliver(events: readonly Record<string, unknown>[], serviceDeployments?: ServiceDeploymentLookup | 'recorded'): Promise<Alert[]> {
  const sent: Alert[] = [];
  const api = (await recordedLookups(`${EVENTS_DIR}api`))({ account: '111122223333', region: 'eu-west-1', partition: 'aws' });
  const deploymentLookup = serviceDeployments === 'recorded' ? api.serviceDeployments : serviceDeployments;
  const lookups: TrackingLookups = { services: api.services, ...(deploymentLookup === undefined ? {} : { serviceDeployments: deploymentLookup }) };
  const deps: AlertingDeps = {
    store: new MemoryStore(),
    notifier: { publish: async (alert) => void sent.push(alert) },
    grouping: DEFAULT_GROUPING,
    taskDefinitions: api.taskDefinitions,
    logTails: api.logTails,
    lookups,
  };
  for (const event of events) {
    const evaluated = evaluate(event, 'test');
    if (evaluated.verdict.time !== null) await flushDue(evaluated.verdict.time, deps);
    await alertOnEvent(evaluated, deps);
  }
  await flushDue('', deps, true);
  return sent;
}

/** The recorded failed release of checkout, up to its rollback starting (lines 1 to 8). */
const untilRollback = (): Record<string, unknown>[] => scenario('deployment-rollback').slice(0, 8);

const alerts = (sent: readonly Alert[]): Alert[] => sent.filter((alert) => alert.kind !== 'deployment');

/** The email's text with its wrapping undone, to look for a sentence whatever the line breaks. */
const emailText = (alert: Alert): string => renderEmail(alert).text.replace(/\s+/g, ' ');

describe('deployment alerts told with DescribeServiceDeployments', () => {
  it('asks about the deployment that failed, at the failure and at its rollback, and not while its tasks are only failing', async () => {
    const { lookup, asked } = lookupAnswering(() => checkoutRollback('ROLLBACK_IN_PROGRESS'));

    const sent = alerts(await deliver(untilRollback(), lookup));

    expect(asked).toEqual([
      ['shop-prod', 'checkout', FAILED, '2025-09-16T10:04:30Z'],
      ['shop-prod', 'checkout', FAILED, '2025-09-16T10:04:31Z'],
    ]);
    expect(sent.map((alert) => [alert.kind, alert.key, alert.facts.rollback?.status])).toEqual([
      ['new', GROUP, undefined],
      ['follow-up', GROUP, 'ROLLBACK_IN_PROGRESS'],
    ]);
    expect(sent[1]?.summary).toContain('ECS reports the rollback in progress (ROLLBACK_IN_PROGRESS): The circuit breaker initiated the rollback operation.');
  });

  it('pages critical when ECS reports the rollback failed: the service may be running neither version, and how to put the last good one back', async () => {
    const { lookup } = lookupAnswering(() => checkoutRollback('ROLLBACK_FAILED'));

    const update = alerts(await deliver(untilRollback(), lookup)).at(-1)!;

    expect(update).toMatchObject({ kind: 'follow-up', severity: 'critical', title: 'Rollback failed – service checkout (shop-prod)', enriched: true });
    expect(update.summary).toContain('ECS reports the rollback failed (ROLLBACK_FAILED): The circuit breaker initiated the rollback operation; the service may be running neither version.');
    expect(update.facts.remedy).toContain('aws ecs update-service --cluster shop-prod --service checkout --task-definition FAMILY:REVISION');
    expect(emailText(update)).toContain('Rollback ROLLBACK_FAILED (started 2025-09-16 10:04:30 UTC): The circuit breaker initiated the rollback operation.');
    expect(renderEmail(update).subject).toContain('[CRITICAL] Rollback failed');
  });

  it('pages critical when the rollback deployment itself fails and ECS says ROLLBACK_FAILED, though no event says the rollback failed', async () => {
    // No AWS page shows the event of a rollback deployment that fails: built from the scenario's own FAILED event.
    const failedRollback: Record<string, unknown> = { ...scenario('deployment-rollback')[6]!, id: 'b0e1a8c2-5d7f-4e36-9a41-3c2f6d8e9b10', time: '2025-09-16T10:12:00Z' };
    failedRollback.detail = { ...(failedRollback.detail as Record<string, unknown>), deploymentId: ROLLBACK, updatedAt: '2025-09-16T10:11:59Z' };
    const { lookup, asked } = lookupAnswering((_id, at) => checkoutRollback(at < '2025-09-16T10:10:00Z' ? 'ROLLBACK_IN_PROGRESS' : 'ROLLBACK_FAILED'));

    const sent = alerts(await deliver([...untilRollback(), failedRollback], lookup));

    expect(asked.at(-1)).toEqual(['shop-prod', 'checkout', ROLLBACK, '2025-09-16T10:12:00Z']);
    const last = sent.at(-1)!;
    expect(last).toMatchObject({ kind: 'new', severity: 'critical', key: `111122223333|eu-west-1|shop-prod|service:checkout|deployment:${ROLLBACK}`, title: 'Rollback failed – service checkout (shop-prod)' });
    expect(last.summary).toContain('the service may be running neither version');
  });

  it('warns, with the reason, when ECS reports the rollback succeeded: the release failed but the previous version serves', async () => {
    const { lookup } = lookupAnswering(() => checkoutRollback('ROLLBACK_SUCCESSFUL'));

    const update = alerts(await deliver(untilRollback(), lookup)).at(-1)!;

    expect(update).toMatchObject({ kind: 'follow-up', severity: 'warning', title: 'Deployment rolling back – service checkout (shop-prod) to ecs-svc/4715832049917311442' });
    expect(update.summary).toContain('ECS reports the rollback succeeded (ROLLBACK_SUCCESSFUL): The circuit breaker initiated the rollback operation; the service runs its previous version again.');
    expect(emailText(update)).toContain('Rollback ROLLBACK_SUCCESSFUL (started 2025-09-16 10:04:30 UTC): The circuit breaker initiated the rollback operation.');
  });

  it.each<[string, () => ServiceDeploymentFacts | null | Promise<never>]>([
    ['answers nothing', () => null],
    ['fails', () => Promise.reject(new Error('socket hang up'))],
  ])('sends the alert all the same, saying the rollback status is not known, when DescribeServiceDeployments %s', async (_what, answer) => {
    const { lookup } = lookupAnswering(answer);

    const update = alerts(await deliver(untilRollback(), lookup)).at(-1)!;

    expect(update).toMatchObject({ kind: 'follow-up', severity: 'critical', title: 'Deployment rolling back – service checkout (shop-prod) to ecs-svc/4715832049917311442', enriched: false });
    expect(update.facts.rollback).toBeNull();
    expect(emailText(update)).toContain('Rollback rollback status not known: DescribeServiceDeployments did not answer');
    expect(JSON.stringify(renderTeams(update))).toContain('rollback status not known: DescribeServiceDeployments did not answer');
    expect(JSON.stringify(renderSlack(update))).toContain('Some facts or links may be missing');
  });

  it('tells deployments as before when there is no lookup to ask', async () => {
    const sent = alerts(await deliver(untilRollback()));
    expect(sent.map((alert) => [alert.kind, alert.severity, 'rollback' in alert.facts, alert.enriched])).toEqual([
      ['new', 'critical', false, true],
      ['follow-up', 'critical', false, true],
    ]);
  });

  it('answers from the recorded responses of events/api as the replay does: the deployment created last before the event', async () => {
    const sent = alerts(await deliver(scenario('deployment-rollback'), 'recorded'));

    expect(sent.map((alert) => [alert.kind, alert.facts.rollback?.status ?? null, alert.facts.rollback?.startedAt ?? null])).toEqual([
      ['new', null, null],
      ['follow-up', 'ROLLBACK_IN_PROGRESS', '2025-09-16T10:04:30.131Z'],
      ['resolved', 'ROLLBACK_IN_PROGRESS', '2025-09-16T10:04:30.131Z'],
    ]);
    // Before the failed release was created the list gives the deployment before it, which no recording describes.
    const early = await (await recordedLookups(`${EVENTS_DIR}api`))({ account: '111122223333', region: 'eu-west-1', partition: 'aws' }).serviceDeployments('shop-prod', 'checkout', 'ecs-svc/4715832049917311442', '2025-09-16T08:00:00Z');
    expect(early).toBeNull();
    // Another account's events never get the monitoring account's recordings.
    expect(await (await recordedLookups(`${EVENTS_DIR}api`))({ account: '222222222222', region: 'eu-west-1', partition: 'aws' }).serviceDeployments('shop-prod', 'checkout', 'ecs-svc/1', '2025-09-16T10:04:31Z')).toBeNull();
  });

  it('shows the recorded answer in the replay of the recorded failed release', async () => {
    const { sent } = await replay(scenario('deployment-rollback'));

    const update = sent.find((alert) => alert.kind === 'follow-up' && alert.key === GROUP)!;
    expect(update.facts.rollback).toEqual({
      status: 'ROLLBACK_IN_PROGRESS',
      statusReason: 'ECS deployment circuit breaker: task failed to start.',
      reason: 'The circuit breaker initiated the rollback operation.',
      startedAt: '2025-09-16T10:04:30.131Z',
      stage: null,
      hooks: [],
      updatedAt: '2025-09-16T10:04:30.131Z',
    });
    expect(update.summary).toContain('ECS reports the rollback in progress (ROLLBACK_IN_PROGRESS): The circuit breaker initiated the rollback operation.');
    // The resolved notice says how it ended, not what ECS said while it was rolling back.
    const resolved = sent.find((alert) => alert.kind === 'resolved' && alert.key === GROUP)!;
    expect(factViews(resolved).map((row) => row.key)).not.toContain('rollback');
  });
});

describe('withRollbackTruth', () => {
  const base = (): Alert => ({
    id: 'a1',
    key: GROUP,
    kind: 'follow-up',
    status: 'firing',
    severity: 'critical',
    category: 'deployment_failed',
    spot: false,
    title: 'Deployment failed – service checkout (shop-prod)',
    summary: `Deployment ${FAILED} of service checkout (shop-prod): 4 tasks failed.`,
    time: '2025-09-16T10:04:31Z',
    facts: {
      account: '111122223333',
      region: 'eu-west-1',
      cluster: 'shop-prod',
      service: 'checkout',
      taskFamily: null,
      taskArn: null,
      taskDefinition: 'checkout:42',
      containerInstanceArn: null,
      ec2InstanceId: null,
      deploymentId: FAILED,
      status: null,
      stopCode: null,
      reason: 'ECS deployment circuit breaker: rolling back to deploymentId ecs-svc/4715832049917311442.',
      cause: 'The tasks of the new deployment keep failing.',
      remedy: 'Fix the release.',
      containers: [],
    },
    links: { task: null, service: null, docs: 'https://docs.aws.amazon.com/AmazonECS/latest/developerguide/deployment-circuit-breaker.html' },
    group: { count: 4, ids: [], firstTime: '2025-09-16T10:00:00Z', lastTime: '2025-09-16T10:04:31Z', windowMinutes: 5 },
    enriched: true,
  });

  it('lists the hooks that ran, and who must act by when on one that waits', () => {
    const paused = withRollbackTruth(base(), recorded('my-service-paused-hook'));
    const rows = factViews(paused);
    expect(rows.find((row) => row.key === 'rollback')).toEqual({ key: 'rollback', label: 'Deployment status', lines: ['IN_PROGRESS'] });
    expect(rows.find((row) => row.key === 'hooks')?.lines).toEqual(['PAUSE hook ecs-pause-Xk7rT2mP9sLwQn4vB8fYd3hJ6gA1cE5iO0uR_ZpWq: AWAITING_ACTION, times out 2026-05-06 16:03:00 UTC (then ROLLBACK)']);
    expect(paused.summary).toContain('ECS reports the deployment IN_PROGRESS.');
    const lambda = withRollbackTruth(base(), {
      ...checkoutRollback('ROLLBACK_IN_PROGRESS'),
      lifecycleStage: 'POST_TEST_TRAFFIC_SHIFT',
      hooks: [{ hookId: 'h-1', targetType: 'AWS_LAMBDA', targetArn: 'arn:aws:lambda:eu-west-1:111122223333:function:smoke-test', status: 'FAILED', expiresAt: null, timeoutAction: 'ROLLBACK' }],
    });
    expect(factViews(lambda).filter((row) => row.key === 'rollback' || row.key === 'hooks')).toEqual([
      { key: 'rollback', label: 'Rollback', lines: ['ROLLBACK_IN_PROGRESS (started 2025-09-16 10:04:30 UTC) at stage POST_TEST_TRAFFIC_SHIFT: The circuit breaker initiated the rollback operation.'] },
      { key: 'hooks', label: 'Hooks', lines: ['AWS_LAMBDA hook h-1 (arn:aws:lambda:eu-west-1:111122223333:function:smoke-test): FAILED'] },
    ]);
  });

  it('escapes a hostile reason for each channel and keeps odd names out of the commands it suggests', () => {
    const hostile = withRollbackTruth(
      { ...base(), facts: { ...base().facts, cluster: 'prod; rm -rf /', service: '$(curl evil)' } },
      { ...checkoutRollback('ROLLBACK_FAILED'), rollback: { reason: '<!channel> see <https://evil.example|here> & pay', startedAt: null, serviceRevisionArn: null } },
    );
    expect(hostile.facts.remedy).toContain('aws ecs update-service --cluster CLUSTER --service SERVICE --task-definition FAMILY:REVISION');
    const slack = JSON.stringify(renderSlack(hostile));
    expect(slack).not.toContain('<!channel>');
    expect(slack).toContain('&lt;!channel&gt; see &lt;https://evil.example|here&gt; &amp; pay');
    expect(JSON.stringify(renderTeams(hostile))).not.toContain('[here](');
    expect(emailText(hostile)).toContain('Rollback ROLLBACK_FAILED: <!channel> see <https://evil.example|here> & pay');
  });

  it('cuts a very long reason, so the facts never crowd a message out', () => {
    const long = rollbackFactsOf({ ...checkoutRollback('ROLLBACK_FAILED'), rollback: { reason: 'x'.repeat(5_000), startedAt: null, serviceRevisionArn: null } });
    expect(Array.from(long.reason ?? '')).toHaveLength(1_000);
  });

  it('travels in the SNS message to the delivery function and back, known or not', () => {
    for (const found of [checkoutRollback('ROLLBACK_FAILED'), recorded('my-service-paused-hook'), null]) {
      const alert = withRollbackTruth(base(), found);
      const body = (JSON.parse(snsMessage(alert).Message) as { default: string }).default;
      expect(parseAlertMessage(body, 'test')).toEqual(alert);
    }
    const body = JSON.parse((JSON.parse(snsMessage(withRollbackTruth(base(), recorded('my-service-paused-hook'))).Message) as { default: string }).default) as { alert: { facts: { rollback: { hooks: unknown[] } } } };
    body.alert.facts.rollback.hooks = [{ hookId: 7 }];
    expect(() => parseAlertMessage(JSON.stringify(body), 'test')).toThrow(/alert\.facts\.rollback\.hooks\[0\]\.hookId: expected a string/);
  });
});
