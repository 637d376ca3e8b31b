import type { Alert } from '../alerts/alert.ts';
import type { GroupState, OutboxEntry } from '../alerts/group-state.ts';
import { advance, type GroupingConfig, type Step } from '../alerts/grouping.ts';
import { StoreConflictError } from '../errors.ts';
import type { Notifier } from '../notify/notifier.ts';
import { withConflictRetry } from '../store/optimistic.ts';
import type { AlertStore } from '../store/store.ts';
import { resolvedIfRecovered } from './recoveries.ts';

/**
 * The last stage: a group's change written with the messages it decided (the outbox), then published, then cleared
 * from the outbox; and the flush of what has fallen due. What every change of a group goes through, so that no
 * message is lost and none is sent twice by two writers.
 */

/** What publishing needs: the store that keeps the groups and their outboxes, and the notifier. */
export interface PublishDeps {
  store: AlertStore;
  notifier: Notifier;
  /** Wall clock in milliseconds, for the outbox lease; Date.now by default. */
  clock?: () => number;
}

/** What the flush of due messages needs besides: the grouping settings that say what is due. */
export interface FlushDeps extends PublishDeps {
  grouping: GroupingConfig;
}

/**
 * How long an outbox entry belongs to the invocation that wrote it. Longer than any publish takes (the functions
 * time out well before), shorter than Lambda's first retry of a failed event (about a minute).
 */
export const OUTBOX_LEASE_MS = 30_000;

function ageMs(entry: OutboxEntry, now: number): number {
  return now - Date.parse(entry.queuedAt);
}

/** Removes published messages from a group's outbox; a lost race is read again, a vanished entry is fine. */
async function clearOutbox(key: string, ids: ReadonlySet<string>, deps: PublishDeps): Promise<void> {
  await withConflictRetry<boolean>(`outbox of alert group ${key}`, async () => {
    const stored = await deps.store.getGroup(key);
    if (stored === null || !stored.state.outbox.some((entry) => ids.has(entry.message.id))) return { done: true, value: false };
    const outbox = stored.state.outbox.filter((entry) => !ids.has(entry.message.id));
    return (await deps.store.putGroup({ ...stored.state, outbox }, stored.rev)) ? { done: true, value: true } : { done: false };
  }).catch((error: unknown) => {
    // Left in the outbox, the messages are published again after the lease: at least once, never lost.
    if (!(error instanceof StoreConflictError)) throw error;
  });
}

/**
 * Changes one group with a conditional write, then publishes what the change decided. The messages are written
 * with the state (the outbox) before they are published and removed after, so if publishing fails the invocation
 * fails and whoever touches the group after the lease (the retried event, a later event, the flush) publishes
 * them: no alert is lost. A concurrent writer leaves entries younger than the lease alone, so a race does not send
 * one message twice. Each message has a stable id for consumers that must never see one twice.
 */
export async function changeGroup(key: string, deps: PublishDeps, decide: (current: GroupState | null) => Step): Promise<Alert[]> {
  return withConflictRetry<Alert[]>(`alert group ${key}`, async () => {
    const stored = await deps.store.getGroup(key);
    const current = stored?.state ?? null;
    const now = deps.clock?.() ?? Date.now();
    const queuedAt = new Date(now).toISOString();
    const abandoned = (current?.outbox ?? []).filter((entry) => ageMs(entry, now) >= OUTBOX_LEASE_MS);
    const decided = await resolvedIfRecovered(current, decide(current), deps.store);
    const base = decided.state ?? current;
    if (base === null || (decided.state === null && abandoned.length === 0)) return { done: true, value: [] };
    const step = { ...decided, messages: decided.messages.map((message) => withFiring(message, base)) };
    const toPublish = [...abandoned.map((entry) => entry.message), ...step.messages];
    const claimed = new Set(abandoned.map((entry) => entry.message.id));
    // Claiming an abandoned entry restamps it, so that no other writer publishes it at the same time.
    const outbox: OutboxEntry[] = [
      ...(current?.outbox ?? []).map((entry) => (claimed.has(entry.message.id) ? { ...entry, queuedAt } : entry)),
      ...step.messages.map((message) => ({ message, queuedAt })),
    ];
    if (!(await deps.store.putGroup({ ...base, outbox }, stored?.rev ?? null))) return { done: false };
    const published = new Set<string>();
    try {
      for (const message of toPublish) {
        await deps.notifier.publish(message);
        published.add(message.id);
      }
    } catch (error) {
      // What went out before the failure leaves the outbox now, or whoever takes the rest over would send it again.
      // The publish error is what fails the invocation; if this clean-up fails too, those messages are only sent twice.
      if (published.size > 0) await clearOutbox(key, published, deps).catch(() => undefined);
      throw error;
    }
    if (toPublish.length > 0) await clearOutbox(key, published, deps);
    return { done: true, value: toPublish };
  });
}

/** A message with since when its group fires and how many events it has counted, as of this message. */
function withFiring(message: Alert, state: GroupState): Alert {
  // A deployment notice belongs to no firing group.
  if (message.kind === 'deployment') return message;
  return { ...message, firing: { since: state.openedAt, events: state.eventCount } };
}

/**
 * Sends what is due at `now`: follow-ups of grouping windows that have closed, repeats of quiet periods that have
 * ended, and messages left in an outbox by a failed publish. The replay calls it on the event clock before each
 * event and once at the end of the input (`endOfInput`, which closes open windows); in AWS each invocation and a
 * schedule call it on the wall clock.
 */
export async function flushDue(now: string, deps: FlushDeps, endOfInput = false): Promise<Alert[]> {
  const groups = endOfInput ? await deps.store.groupsDue('9999-12-31T23:59:59.999Z') : await deps.store.groupsDue(now);
  const sent: Alert[] = [];
  for (const group of groups) {
    sent.push(...(await changeGroup(group.state.key, deps, (current) => (current === null ? { state: null, messages: [] } : advance(current, now, deps.grouping, endOfInput)))));
  }
  return sent;
}
