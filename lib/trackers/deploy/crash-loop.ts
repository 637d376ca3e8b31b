import type { Classification } from '../../classify/verdict.ts';
import { lastSegment } from '../../events/arn.ts';

/** The recent failed tasks of one service: the `failures` record of its scope. */
export interface RecentFailures {
  failures: { time: string; category: string; task: string }[];
}

export interface CrashLoopConfig {
  /** Failed tasks within `windowMinutes` that make a crash loop (default 3). */
  threshold: number;
  windowMinutes: number;
}

export const DEFAULT_CRASH_LOOP: CrashLoopConfig = { threshold: 3, windowMinutes: 10 };

/**
 * Counts one failed task of a service and says whether its recent failures now make a crash loop: at least
 * `threshold` different tasks failed within `windowMinutes` of this one, before or after it (delivery is in no order). Pure.
 */
export function countFailure(record: RecentFailures, verdict: Classification, config: CrashLoopConfig): { record: RecentFailures; looping: boolean; failures: Record<string, number>; tasks: string[] } {
  const time = verdict.time ?? new Date(0).toISOString();
  const task = lastSegment(verdict.taskArn) ?? time;
  // Within the window on either side: a failure delivered late makes a loop with the ones delivered before it.
  const window = config.windowMinutes * 60_000;
  const recent = record.failures.filter((failure) => Math.abs(Date.parse(failure.time) - Date.parse(time)) <= window && failure.task !== task);
  const failures = [...recent, { time, category: verdict.category, task }];
  const byCategory: Record<string, number> = {};
  for (const failure of failures) byCategory[failure.category] = (byCategory[failure.category] ?? 0) + 1;
  const tasks = [...failures].sort((a, b) => a.time.localeCompare(b.time)).map((failure) => failure.task);
  return { record: { failures: failures.slice(-50) }, looping: failures.length >= config.threshold, failures: byCategory, tasks };
}
