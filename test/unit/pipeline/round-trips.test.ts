import { describe, expect, it } from 'vitest';
import type { Alert } from '../../../lib/alerts/alert.ts';
import { DEFAULT_GROUPING } from '../../../lib/alerts/grouping.ts';
import { createLogger } from '../../../lib/log.ts';
import { handleEvent, type EventHandlerDeps } from '../../../lib/pipeline/receive.ts';
import { MemoryStore } from '../../../lib/store/memory-store.ts';
import type { AlertStore } from '../../../lib/store/store.ts';
import { taskEvent } from '../../support/events.ts';

// What one event costs in store calls and publishes, by what becomes of it (issue 13: a duplicate costs one read).


/** A store whose every call is counted by method. */
function countingStore(): { store: AlertStore; calls: string[] } {
  const inner = new MemoryStore();
  const calls: string[] = [];
  const store = new Proxy(inner, {
    get(target, property, receiver) {
      const value: unknown = Reflect.get(target, property, receiver);
      if (typeof value !== 'function') return value;
      return (...args: unknown[]) => {
        calls.push(String(property));
        return (value as (...parameters: unknown[]) => unknown).apply(target, args);
      };
    },
  });
  return { store, calls };
}

function deps(now: string): { deps: EventHandlerDeps; calls: string[]; sent: Alert[] } {
  const { store, calls } = countingStore();
  const sent: Alert[] = [];
  return {
    deps: { logger: createLogger(() => undefined), alerting: { store, notifier: { publish: async (alert) => void sent.push(alert) }, grouping: DEFAULT_GROUPING }, now: () => new Date(now) },
    calls,
    sent,
  };
}

const oom = (id: string, task: string, time: string): Record<string, unknown> => ({
  ...taskEvent({ stopCode: 'EssentialContainerExited', stoppedReason: 'Essential container in task exited', taskArn: `arn:aws:ecs:us-west-2:111122223333:task/prod/${task}` }, [
    { name: 'web', exitCode: 137, reason: 'OutOfMemoryError: Container killed due to memory usage' },
  ]),
  id,
  time,
});

describe('store calls per event', () => {
  it('a duplicate costs one read and publishes nothing', async () => {
    const run = deps('2025-03-14T09:30:00Z');
    const event = oom('first', 'a'.repeat(32), '2025-03-14T09:29:00Z');
    await handleEvent(event, 'test', run.deps);
    run.calls.length = 0;
    const sentBefore = run.sent.length;
    const again = await handleEvent(structuredClone(event), 'test', run.deps);
    expect(again.decision.outcome).toEqual({ outcome: 'suppressed', suppressedBecause: 'duplicate' });
    expect(run.calls).toEqual(['hasSeenEvent']);
    expect(run.sent.length).toBe(sentBefore);
  });

  it('a new alert looks for nothing due: its own message is the first to go out', async () => {
    const run = deps('2025-03-14T09:30:00Z');
    await handleEvent(oom('first', 'a'.repeat(32), '2025-03-14T09:29:00Z'), 'test', run.deps);
    expect(run.calls.filter((call) => call === 'groupsDue')).toEqual([]);
    expect(run.calls[0]).toBe('hasSeenEvent');
    expect(run.sent.map((alert) => alert.kind)).toEqual(['new']);
  });

  it('a late event folded into a window that has closed sends its follow-up in the same invocation', async () => {
    const run = deps('2025-03-14T09:40:00Z');
    await handleEvent(oom('first', 'a'.repeat(32), '2025-03-14T09:29:00Z'), 'test', run.deps);
    run.calls.length = 0;
    const late = await handleEvent(oom('second', 'b'.repeat(32), '2025-03-14T09:30:00Z'), 'test', run.deps);
    expect(late.decision.outcome).toEqual({ outcome: 'grouped' });
    expect(run.calls.filter((call) => call === 'groupsDue')).toHaveLength(1);
    expect(run.sent.map((alert) => alert.kind)).toEqual(['new', 'follow-up']);
  });
});
