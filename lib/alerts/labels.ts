import type { Category } from '../classify/categories.ts';

/** A few words per category, for alert titles and subjects, where the full cause does not fit. */
export const CATEGORY_LABELS: Record<Category, string> = {
  task_lifecycle: 'Task state change',
  task_completed: 'Task completed',
  app_error_exit: 'Container exited with an error',
  oom: 'Out of memory',
  non_essential_container_exited: 'Sidecar container stopped',
  elb_health_check_failed: 'Load balancer health checks failed',
  container_health_check_failed: 'Container health checks failed',
  service_scale_in: 'Task stopped by scale-in',
  user_stopped: 'Task stopped by a user',
  spot_interruption_warning: 'Spot interruption warning',
  spot_interruption: 'Spot interruption',
  infrastructure_maintenance: 'Task retired for maintenance',
  host_stopped_or_terminated: 'Host instance stopped or terminated',
  container_instance_deregistered: 'Container instance force-deregistered',
  task_failed_to_start_network: 'Task failed to start: no network interface',
  task_failed_to_start_internal: 'Task failed to start: internal error',
  task_failed_to_start_config: 'Task failed to start: incompatible task definition',
  task_failed_to_start: 'Task failed to start',
  image_pull_failure: 'Image pull failed',
  resource_init_failure: 'Task resources could not be prepared',
  secret_not_found: 'Secret not found',
  runtime_error: 'Container runtime error',
  runtime_timeout: 'Container runtime timeout',
  cannot_start_container: 'Container could not start',
  cannot_stop_container: 'Container could not stop',
  cannot_inspect_container: 'Container could not be inspected',
  cannot_create_volume: 'Volume could not be created',
  host_disk_full: 'Host disk full',
  unknown_stop: 'Task stopped',
  service_steady_state: 'Service steady',
  capacity_provider_steady_state: 'Capacity provider steady',
  taskset_steady_state: 'Task set steady',
  desired_count_updated: 'Desired count changed',
  tasks_stopped: 'Tasks stopped',
  service_task_start_impaired: 'Service cannot start tasks',
  placement_failure_insufficient_resources: 'Cannot place task: not enough CPU, memory, ports or ENIs',
  placement_failure_spot_capacity: 'Cannot place task: no Fargate Spot capacity',
  placement_failure_constraints: 'Cannot place task: constraints not met',
  placement_failure_no_instances: 'Cannot place task: no container instances',
  placement_failure_capacity: 'Cannot place task: no capacity in the zone',
  placement_failure_unsupported_az: 'Cannot place task: unsupported Availability Zone',
  quota_exceeded: 'Account quota reached',
  placement_failure: 'Cannot place task',
  service_configuration_failure: 'Service configuration rejected',
  throttled: 'ECS calls throttled',
  deployment_config_blocked: 'Deployment blocked by its configuration',
  scale_in_blocked_by_protection: 'Scale-in blocked by task protection',
  service_discovery_unhealthy: 'Service discovery instance unhealthy',
  vpc_lattice_target_unhealthy: 'VPC Lattice target unhealthy',
  daemon_placement_constraint_violated: 'Daemon placement constraint violated',
  service_health_unknown: 'Service health unknown',
  deployment_in_progress: 'Deployment in progress',
  deployment_completed: 'Deployment completed',
  deployment_rollback: 'Deployment rolling back',
  deployment_failed: 'Deployment failed',
  container_instance_state_change: 'Container instance state change',
  container_instance_draining: 'Container instance draining',
  container_instance_agent_disconnected: 'ECS agent disconnected',
  container_instance_impaired: 'Container instance impaired',
  container_instance_health_ok: 'Container instance healthy',
  ec2_spot_interruption_warning: 'EC2 Spot interruption warning',
  ec2_spot_rebalance_recommendation: 'EC2 Spot rebalance recommendation',
  ec2_instance_state_change: 'EC2 instance state change',
  fargate_task_retirement_scheduled: 'Fargate task retirement scheduled',
  health_event: 'AWS Health event',
  unsupported: 'Unsupported event',
};

/**
 * The label of an alert group for titles: a tracker's own group (crash loop, deployment, Spot capacity outage) is
 * named by its key; any other by its category.
 */
export function groupLabel(alert: { key: string; category: Category }): string {
  if (alert.key.endsWith('|crash-loop')) return 'Crash loop';
  if (alert.key.endsWith('|spot-capacity-outage')) return 'No Fargate Spot capacity';
  if (/\|deployment:[^|]+$/.test(alert.key)) return 'Deployment in trouble';
  return CATEGORY_LABELS[alert.category];
}
