import { describe, expect, it } from 'vitest';
import { alertOnEvent, type AlertingDeps } from '../../../lib/pipeline/decide.ts';
import type { Alert } from '../../../lib/alerts/alert.ts';
import { DEFAULT_GROUPING } from '../../../lib/alerts/grouping.ts';
import { deploymentNotice, noticeStep, noticeWanted } from '../../../lib/trackers/deploy/notices.ts';
import { RECENT_EVENT_IDS } from '../../../lib/alerts/group-state.ts';
import { sampleAlert } from '../../support/alerts.ts';
import { messageAttributes } from '../../../lib/notify/sns-message.ts';
import { evaluate } from '../../../lib/pipeline/evaluate.ts';
import { MemoryStore } from '../../../lib/store/memory-store.ts';
import { DEFAULT_TRACKING } from '../../../lib/trackers/context.ts';
import { deploymentEvent } from '../../support/events.ts';
import { replay, scenario } from '../../support/scenario-replay.ts';

// Deployment notices: a CI pipeline subscribes a queue on `kind = deployment` and learns how its release went.

function deps(notifyDeployments: 'failures' | 'all'): { deps: AlertingDeps; sent: Alert[] } {
  const sent: Alert[] = [];
  return {
    deps: { store: new MemoryStore(), notifier: { publish: async (alert) => void sent.push(alert) }, grouping: DEFAULT_GROUPING, tracking: { ...DEFAULT_TRACKING, notifyDeployments } },
    sent,
  };
}

const ID = 'ecs-svc/7000000000000000001';
const started = { ...deploymentEvent({ deploymentId: ID }), id: 'started', time: '2025-04-01T08:00:00Z' };
const completed = { ...deploymentEvent({ deploymentId: ID, eventName: 'SERVICE_DEPLOYMENT_COMPLETED' }), id: 'completed', time: '2025-04-01T08:06:00Z' };
const failed = {
  ...deploymentEvent({ deploymentId: ID, eventName: 'SERVICE_DEPLOYMENT_FAILED', eventType: 'ERROR', reason: 'ECS deployment circuit breaker: task failed to start.' }),
  id: 'failed',
  time: '2025-04-01T08:05:00Z',
};

describe('deployment notices', () => {
  it('with notifyDeployments=all, tell a start and a completion, each once, as info the default filters leave out', async () => {
    const { deps: alerting, sent } = deps('all');
    for (const event of [started, completed]) await alertOnEvent(evaluate(event, 'test'), alerting);
    expect(sent.map((alert) => [alert.kind, alert.severity, alert.deploymentOutcome, alert.title])).toEqual([
      ['deployment', 'info', 'started', 'Deployment started – service api (prod)'],
      ['deployment', 'info', 'completed', 'Deployment completed – service api (prod)'],
    ]);
    expect(sent[1]!.summary).toBe(`Deployment ${ID} of service api (prod) completed at 2025-04-01T08:06:00Z.`);
    expect(new Set(sent.map((alert) => alert.key))).toEqual(new Set([`111122223333|us-west-2|prod|service:api|deployment-notice:${ID}`]));
    expect(sent.every((alert) => alert.firing === undefined)).toBe(true);
  });

  it('with the default (failures), tell neither a start nor a completion, but a failure, with the circuit breaker’s reason', async () => {
    const quiet = deps('failures');
    for (const event of [started, completed]) await alertOnEvent(evaluate(event, 'test'), quiet.deps);
    expect(quiet.sent).toEqual([]);
    const { deps: alerting, sent } = deps('failures');
    await alertOnEvent(evaluate(started, 'test'), alerting);
    const decision = await alertOnEvent(evaluate(failed, 'test'), alerting);
    const notice = sent.find((alert) => alert.kind === 'deployment');
    expect(notice?.summary).toBe(`Deployment ${ID} of service api (prod) failed at 2025-04-01T08:05:00Z: ECS deployment circuit breaker: task failed to start.`);
    // The decision names every message the event caused, the notice beside the trouble alert.
    expect(decision.messages.map((alert) => alert.kind).sort()).toEqual(['deployment', 'new']);
  });

  it('carry the outcome as a message attribute, ten attributes at most (what SQS accepts)', async () => {
    const { deps: alerting, sent } = deps('all');
    await alertOnEvent(evaluate(started, 'test'), alerting);
    const attributes = messageAttributes(sent[0]!);
    expect([attributes.kind?.StringValue, attributes.outcome?.StringValue]).toEqual(['deployment', 'started']);
    expect(Object.keys(attributes).length).toBeLessThanOrEqual(10);
  });

  it('go out once for an event delivered twice, even when the first delivery was not remembered', async () => {
    const { deps: alerting, sent } = deps('all');
    await alertOnEvent(evaluate(started, 'test'), alerting);
    // As if the invocation died after publishing and before remembering the event: the notice group knows the event.
    const forgetful = Object.assign(Object.create(alerting.store) as MemoryStore, { hasSeenEvent: async () => false });
    const again = await alertOnEvent(evaluate(structuredClone(started), 'test'), { ...alerting, store: forgetful });
    expect(again.messages).toEqual([]);
    expect(sent).toHaveLength(1);
  });

  it('tell a rolled-back release as failed, then rolled back, in the recorded rollback', async () => {
    const { sent } = await replay(scenario('deployment-rollback'));
    expect(sent.filter((alert) => alert.kind === 'deployment').map((alert) => [alert.deploymentOutcome, alert.facts.deploymentId])).toEqual([
      ['failed', 'ecs-svc/5830265113750824417'],
      ['rolled-back', 'ecs-svc/5830265113750824417'],
    ]);
  });

  it('are wanted by setting: failures and rollbacks always, starts and completions only with all', () => {
    expect((['started', 'completed', 'failed', 'rolled-back'] as const).map((outcome) => [noticeWanted(outcome, 'failures'), noticeWanted(outcome, 'all')])).toEqual([
      [false, true],
      [false, true],
      [true, true],
      [true, true],
    ]);
  });

  it('word a rollback, and keep the sentence of a detail whole', () => {
    const base = sampleAlert({ time: '2025-09-16T10:09:40Z' });
    const notice = deploymentNotice(base, 'scope', 'ecs-svc/1', 'rolled-back', 'rollback ecs-svc/2 to ecs-svc/0 completed.', 'e1');
    expect([notice.title, notice.summary, notice.status, notice.kind, notice.key]).toEqual([
      'Deployment rolled back – service orders-api (prod)',
      'Deployment ecs-svc/1 of service orders-api (prod) was rolled back at 2025-09-16T10:09:40Z: rollback ecs-svc/2 to ecs-svc/0 completed.',
      'resolved',
      'deployment',
      'scope|deployment-notice:ecs-svc/1',
    ]);
    // One deployment's notices have ids of their own, by outcome and time.
    expect(new Set([notice.id, deploymentNotice(base, 'scope', 'ecs-svc/1', 'failed', null, 'e1').id, deploymentNotice({ ...base, time: '2025-09-16T10:09:41Z' }, 'scope', 'ecs-svc/1', 'rolled-back', null, 'e1').id]).size).toBe(3);
  });
});

describe('noticeStep', () => {
  const notice = (time: string) => deploymentNotice(sampleAlert({ time }), 'scope', 'ecs-svc/1', 'started', null, null);

  it('keeps a group that never fires: counts each notice, keeps its first time, its outbox and the event ids', () => {
    const first = noticeStep(null, notice('2025-04-01T08:00:00Z'), 'scope', 'e1');
    expect(first.messages.map((message) => message.kind)).toEqual(['deployment']);
    expect(first.state).toMatchObject({ key: 'scope|deployment-notice:ecs-svc/1', scope: 'scope', status: 'resolved', phase: 'quiet', eventCount: 1, openedAt: '2025-04-01T08:00:00Z', recentEventIds: ['e1'], outbox: [] });
    expect(first.state!.unsent).toEqual({ count: 0, ids: [], firstTime: null, lastTime: null });
    const queued = { ...first.state!, outbox: [{ message: notice('2025-04-01T08:00:00Z'), queuedAt: '2025-04-01T08:00:01Z' }] };
    const second = noticeStep(queued, notice('2025-04-01T08:06:00Z'), 'scope', null);
    expect(second.state).toMatchObject({ eventCount: 2, openedAt: '2025-04-01T08:00:00Z', updatedAt: '2025-04-01T08:06:00Z', recentEventIds: ['e1'] });
    expect(second.state!.outbox).toHaveLength(1);
  });

  it('sends nothing for an event it has seen, and remembers a bounded number of events', () => {
    const seen = noticeStep(null, notice('2025-04-01T08:00:00Z'), 'scope', 'e1').state!;
    expect(noticeStep(seen, notice('2025-04-01T08:00:00Z'), 'scope', 'e1')).toEqual({ state: null, messages: [] });
    const full = { ...seen, recentEventIds: Array.from({ length: RECENT_EVENT_IDS }, (_, index) => `old-${index}`) };
    const next = noticeStep(full, notice('2025-04-01T08:01:00Z'), 'scope', 'e2').state!;
    expect(next.recentEventIds).toHaveLength(RECENT_EVENT_IDS);
    expect(next.recentEventIds.at(-1)).toBe('e2');
  });
});
