import type { Category } from '../../classify/categories.ts';
import type { Classification } from '../../classify/verdict.ts';
import { CATEGORY_LABELS } from '../../alerts/labels.ts';

/**
 * Task stops that say the service's own release or configuration is failing, as opposed to the infrastructure
 * taking tasks away (Spot, maintenance, a host going away) or someone stopping them. These count towards a
 * deployment in trouble and towards a crash loop.
 */
export const FAILURE_CATEGORIES: ReadonlySet<Category> = new Set<Category>([
  'app_error_exit',
  'oom',
  'elb_health_check_failed',
  'container_health_check_failed',
  'task_failed_to_start_network',
  'task_failed_to_start_internal',
  'task_failed_to_start_config',
  'task_failed_to_start',
  'image_pull_failure',
  'resource_init_failure',
  'secret_not_found',
  'runtime_error',
  'runtime_timeout',
  'cannot_start_container',
  'cannot_create_volume',
  'unknown_stop',
]);

/** A stopped task of a service that failed: the events deployment tracking and crash-loop detection count. */
export function isTaskFailure(verdict: Classification): boolean {
  return verdict.alert && verdict.taskArn !== null && verdict.status === 'STOPPED' && FAILURE_CATEGORIES.has(verdict.category);
}

/** Failures by category in words, most frequent first: `3× image pull failed, 1× out of memory`. */
export function failureBreakdown(failures: Readonly<Record<string, number>>): string {
  return Object.entries(failures)
    .sort(([a, countA], [b, countB]) => countB - countA || a.localeCompare(b))
    .map(([category, count]) => `${count}× ${(CATEGORY_LABELS[category as Category] ?? category).toLowerCase()}`)
    .join(', ');
}

/** The category with the most failures (ties: the first in vocabulary order). */
export function dominantCategory(failures: Readonly<Record<string, number>>): Category | null {
  let best: Category | null = null;
  for (const [category, count] of Object.entries(failures)) {
    if (best === null || count > (failures[best] ?? 0)) best = category as Category;
  }
  return best;
}
