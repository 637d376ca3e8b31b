import type { Classification } from '../classify/verdict.ts';
import type { AlertStore } from '../store/store.ts';
import { stoppedTaskEntry, type StoppedTaskEntry } from './entry.ts';

const DAY_MS = 86_400_000;

export interface HistoryOptions {
  /** Days the entry is kept after the task stopped (HISTORY_RETENTION_DAYS, `historyRetentionDays()`). */
  retentionDays: number;
  /**
   * Counts the days from this clock when it is later than the task's stop: a replay of last month's events into a
   * table keeps them for the retention from the replay on, instead of writing entries already expired.
   */
  keptFrom?: () => Date;
}

/**
 * Keeps a stopped task in the history, once per event: what the pipeline calls for every verdict. Anything that is
 * not a stopped task is left alone. The entry expires `retentionDays` after the event's time (not after now), so a
 * redelivered or re-driven event writes the very same item. Resolves the entry written, or null when there was none.
 *
 * @example await recordHistory(verdict, store, { retentionDays: historyRetentionDays() })
 */
export async function recordHistory(verdict: Classification, store: Pick<AlertStore, 'recordStoppedTask'>, options: HistoryOptions): Promise<StoppedTaskEntry | null> {
  const entry = stoppedTaskEntry(verdict);
  if (entry === null) return null;
  const from = Math.max(Date.parse(entry.time), options.keptFrom?.().getTime() ?? Number.NEGATIVE_INFINITY);
  await store.recordStoppedTask(entry, new Date(from + options.retentionDays * DAY_MS).toISOString());
  return entry;
}
