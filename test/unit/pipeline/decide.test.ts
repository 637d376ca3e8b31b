import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { alertOnEvent, type AlertingDeps } from '../../../lib/pipeline/decide.ts';
import { flushDue, OUTBOX_LEASE_MS } from '../../../lib/pipeline/publish.ts';
import type { Alert } from '../../../lib/alerts/alert.ts';
import { DEFAULT_GROUPING } from '../../../lib/alerts/grouping.ts';
import type { Notifier } from '../../../lib/notify/notifier.ts';
import { evaluate } from '../../../lib/pipeline/evaluate.ts';
import { MemoryStore } from '../../../lib/store/memory-store.ts';
import { EVENTS_DIR, loadFixture } from '../../support/fixtures.ts';

class RecordingNotifier implements Notifier {
  readonly sent: Alert[] = [];
  failuresLeft = 0;

  async publish(alert: Alert): Promise<void> {
    if (this.failuresLeft > 0) {
      this.failuresLeft -= 1;
      throw new Error('SNS is down');
    }
    this.sent.push(alert);
  }
}

function deps(notifier = new RecordingNotifier(), store = new MemoryStore()): AlertingDeps & { notifier: RecordingNotifier } {
  return { store, notifier, grouping: DEFAULT_GROUPING };
}

function scenario(): Record<string, unknown>[] {
  return readFileSync(`${EVENTS_DIR}scenarios/oom-crash-loop.jsonl`, 'utf8')
    .trim()
    .split('\n')
    .map((line) => JSON.parse(line) as Record<string, unknown>);
}

/** Replays events as the replay command does: the event's time is the clock, due messages go out before each event. */
async function replayAll(events: Record<string, unknown>[], alerting: AlertingDeps): Promise<string[]> {
  const outcomes: string[] = [];
  for (const event of events) {
    const evaluated = evaluate(event, 'test');
    if (evaluated.verdict.time !== null) await flushDue(evaluated.verdict.time, alerting);
    const decision = await alertOnEvent(evaluated, alerting);
    outcomes.push(decision.outcome.outcome === 'suppressed' ? `suppressed:${decision.outcome.suppressedBecause}` : decision.outcome.outcome);
  }
  await flushDue('', alerting, true);
  return outcomes;
}

describe('alertOnEvent', () => {
  it('turns a crash loop of 8 OOM stops into a warning, one critical crash-loop alert, its follow-up and one resolved notice', async () => {
    const alerting = deps();
    const outcomes = await replayAll(scenario(), alerting);
    expect(outcomes).toEqual(['alert', 'grouped', 'alert', 'grouped', 'suppressed:duplicate', 'grouped', 'grouped', 'grouped', 'grouped', 'resolved']);
    expect(alerting.notifier.sent.map((alert) => [alert.kind, alert.severity, alert.title])).toEqual([
      ['new', 'warning', 'Out of memory – service orders-api (prod)'],
      ['new', 'critical', 'Crash loop – service orders-api (prod): 3 tasks stopped in 10 min'],
      ['follow-up', 'critical', 'Crash loop – service orders-api (prod): 5 more tasks in 5 min'],
      ['resolved', 'critical', 'Resolved: Crash loop – service orders-api (prod)'],
    ]);
    expect(alerting.notifier.sent[1]!.summary).toBe(
      '3 tasks of service orders-api (prod) stopped within 10 minutes — 3× out of memory. Latest: OutOfMemoryError in container orders-api.',
    );
    expect(alerting.notifier.sent[2]!.group.ids).toHaveLength(5);
  });

  it('alerts once when the same events are replayed twice in one run', async () => {
    const alerting = deps();
    await replayAll([...scenario(), ...scenario()], alerting);
    expect(alerting.notifier.sent.map((alert) => alert.kind)).toEqual(['new', 'new', 'follow-up', 'resolved']);
  });

  it('never notifies for info events', async () => {
    const alerting = deps();
    const decision = await alertOnEvent(evaluate(loadFixture('task/stopped-scale-in.json'), 'test'), alerting);
    expect(decision.outcome).toEqual({ outcome: 'suppressed', suppressedBecause: 'info' });
    expect(alerting.notifier.sent).toEqual([]);
  });

  it('drops a task event whose detail.version is older than one already seen', async () => {
    const alerting = deps();
    await alertOnEvent(evaluate(loadFixture('task/stopped-spot-interruption.json'), 'test'), alerting);
    const late = await alertOnEvent(evaluate(loadFixture('task/spot-deprovisioning.json'), 'test'), alerting);
    expect(late.outcome).toEqual({ outcome: 'suppressed', suppressedBecause: 'stale' });
  });

  it('loses no alert when publishing fails: the event retried after the outbox lease publishes it, once', async () => {
    let now = Date.parse('2026-01-01T00:00:00Z');
    const alerting = { ...deps(), clock: () => now };
    alerting.notifier.failuresLeft = 1;
    const event = evaluate(loadFixture('task/stopped-oom.json'), 'test');
    await expect(alertOnEvent(event, alerting)).rejects.toThrow('SNS is down');
    now += OUTBOX_LEASE_MS;
    const retried = await alertOnEvent(event, alerting);
    expect(alerting.notifier.sent.map((alert) => alert.kind)).toEqual(['new']);
    expect(retried.messages.map((alert) => alert.kind)).toEqual(['new']);
  });

  it('leaves a message being published by another invocation alone until its lease has passed, then the flush sends it', async () => {
    let now = Date.parse('2026-01-01T00:00:00Z');
    const alerting = { ...deps(), clock: () => now };
    alerting.notifier.failuresLeft = 1;
    await expect(alertOnEvent(evaluate(loadFixture('task/stopped-oom.json'), 'test'), alerting)).rejects.toThrow('SNS is down');
    expect(await flushDue('2025-03-14T09:27:00Z', alerting)).toEqual([]);
    now += OUTBOX_LEASE_MS;
    expect((await flushDue('2025-03-14T09:27:00Z', alerting)).map((alert) => alert.kind)).toEqual(['new']);
    expect(alerting.notifier.sent).toHaveLength(1);
    expect(await flushDue('2025-03-14T09:27:00Z', alerting)).toEqual([]);
  });

  it('alerts once when two deliveries of one event race each other', async () => {
    const alerting = deps();
    const event = evaluate(loadFixture('task/stopped-oom.json'), 'test');
    const decisions = await Promise.all([alertOnEvent(event, alerting), alertOnEvent(event, alerting)]);
    expect(decisions.map((decision) => decision.outcome.outcome).sort()).toEqual(['alert', 'suppressed']);
    expect(alerting.notifier.sent).toHaveLength(1);
  });

  it('alerts once when two different failures of one service race each other', async () => {
    const alerting = deps();
    const [first, second] = scenario();
    const decisions = await Promise.all([alertOnEvent(evaluate(first, 'a'), alerting), alertOnEvent(evaluate(second, 'b'), alerting)]);
    expect(decisions.map((decision) => decision.outcome.outcome).sort()).toEqual(['alert', 'grouped']);
    expect(alerting.notifier.sent).toHaveLength(1);
  });

  it('adds log links from the task definition lookup, and sends the alert without them when the lookup fails', async () => {
    const looked: string[] = [];
    const alerting: AlertingDeps & { notifier: RecordingNotifier } = {
      ...deps(),
      taskDefinitions: async (arn) => {
        looked.push(arn);
        return null;
      },
    };
    await alertOnEvent(evaluate(loadFixture('task/stopped-oom.json'), 'test'), alerting);
    expect(looked).toEqual(['arn:aws:ecs:us-west-2:111122223333:task-definition/orders-api:212']);
    expect(alerting.notifier.sent[0]).toMatchObject({ enriched: false, kind: 'new' });
  });
});
