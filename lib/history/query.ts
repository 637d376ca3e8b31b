import { isoTime, type StoppedTaskEntry } from './entry.ts';

/** Which stopped tasks to list: those of one cluster (the name alone is enough), narrowed by the optional fields. */
export interface StoppedTaskQuery {
  /** The cluster's name (not its ARN). */
  cluster: string;
  /** Only tasks of this account, for a cluster name used in several accounts. */
  account?: string;
  /** Only tasks of this Region. */
  region?: string;
  /** Only tasks of this service (its name, without `service:`). */
  service?: string;
  /** Tasks that stopped at or after this time (ISO 8601). */
  since: string;
  /** Tasks that stopped before this time (ISO 8601); no bound when absent. */
  until?: string;
  /** Only tasks of this category (`oom`). */
  category?: string;
  /** At most this many tasks (a whole number of at least 1); all when absent. */
  limit?: number;
  /**
   * The time that decides which entries have expired (ISO 8601); the current time when absent. The replay passes its
   * event clock, so a replay of old events still sees their history.
   */
  now?: string;
}

/** A query's bounds in the form entries are keyed by; see `historyBounds`. */
export interface HistoryBounds {
  since: string;
  /** Null when unbounded. */
  until: string | null;
  limit: number | null;
  /**
   * Entries whose `expiresAt` (epoch seconds) is at or before this are expired: the filter AWS shows for hiding items
   * TTL has not deleted yet (https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/ttl-expired-items.html).
   */
  nowSeconds: number;
  /** True when `until` is not after `since`: nothing can match, and DynamoDB would reject the key condition. */
  empty: boolean;
}

/**
 * Checks a query and puts its times in the form entries are keyed by (`2025-03-14T09:26:51.000Z`, so that
 * `2025-03-14T09:26:51Z` compares as the same instant); throws a RangeError naming the field that is wrong.
 *
 * @example historyBounds({ cluster: 'prod', since: '2025-03-14T00:00:00Z', limit: 20 }).since // '2025-03-14T00:00:00.000Z'
 */
export function historyBounds(query: StoppedTaskQuery, clock: () => number = Date.now): HistoryBounds {
  const since = isoTime(query.since);
  if (since === null) throw new RangeError(`stopped-task query: since is not a time: ${JSON.stringify(query.since)}`);
  const until = query.until === undefined ? null : isoTime(query.until);
  if (query.until !== undefined && until === null) throw new RangeError(`stopped-task query: until is not a time: ${JSON.stringify(query.until)}`);
  const limit = query.limit ?? null;
  if (limit !== null && (!Number.isInteger(limit) || limit < 1)) throw new RangeError(`stopped-task query: limit must be a whole number of at least 1, got ${limit}`);
  const now = query.now === undefined ? clock() : Date.parse(query.now);
  if (Number.isNaN(now)) throw new RangeError(`stopped-task query: now is not a time: ${JSON.stringify(query.now)}`);
  return { since, until, limit, nowSeconds: Math.floor(now / 1000), empty: until !== null && until <= since };
}

/**
 * The sort key of an entry: its time, then its task. ISO times of the years 0000–9999 all have the same length,
 * so text order is time order, and `<time>#…` sorts after `<time>` and before any later time: `since` and `until`
 * bound keys directly.
 */
export function historySortKey(entry: Pick<StoppedTaskEntry, 'time' | 'taskArn'>): string {
  return `${entry.time}#${entry.taskArn}`;
}

/** Whether an entry passes the query's optional filters (account, Region, service, category); the cluster and times are keyed. */
export function matchesFilters(entry: StoppedTaskEntry, query: StoppedTaskQuery): boolean {
  return (
    (query.account === undefined || entry.account === query.account) &&
    (query.region === undefined || entry.region === query.region) &&
    (query.service === undefined || entry.service === query.service) &&
    (query.category === undefined || entry.category === query.category)
  );
}

/**
 * Gathers entries given newest first into the answer: one per task (its newest: ECS may send more than one STOPPED
 * event for a task, each with a higher `detail.version`, and the last says the most), up to the limit.
 */
export class NewestPerTask {
  readonly entries: StoppedTaskEntry[] = [];
  private readonly tasks = new Set<string>();

  constructor(private readonly limit: number | null) {}

  /** Adds an entry unless its task is already in; true once the answer is full. */
  add(entry: StoppedTaskEntry): boolean {
    if (!this.tasks.has(entry.taskArn)) {
      this.tasks.add(entry.taskArn);
      this.entries.push(entry);
    }
    return this.full();
  }

  full(): boolean {
    return this.limit !== null && this.entries.length >= this.limit;
  }
}

/**
 * An entry's expiry as the TTL attribute holds it (epoch seconds, what TTL compares with the current time:
 * https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/howitworks-ttl.html); throws a RangeError when
 * `expiresAt` is not a time.
 */
export function expirySeconds(expiresAt: string): number {
  const at = Date.parse(expiresAt);
  if (Number.isNaN(at)) throw new RangeError(`stopped-task history: expiresAt is not a time: ${JSON.stringify(expiresAt)}`);
  return Math.floor(at / 1000);
}
