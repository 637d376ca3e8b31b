import { workDueAt, type GroupState } from '../alerts/group-state.ts';
import type { AlertStore, StoredGroup, StoredRecord, Tally } from './store.ts';

/**
 * The store for the local replay and for tests: everything in memory, gone when the process ends. Same contract as
 * the DynamoDB store, revisions included, so the alerting logic cannot tell them apart.
 */
export class MemoryStore implements AlertStore {
  private readonly events = new Set<string>();
  private readonly versions = new Map<string, { version: number; eventId: string }>();
  private readonly groups = new Map<string, StoredGroup>();
  private readonly records = new Map<string, StoredRecord>();
  private readonly tallies = new Map<string, { members: Set<string>; byCategory: Map<string, number>; first: Record<string, string> }>();

  async hasSeenEvent(eventId: string): Promise<boolean> {
    return this.events.has(eventId);
  }

  async rememberEvent(eventId: string): Promise<void> {
    this.events.add(eventId);
  }

  async recordVersion(resource: string, version: number, eventId: string): Promise<'current' | 'stale'> {
    const seen = this.versions.get(resource);
    if (seen !== undefined && (seen.version > version || (seen.version === version && seen.eventId !== eventId))) return 'stale';
    this.versions.set(resource, { version, eventId });
    return 'current';
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

  async putRecord(kind: string, id: string, value: unknown, expectedRev: number | null): Promise<boolean> {
    const key = `${kind}#${id}`;
    if ((this.records.get(key)?.rev ?? null) !== expectedRev) return false;
    this.records.set(key, { value: structuredClone(value), rev: (expectedRev ?? 0) + 1 });
    return true;
  }

  async addToTally(kind: string, id: string, member: string, category: string, _expiresAt?: string, first: Record<string, string> = {}): Promise<Tally | null> {
    const key = `${kind}#${id}`;
    const tally = this.tallies.get(key) ?? { members: new Set<string>(), byCategory: new Map<string, number>(), first: {} };
    if (tally.members.has(member)) return null;
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
}
