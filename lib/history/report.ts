import type { AlertStore } from '../store/store.ts';
import type { StoppedTaskEntry } from './entry.ts';

/** Since the start of the epoch: every entry the store still holds. */
const ALL_TIME = '1970-01-01T00:00:00.000Z';

/**
 * The stopped tasks of every cluster among `places` (the replay's services), for the HTML report's "Stopped tasks"
 * parts (`ReportInputs.history`). `now` is the replay's clock, the time of its last event: against the current time,
 * a replay of last month's events would find their history expired.
 *
 * @example renderHtmlReport(report, { ...inputs, history: await historyForReport(store, report.services(), lastEventTime) })
 */
export async function historyForReport(store: Pick<AlertStore, 'stoppedTasks'>, places: readonly { cluster: string | null }[], now: string): Promise<StoppedTaskEntry[]> {
  const clusters = [...new Set(places.map((place) => place.cluster).filter((cluster): cluster is string => cluster !== null))];
  const perCluster = await Promise.all(clusters.map((cluster) => store.stoppedTasks({ cluster, since: ALL_TIME, now })));
  return perCluster.flat();
}
