import { describe, expect, it } from 'vitest';
import type { Alert } from '../../../lib/alerts/alert.ts';
import type { GroupState } from '../../../lib/alerts/group-state.ts';
import { DEFAULT_GROUPING } from '../../../lib/alerts/grouping.ts';
import { handleEvent, type EventHandlerDeps } from '../../../lib/pipeline/receive.ts';
import { createLogger } from '../../../lib/log.ts';
import { MemoryStore } from '../../../lib/store/memory-store.ts';
import { taskEvent } from '../../support/events.ts';

// A Lambda invocation can end at any instruction (its timeout, the container frozen): here it ends between writing the
// message to the group's outbox and publishing it, or between publishing it and clearing the outbox. Lambda then
// retries the event (after about a minute, longer than the 30 s outbox lease). The message must go out exactly once
// in the first case and at most once more in the second: at least once, never zero.

class InvocationEnded extends Error {
  override readonly name = 'InvocationEnded';
}

/** A store whose putGroup ends the invocation the first time it would clear a published message from the outbox. */
class EndsWhileClearing extends MemoryStore {
  armed = true;
  override async putGroup(state: GroupState, expectedRev: number | null): Promise<boolean> {
    const current = (await this.getGroup(state.key))?.state;
    const clearing = current !== undefined && current.outbox.length > state.outbox.length;
    if (this.armed && clearing) {
      this.armed = false;
      throw new InvocationEnded('the invocation timed out after publishing');
    }
    return super.putGroup(state, expectedRev);
  }
}

function deps(store: MemoryStore, publish: (alert: Alert) => Promise<void>, clock: { now: number }): EventHandlerDeps {
  return {
    logger: createLogger(() => undefined),
    alerting: { store, notifier: { publish }, grouping: DEFAULT_GROUPING, clock: () => clock.now },
    now: () => new Date(clock.now),
  };
}

const EVENT = taskEvent({ stopCode: 'EssentialContainerExited', stoppedReason: 'Essential container in task exited' });

describe('an invocation that ends half-way', () => {
  it('sends the message exactly once when it ended between the store write and the publish', async () => {
    const store = new MemoryStore();
    const clock = { now: Date.parse('2025-03-14T09:30:00Z') };
    const sent: Alert[] = [];
    let ending = true;
    const publish = async (alert: Alert): Promise<void> => {
      if (ending) {
        ending = false;
        throw new InvocationEnded('the invocation timed out before publishing');
      }
      sent.push(alert);
    };

    await expect(handleEvent(EVENT, 'first attempt', deps(store, publish, clock))).rejects.toThrow(InvocationEnded);
    expect(sent).toHaveLength(0);
    clock.now += 60_000;
    await handleEvent(EVENT, 'Lambda retry', deps(store, publish, clock));
    await handleEvent(EVENT, 'a late duplicate', deps(store, publish, clock));

    expect(sent.map((alert) => alert.kind)).toEqual(['new']);
    expect((await store.groupsDue('9999-12-31T23:59:59Z')).flatMap((group) => group.state.outbox)).toEqual([]);
  });

  it('sends the message at most once more when it ended between the publish and the outbox clear', async () => {
    const store = new EndsWhileClearing();
    const clock = { now: Date.parse('2025-03-14T09:30:00Z') };
    const sent: Alert[] = [];
    const publish = async (alert: Alert): Promise<void> => void sent.push(alert);

    await expect(handleEvent(EVENT, 'first attempt', deps(store, publish, clock))).rejects.toThrow(InvocationEnded);
    expect(sent).toHaveLength(1);
    clock.now += 60_000;
    await handleEvent(EVENT, 'Lambda retry', deps(store, publish, clock));
    await handleEvent(EVENT, 'a late duplicate', deps(store, publish, clock));

    // The same message twice, with the same id, which subscribers that must never see one twice drop.
    expect(sent.map((alert) => alert.kind)).toEqual(['new', 'new']);
    expect(new Set(sent.map((alert) => alert.id)).size).toBe(1);
    expect((await store.groupsDue('9999-12-31T23:59:59Z')).flatMap((group) => group.state.outbox)).toEqual([]);
  });
});
