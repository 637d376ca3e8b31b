import type { Classification } from '../classify/verdict.ts';
import type { AlertStore } from '../store/store.ts';
import { stoppedTaskEntry, type StoppedTaskEntry } from './entry.ts';

const DAY_MS = 86_400_000;

export interface HistoryOptions {
  /** Days the entry is kept after the task stopped (HISTORY_RETENTION_DAYS, `historyRetentionDays()`). */
  retentionDays: number;
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
  await store.recordStoppedTask(entry, new Date(Date.parse(entry.time) + options.retentionDays * DAY_MS).toISOString());
  return entry;
}
