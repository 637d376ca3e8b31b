import type { GroupState } from '../alerts/group-state.ts';
import type { StoppedTaskEntry } from '../history/entry.ts';
import type { StoppedTaskQuery } from '../history/query.ts';

/** A group state as stored, with the revision a conditional write must name. */
export interface StoredGroup {
  state: GroupState;
  rev: number;
}

/** A tracker's record (a service's deployments, recent failures, Spot history, an instance's cluster), with its revision. */
export interface StoredRecord {
  /** Plain JSON as the tracker wrote it; the tracker that owns the kind reads it back. */
  value: unknown;
  rev: number;
}

/**
 * A set of members counted by category, changed by atomic additions only: what many concurrent invocations update at
 * once (the failed tasks of one deployment in a burst) without a read-modify-write, so none loses a race.
 */
export interface Tally {
  /** Members counted, each once. */
  total: number;
  byCategory: Record<string, number>;
  /** Every member counted (unordered). */
  members: string[];
  /** Values given with additions, each as the first addition that gave it set it. */
  first: Record<string, string>;
}

/** Members a tally holds at most: 5,000 task ids of 32 characters take about 180 KB of a 400 KB DynamoDB item. */
export const MAX_TALLY_MEMBERS = 5_000;

/**
 * Where alerting keeps what it must remember between events: DynamoDB in AWS (one table, TTL, conditional writes),
 * memory for the local replay. Every write that two concurrent Lambdas could race is conditional.
 */
export interface AlertStore {
  /** True when this event id was already processed to the end (a duplicate delivery). */
  hasSeenEvent(eventId: string): Promise<boolean>;
  /** Records that an event was processed to the end; `time` is the event's time (ISO), for expiry. */
  rememberEvent(eventId: string, time: string): Promise<void>;
  /**
   * Records the `detail.version` of a task or container instance, atomically. Returns 'stale' when a version at
   * least as new was already recorded by another event (the same event, retried, is not stale).
   */
  recordVersion(resource: string, version: number, eventId: string, time: string): Promise<'current' | 'stale'>;
  getGroup(key: string): Promise<StoredGroup | null>;
  /**
   * Writes a group state if its revision is still `expectedRev` (null: the group must not exist yet).
   * Returns false, writing nothing, when another writer got there first; the caller reads again and re-decides.
   */
  putGroup(state: GroupState, expectedRev: number | null): Promise<boolean>;
  /** Every group of one scope (`account|region|cluster|service:NAME`), to resolve them when the service recovers. */
  groupsInScope(scope: string): Promise<StoredGroup[]>;
  /** Groups with work due at `now` (ISO): a grouping window that has ended with events not yet told, or an outbox not yet published. */
  groupsDue(now: string): Promise<StoredGroup[]>;
  /** A tracker's record of `kind` (e.g. `deployments`) for `id` (e.g. a service scope), or null. */
  getRecord(kind: string, id: string): Promise<StoredRecord | null>;
  /**
   * Writes a record if its revision is still `expectedRev` (null: it must not exist yet); false, writing nothing,
   * when another writer got there first. `expiresAt` (ISO) bounds how long the store keeps it.
   */
  putRecord(kind: string, id: string, value: unknown, expectedRev: number | null, expiresAt: string): Promise<boolean>;
  /**
   * Counts `member` under `category` in the tally `kind`/`id`, atomically and at most once: resolves the tally as it
   * is after this addition, or null when the member was already counted (a duplicate delivery). Concurrent additions
   * never conflict, whatever their number. Each value of `first` (names of letters only) is kept unless an earlier
   * addition set it. A tally holds at most `maxMembers` members (default MAX_TALLY_MEMBERS): a DynamoDB item holds
   * 400 KB, and a service crash-looping for days must not make every later addition fail; past it, an addition counts
   * nothing and resolves null, like a duplicate.
   */
  addToTally(kind: string, id: string, member: string, category: string, expiresAt: string, first?: Record<string, string>, maxMembers?: number): Promise<Tally | null>;
  /** The tally `kind`/`id`, or null when nothing was counted in it. */
  getTally(kind: string, id: string): Promise<Tally | null>;
  /**
   * Keeps a stopped task in the history until `expiresAt` (ISO). Idempotent: the entry is filed under its cluster,
   * time and task, so a redelivered event writes the same item again.
   */
  recordStoppedTask(entry: StoppedTaskEntry, expiresAt: string): Promise<void>;
  /**
   * The stopped tasks of a cluster that match the query, newest first, one per task (its newest entry), at most
   * `limit`. Entries past their expiry are left out even while the store still holds them (DynamoDB's TTL deletes
   * late). Rejects with a RangeError when a time or the limit is malformed.
   */
  stoppedTasks(query: StoppedTaskQuery): Promise<StoppedTaskEntry[]>;
}
