import { workDueAt, type GroupState } from '../alerts/group-state.ts';
import type { StoppedTaskEntry } from '../history/entry.ts';
import { NewestPerTask, expirySeconds, historyBounds, historySortKey, matchesFilters, type StoppedTaskQuery } from '../history/query.ts';
import { MAX_TALLY_MEMBERS, type AlertStore, type StoredGroup, type StoredRecord, type Tally } from './store.ts';

/**
 * The store for the local replay and for tests: everything in memory, gone when the process ends. Same contract as
 * the DynamoDB store, revisions included, so the alerting logic cannot tell them apart.
 */
export interface MemoryStoreOptions {
  /**
   * How long, in event time, seen event ids and resource versions are kept, as the table's TTL keeps them (7 days
   * there): a replay of millions of events then holds a bounded set, not every id it ever saw. Kept forever when absent.
   * With a horizon, records, tallies and stopped-task history are also dropped once the event clock passes their own
   * expiry, as TTL would drop them.
   */
  horizonMs?: number;
}

export class MemoryStore implements AlertStore {
  /** Seen event ids, with the event time each was remembered at (epoch ms), oldest first. */
  private readonly events = new Map<string, number>();
  private readonly versions = new Map<string, { version: number; eventId: string; at: number }>();
  private latest = Number.NEGATIVE_INFINITY;
  private readonly horizonMs: number | undefined;

  constructor(options: MemoryStoreOptions = {}) {
    this.horizonMs = options.horizonMs;
  }

  /** Drops what the table's TTL would have dropped by the latest event time seen. */
  private prune(at: number): void {
    if (this.horizonMs === undefined || Number.isNaN(at) || at <= this.latest) return;
    this.latest = at;
    const before = at - this.horizonMs;
    // Maps iterate in insertion order; an old id seen again is re-inserted at the end, so the scan stops early.
    for (const [id, seenAt] of this.events) {
      if (seenAt >= before) break;
      this.events.delete(id);
    }
    for (const [resource, seen] of this.versions) {
      if (seen.at >= before) break;
      this.versions.delete(resource);
    }
    // Records and tallies expire at times of their own: swept every hour of event time, as TTL would.
    if (at - this.sweptAt < 3_600_000) return;
    this.sweptAt = at;
    for (const [key, expiresAt] of this.expiries) {
      if (expiresAt >= at) continue;
      this.expiries.delete(key);
      this.records.delete(key.slice('record#'.length));
      this.tallies.delete(key.slice('tally#'.length));
    }
    for (const [cluster, entries] of this.history) {
      for (const [sortKey, stored] of entries) if (stored.expiresAt * 1000 < at) entries.delete(sortKey);
      if (entries.size === 0) this.history.delete(cluster);
    }
  }
  /** Stopped tasks by cluster, then by sort key (`<time>#<taskArn>`), with their expiry in epoch seconds as the TTL attribute holds it. */
  private readonly history = new Map<string, Map<string, { entry: StoppedTaskEntry; expiresAt: number }>>();
  private readonly groups = new Map<string, StoredGroup>();
  private readonly records = new Map<string, StoredRecord>();
  /** When each record and tally expires (epoch ms), as their TTL says; swept with a horizon only. */
  private readonly expiries = new Map<string, number>();
  private sweptAt = Number.NEGATIVE_INFINITY;
  private readonly tallies = new Map<string, { members: Set<string>; byCategory: Map<string, number>; first: Record<string, string> }>();

  async hasSeenEvent(eventId: string): Promise<boolean> {
    return this.events.has(eventId);
  }

  async rememberEvent(eventId: string, time?: string): Promise<void> {
    const at = time === undefined ? Number.NaN : Date.parse(time);
    this.events.delete(eventId);
    this.events.set(eventId, Number.isNaN(at) ? this.latest : at);
    this.prune(at);
  }

  async recordVersion(resource: string, version: number, eventId: string, time?: string): Promise<'current' | 'stale'> {
    const seen = this.versions.get(resource);
    if (seen !== undefined && (seen.version > version || (seen.version === version && seen.eventId !== eventId))) return 'stale';
    const at = time === undefined ? Number.NaN : Date.parse(time);
    this.versions.delete(resource);
    this.versions.set(resource, { version, eventId, at: Number.isNaN(at) ? this.latest : at });
    this.prune(at);
    return 'current';
  }

  /** How many event ids and resource versions are held (for the replay's memory figures and tests). */
  size(): { events: number; versions: number } {
    return { events: this.events.size, versions: this.versions.size };
  }

  async getGroup(key: string): Promise<StoredGroup | null> {
    const stored = this.groups.get(key);
    return stored === undefined ? null : { state: structuredClone(stored.state), rev: stored.rev };
  }

  async putGroup(state: GroupState, expectedRev: number | null): Promise<boolean> {
    const current = this.groups.get(state.key);
    if ((current?.rev ?? null) !== expectedRev) return false;
    this.groups.set(state.key, { state: structuredClone(state), rev: (expectedRev ?? 0) + 1 });
    return true;
  }

  async groupsInScope(scope: string): Promise<StoredGroup[]> {
    return [...this.groups.values()].filter((group) => group.state.scope === scope).map((group) => ({ state: structuredClone(group.state), rev: group.rev }));
  }

  async groupsDue(now: string): Promise<StoredGroup[]> {
    return [...this.groups.values()]
      .filter((group) => {
        const due = workDueAt(group.state);
        return due !== null && due <= now;
      })
      .map((group) => ({ state: structuredClone(group.state), rev: group.rev }));
  }

  async getRecord(kind: string, id: string): Promise<StoredRecord | null> {
    const stored = this.records.get(`${kind}#${id}`);
    return stored === undefined ? null : { value: structuredClone(stored.value), rev: stored.rev };
  }

  async putRecord(kind: string, id: string, value: unknown, expectedRev: number | null, expiresAt?: string): Promise<boolean> {
    const key = `${kind}#${id}`;
    if ((this.records.get(key)?.rev ?? null) !== expectedRev) return false;
    this.records.set(key, { value: structuredClone(value), rev: (expectedRev ?? 0) + 1 });
    this.expire(`record#${key}`, expiresAt);
    return true;
  }

  private expire(key: string, expiresAt: string | undefined): void {
    const at = expiresAt === undefined ? Number.NaN : Date.parse(expiresAt);
    if (this.horizonMs !== undefined && !Number.isNaN(at)) this.expiries.set(key, at);
  }

  async addToTally(kind: string, id: string, member: string, category: string, expiresAt?: string, first: Record<string, string> = {}, maxMembers = MAX_TALLY_MEMBERS): Promise<Tally | null> {
    const key = `${kind}#${id}`;
    this.expire(`tally#${key}`, expiresAt);
    const tally = this.tallies.get(key) ?? { members: new Set<string>(), byCategory: new Map<string, number>(), first: {} };
    if (tally.members.has(member) || tally.members.size >= maxMembers) return null;
    tally.members.add(member);
    tally.first = { ...first, ...tally.first };
    tally.byCategory.set(category, (tally.byCategory.get(category) ?? 0) + 1);
    this.tallies.set(key, tally);
    return this.getTally(kind, id);
  }

  async getTally(kind: string, id: string): Promise<Tally | null> {
    const tally = this.tallies.get(`${kind}#${id}`);
    if (tally === undefined) return null;
    return { total: tally.members.size, byCategory: Object.fromEntries(tally.byCategory), members: [...tally.members], first: { ...tally.first } };
  }

  async recordStoppedTask(entry: StoppedTaskEntry, expiresAt: string): Promise<void> {
    const expires = expirySeconds(expiresAt);
    const entries = this.history.get(entry.cluster) ?? new Map<string, { entry: StoppedTaskEntry; expiresAt: number }>();
    entries.set(historySortKey(entry), { entry: structuredClone(entry), expiresAt: expires });
    this.history.set(entry.cluster, entries);
    this.prune(Date.parse(entry.time));
  }

  async stoppedTasks(query: StoppedTaskQuery): Promise<StoppedTaskEntry[]> {
    const bounds = historyBounds(query);
    const answer = new NewestPerTask(bounds.limit);
    if (bounds.empty) return answer.entries;
    // The same bounds as the table's key condition (`sk >= since`, `sk < until`) and filter (`expiresAt > now`).
    const candidates = [...(this.history.get(query.cluster)?.entries() ?? [])]
      .filter(([sortKey, stored]) => sortKey >= bounds.since && (bounds.until === null || sortKey < bounds.until) && stored.expiresAt > bounds.nowSeconds)
      .sort(([a], [b]) => (a < b ? 1 : a > b ? -1 : 0));
    for (const [, stored] of candidates) {
      if (matchesFilters(stored.entry, query) && answer.add(structuredClone(stored.entry))) break;
    }
    return answer.entries;
  }
}
