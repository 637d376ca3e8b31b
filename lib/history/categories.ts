import type { Category } from '../classify/categories.ts';

/**
 * The categories a stopped task can be given (the task-state part of the vocabulary in lib/classify/categories.ts):
 * what `npm run history -- --category` accepts and lists when given something else.
 */
export const STOPPED_TASK_CATEGORIES = [
  'app_error_exit',
  'oom',
  'elb_health_check_failed',
  'container_health_check_failed',
  'service_scale_in',
  'user_stopped',
  'task_completed',
  'spot_interruption',
  'infrastructure_maintenance',
  'host_stopped_or_terminated',
  'container_instance_deregistered',
  'instance_draining_stop',
  'infrastructure_health_stop',
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
  'cannot_stop_container',
  'cannot_inspect_container',
  'cannot_create_volume',
  'host_disk_full',
  'unknown_stop',
] as const satisfies readonly Category[];

export type StoppedTaskCategory = (typeof STOPPED_TASK_CATEGORIES)[number];

const KNOWN: ReadonlySet<string> = new Set(STOPPED_TASK_CATEGORIES);

/** Whether `name` is a category a stopped task can have. */
export function isStoppedTaskCategory(name: string): name is StoppedTaskCategory {
  return KNOWN.has(name);
}
