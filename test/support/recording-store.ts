import type { Alert } from '../../lib/alerts/alert.ts';
import type { GroupState } from '../../lib/alerts/group-state.ts';
import type { StoppedTaskEntry } from '../../lib/history/entry.ts';
import type { StoppedTaskQuery } from '../../lib/history/query.ts';
import type { AlertStore, StoredGroup, StoredRecord, Tally } from '../../lib/store/store.ts';

/** Sorts after every time a store is asked about: every group with work left is due then. */
const END_OF_TIME = '9999-12-31T23:59:59.999Z';

/**
 * A store that passes every call to another and remembers each message alerting ever wrote to an outbox: what it
 * decided to send, whatever became of the publish.
 */
export class RecordingStore implements AlertStore {
  /** Every message written to an outbox, by id. */
  readonly decided = new Map<string, Alert>();

  constructor(readonly inner: AlertStore) {}

  hasSeenEvent(eventId: string): Promise<boolean> {
    return this.inner.hasSeenEvent(eventId);
  }

  rememberEvent(eventId: string, time: string): Promise<void> {
    return this.inner.rememberEvent(eventId, time);
  }

  recordVersion(resource: string, version: number, eventId: string, time: string): Promise<'current' | 'stale'> {
    return this.inner.recordVersion(resource, version, eventId, time);
  }

  getGroup(key: string): Promise<StoredGroup | null> {
    return this.inner.getGroup(key);
  }

  async putGroup(state: GroupState, expectedRev: number | null): Promise<boolean> {
    const written = await this.inner.putGroup(state, expectedRev);
    if (written) for (const entry of state.outbox) this.decided.set(entry.message.id, entry.message);
    return written;
  }

  groupsInScope(scope: string): Promise<StoredGroup[]> {
    return this.inner.groupsInScope(scope);
  }

  groupsDue(now: string): Promise<StoredGroup[]> {
    return this.inner.groupsDue(now);
  }

  getRecord(kind: string, id: string): Promise<StoredRecord | null> {
    return this.inner.getRecord(kind, id);
  }

  putRecord(kind: string, id: string, value: unknown, expectedRev: number | null, expiresAt: string): Promise<boolean> {
    return this.inner.putRecord(kind, id, value, expectedRev, expiresAt);
  }

  addToTally(kind: string, id: string, member: string, category: string, expiresAt: string, first?: Record<string, string>): Promise<Tally | null> {
    return this.inner.addToTally(kind, id, member, category, expiresAt, first);
  }

  getTally(kind: string, id: string): Promise<Tally | null> {
    return this.inner.getTally(kind, id);
  }

  recordStoppedTask(entry: StoppedTaskEntry, expiresAt: string): Promise<void> {
    return this.inner.recordStoppedTask(entry, expiresAt);
  }

  stoppedTasks(query: StoppedTaskQuery): Promise<StoppedTaskEntry[]> {
    return this.inner.stoppedTasks(query);
  }

  /** The messages still waiting in an outbox: decided, not yet confirmed published. */
  async pending(): Promise<Alert[]> {
    return (await this.inner.groupsDue(END_OF_TIME)).flatMap((group) => group.state.outbox.map((entry) => entry.message));
  }
}
