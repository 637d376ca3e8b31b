import type { Severity } from './verdict.ts';

/** The category vocabulary (section 8 of the ECS events reference); every classified event gets exactly one. */
export const CATEGORIES = [
  // Task state changes
  'task_lifecycle',
  'task_completed',
  'app_error_exit',
  'oom',
  'non_essential_container_exited',
  'elb_health_check_failed',
  'container_health_check_failed',
  'service_scale_in',
  'user_stopped',
  'spot_interruption_warning',
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
  // Service actions
  'service_steady_state',
  'capacity_provider_steady_state',
  'taskset_steady_state',
  'desired_count_updated',
  'tasks_stopped',
  'service_task_start_impaired',
  'placement_failure_insufficient_resources',
  'placement_failure_spot_capacity',
  'placement_failure_constraints',
  'placement_failure_no_instances',
  'placement_failure_capacity',
  'placement_failure_unsupported_az',
  'quota_exceeded',
  'placement_failure',
  'service_configuration_failure',
  'throttled',
  'deployment_config_blocked',
  'scale_in_blocked_by_protection',
  'service_discovery_unhealthy',
  'vpc_lattice_target_unhealthy',
  'daemon_placement_constraint_violated',
  'service_health_unknown',
  // Deployments
  'deployment_in_progress',
  'deployment_completed',
  'deployment_rollback',
  'deployment_failed',
  // Deployment lifecycle hooks (ECS Hook State Change)
  'deployment_hook_awaiting_action',
  'deployment_hook_in_progress',
  'deployment_hook_succeeded',
  'deployment_hook_failed',
  'deployment_hook_timed_out',
  // ECS Managed Daemons (ECS Daemon Service Action, ECS Daemon Deployment State Change)
  'daemon_task_start_impaired',
  'daemon_deployment_in_progress',
  'daemon_deployment_successful',
  'daemon_deployment_rollback',
  'daemon_deployment_rollback_failed',
  'daemon_deployment_stopped',
  // Container instances
  'container_instance_state_change',
  'container_instance_draining',
  'container_instance_agent_disconnected',
  'container_instance_impaired',
  'container_instance_health_ok',
  // EC2 and AWS Health
  'ec2_spot_interruption_warning',
  'ec2_spot_rebalance_recommendation',
  'ec2_instance_state_change',
  'fargate_task_retirement_scheduled',
  'health_event',
  // Anything else
  'unsupported',
] as const;

export type Category = (typeof CATEGORIES)[number];

/** What a category means to the person who reads the alert; a catalogue entry may say it more precisely. */
export interface CategoryInfo {
  severity: Severity;
  spot: boolean;
  cause: string;
  remedy: string;
  docsUrl: string;
}

const DOCS = 'https://docs.aws.amazon.com/AmazonECS/latest/developerguide';
const STOPPED_TASK_KC = 'https://repost.aws/knowledge-center/ecs-task-stopped';
const SERVICE_EVENTS = `${DOCS}/service-event-messages.html`;
const PLACEMENT_FAILURES = `${DOCS}/api_failures_messages.html`;
const DEPLOYMENT_EVENTS = `${DOCS}/ecs_service_deployment_events.html`;
const INSTANCE_EVENTS = `${DOCS}/ecs_container_instance_events.html`;
const INSTANCE_HEALTH_EVENTS = `${DOCS}/ecs_container_instance_health_events.html`;
const HOOK_EVENTS = `${DOCS}/ecs_hook_state_change_events.html`;
const PAUSE_HOOKS = `${DOCS}/pause-lifecycle-hooks.html`;
const DAEMON_EVENTS = `${DOCS}/managed-daemons-events.html`;
/** The page that gives the Managed Instances draining message (`Task stopped during instance draining`) and its day-14 drain. */
const MANAGED_INSTANCE_DRAINING = 'https://docs.aws.amazon.com/batch/latest/userguide/ecs-managed-instances-instance-draining.html';
const SPOT_WARNINGS = 'https://docs.aws.amazon.com/AWSEC2/latest/UserGuide/spot-instance-termination-notices.html';

function info(
  severity: Severity,
  cause: string,
  remedy: string,
  docsUrl: string,
  spot = false,
): CategoryInfo {
  return { severity, spot, cause, remedy, docsUrl };
}

export const CATEGORY_INFO: Record<Category, CategoryInfo> = {
  task_lifecycle: info('info', 'The task moved to a new lifecycle state; nothing is wrong.', 'Nothing to do.', `${DOCS}/task-lifecycle-explanation.html`),
  task_completed: info('info', 'A standalone task finished: its containers exited with code 0.', 'Nothing to do; the job succeeded.', `${DOCS}/ecs_task_events.html`),
  app_error_exit: info('warning', 'An essential container exited with an error, so ECS stopped the whole task.', "Read the container's logs around the exit; the exit code says how it ended.", STOPPED_TASK_KC),
  oom: info('warning', 'A container used more memory than its hard limit and was killed by the kernel (OutOfMemoryError).', 'Raise the container or task memory, or find the leak; keep heap sizes (JVM, Node) below the limit.', `${DOCS}/out-of-memory.html`),
  non_essential_container_exited: info('warning', 'A non-essential container (sidecar) stopped while the task kept running.', "Check the sidecar's logs; mark it essential if the task cannot work without it.", `${DOCS}/ecs_task_events.html`),
  elb_health_check_failed: info('warning', 'The load balancer kept marking the task unhealthy, so the scheduler replaced it.', "Check the target group's health-check path and port, the security group between load balancer and task, and the health-check grace period against the app's start time.", `${DOCS}/troubleshoot-service-load-balancers.html`),
  container_health_check_failed: info('warning', "The container's HEALTHCHECK command kept failing, so the scheduler replaced the task.", 'Run the health-check command inside the image, make sure its tool (curl, wget) exists there, and raise startPeriod or retries if the app starts slowly.', STOPPED_TASK_KC),
  service_scale_in: info('info', 'The service scheduler stopped the task: the desired count went down or a newer deployment replaced it.', 'Nothing, unless the scale-in was unexpected; then check who changed the desired count or the auto scaling policy.', `${DOCS}/service-auto-scaling.html`),
  user_stopped: info('info', 'Someone or something called StopTask.', 'Nothing, unless unexpected; CloudTrail StopTask events say who.', STOPPED_TASK_KC),
  spot_interruption_warning: info('warning', 'Fargate Spot is taking the capacity back: the task got SIGTERM and stops in about two minutes.', 'Finish or checkpoint work on SIGTERM; run a FARGATE base next to FARGATE_SPOT for services that must stay up.', `${DOCS}/fargate-capacity-providers.html`, true),
  spot_interruption: info('warning', 'The task stopped because Spot capacity was reclaimed.', 'Expected with Spot; mix on-demand capacity and spread across Availability Zones if the service must stay up.', `${DOCS}/spot-interruption-errors.html`, true),
  infrastructure_maintenance: info('warning', 'AWS retired the task to patch or maintain the infrastructure underneath it.', 'Services replace such tasks by themselves (keep minimumHealthyPercent at 100 and at least two tasks); relaunch standalone tasks.', `${DOCS}/task-maintenance.html`),
  host_stopped_or_terminated: info('warning', 'The EC2 instance hosting the task was stopped or terminated.', 'Correlate with EC2, Auto Scaling and Spot events; use capacity providers with managed termination protection and instance draining.', `${DOCS}/container-instance-draining.html`),
  container_instance_deregistered: info('warning', 'The container instance was force-deregistered while tasks were still on it.', 'Drain instances before deregistering them.', `${DOCS}/deregister_container_instance.html`),
  instance_draining_stop: info('warning', 'ECS drained the container instance the task ran on, which stopped the task (ECS Managed Instances drain every instance 14 days after its launch).', "Nothing for a service task: the service replaces it. Make standalone and batch tasks retry, or finish well within an instance's lifetime.", MANAGED_INSTANCE_DRAINING),
  infrastructure_health_stop: info('warning', 'ECS stopped the task because it found the host under it unhealthy (stop code InfrastructureHealth, not yet described by AWS): auto-repair drains and replaces instances impaired for agent connectivity, GPU or daemon health, and replaces unhealthy Fargate hosts without a retirement notice.', "Services replace the task by themselves; relaunch standalone tasks. If one host keeps failing, read its container instance health events.", INSTANCE_HEALTH_EVENTS),
  task_failed_to_start_network: info('warning', 'The task could not get a network interface, so it never started.', 'Free IP addresses in the subnet or add subnets; on EC2 use larger instances or ENI trunking.', `${DOCS}/failed-to-start-error.html`),
  task_failed_to_start_internal: info('warning', 'ECS hit an internal error (typically an ENI attachment reported too late) and failed the task before it started.', 'Retry; contact AWS Support if it persists.', `${DOCS}/failed-to-start-error.html`),
  task_failed_to_start_config: info('warning', 'The task definition does not fit where ECS tried to run it, so the task never started.', "Use a task definition compatible with the cluster's capacity provider and launch type.", `${DOCS}/failed-to-start-error.html`),
  task_failed_to_start: info('warning', 'The task never reached RUNNING.', "Read the containers' reasons and the service events for the underlying cause.", `${DOCS}/failed-to-start-error.html`),
  image_pull_failure: info('warning', 'The container image could not be pulled, so the task never started.', 'Check that the image and tag exist, that the execution role may pull them, and that the task has a network path to the registry.', `${DOCS}/task_cannot_pull_image.html`),
  resource_init_failure: info('warning', 'Fargate could not prepare a task resource (secrets, registry auth, logging, volumes or networking) before starting the containers.', 'Give the task a network path to the AWS services it needs (NAT, public IP or VPC endpoints) and the execution role the permissions.', `${DOCS}/resource-initialization-error.html`),
  secret_not_found: info('warning', 'A secret named in the task definition does not exist where ECS looked for it.', 'Point the task definition at an existing secret in the right Region.', `${DOCS}/resource-not-found-error.html`),
  runtime_error: info('warning', 'The container runtime (containerd) returned an unexpected error.', 'Retry; if it keeps happening, contact AWS Support.', `${DOCS}/container-runtime-error.html`),
  runtime_timeout: info('warning', 'A container did not reach RUNNING or STOPPED in time.', 'Look at heavy images and slow entrypoints; retry.', `${DOCS}/container-runtime-timeout-error.html`),
  cannot_start_container: info('warning', 'The container runtime could not start the container.', 'Raise the container memory and check log-driver and credential settings.', `${DOCS}/cannot-start-container.html`),
  cannot_stop_container: info('warning', 'The container runtime could not stop the container.', 'Usually a host or runtime problem; replace the instance if it recurs.', 'https://docs.aws.amazon.com/AmazonECS/latest/userguide/stopped-task-error-codes.html'),
  cannot_inspect_container: info('warning', 'The ECS agent could not inspect the container through the runtime.', 'Check the host and runtime health; see the stopped-task troubleshooting guide.', `${DOCS}/cannot-inspect-container.html`),
  cannot_create_volume: info('warning', 'A volume in the task definition could not be created.', 'Check the volume configuration (EFS mount targets and security groups, EBS, bind mounts).', `${DOCS}/cannot-create-volume.html`),
  host_disk_full: info('warning', "The container instance's disk is full.", 'Free space (prune images, cap json-file logs with max-size, shorten ECS_ENGINE_TASK_CLEANUP_WAIT_DURATION) or enlarge the data volume.', `${DOCS}/task_cannot_pull_image.html`),
  unknown_stop: info('warning', 'The task stopped for a reason this tool does not recognise.', "Read the stopped reason, the containers' exit codes and their logs.", STOPPED_TASK_KC),
  service_steady_state: info('info', 'The service reached steady state: running tasks match the desired count.', 'Nothing to do.', `${DOCS}/ecs_service_events.html`),
  capacity_provider_steady_state: info('info', 'A capacity provider reached steady state.', 'Nothing to do.', `${DOCS}/ecs_service_events.html`),
  taskset_steady_state: info('info', 'A task set reached steady state.', 'Nothing to do.', `${DOCS}/ecs_service_events.html`),
  desired_count_updated: info('info', "The scheduler changed the service's desired count.", 'Nothing, unless unexpected.', `${DOCS}/ecs_service_events.html`),
  tasks_stopped: info('info', 'The service stopped tasks.', 'Nothing, unless unexpected.', `${DOCS}/ecs_service_events.html`),
  service_task_start_impaired: info('critical', 'The service cannot start tasks consistently; the scheduler is backing off.', "Fix the cause in the stopped tasks' reasons, then update the service to reset the back-off.", SERVICE_EVENTS),
  placement_failure_insufficient_resources: info('critical', 'No container instance has enough free CPU, memory, ports or ENIs for the task.', 'Add capacity (capacity provider managed scaling) or make the task smaller; use dynamic host ports.', PLACEMENT_FAILURES),
  placement_failure_spot_capacity: info('warning', 'There is no Fargate Spot capacity for the task; ECS keeps retrying and does not fall back to on-demand.', 'Add a FARGATE base or weight to the capacity provider strategy, and more Availability Zones.', `${DOCS}/fargate-capacity-providers.html`, true),
  placement_failure_constraints: info('critical', 'No container instance satisfies the placement constraints or required attributes.', 'Fix the constraints, or register instances that have the attribute.', PLACEMENT_FAILURES),
  placement_failure_no_instances: info('critical', 'No container instance in the cluster could take the task.', 'Register instances or fix the capacity provider.', SERVICE_EVENTS),
  placement_failure_capacity: info('critical', 'AWS has no capacity for the task in that Availability Zone right now.', 'Use subnets in several Availability Zones.', SERVICE_EVENTS),
  placement_failure_unsupported_az: info('critical', 'A subnet of the service is in an Availability Zone that Fargate does not support.', 'Use subnets in supported Availability Zones.', SERVICE_EVENTS),
  quota_exceeded: info('critical', 'An account quota (concurrent tasks, vCPUs, or Fargate task size) stops ECS from starting the task.', 'Request a quota increase in Service Quotas, or run smaller tasks.', SERVICE_EVENTS),
  placement_failure: info('critical', 'The service could not place a task.', 'Read the service events (DescribeServices) for the placement failure reason.', SERVICE_EVENTS),
  service_configuration_failure: info('critical', 'The service configuration is rejected (IAM role, ARN format or tags); retries will not fix it.', 'Fix the role trust policy or opt in to the long ARN format, then update the service.', SERVICE_EVENTS),
  throttled: info('warning', "ECS's calls on the service's behalf are being throttled.", 'Usually passes by itself; ask for a quota increase if it keeps happening.', SERVICE_EVENTS),
  deployment_config_blocked: info('critical', 'The deployment cannot stop or start tasks within minimumHealthyPercent and maximumPercent.', 'Widen the deployment percentages or add capacity.', SERVICE_EVENTS),
  scale_in_blocked_by_protection: info('warning', 'Scale-in protection on tasks keeps the service above its desired count.', 'Wait for the protection to expire, remove it, or raise the desired count.', SERVICE_EVENTS),
  service_discovery_unhealthy: info('warning', 'Cloud Map reports an instance of the service as unhealthy.', 'Check the service discovery health-check configuration and the task.', SERVICE_EVENTS),
  vpc_lattice_target_unhealthy: info('warning', 'VPC Lattice reports a target of the service as unhealthy.', 'Check the VPC Lattice target group health check and the task.', SERVICE_EVENTS),
  daemon_placement_constraint_violated: info('warning', 'A daemon task runs on an instance that no longer satisfies its placement constraints.', 'Review the daemon service constraints and instance attributes.', SERVICE_EVENTS),
  service_health_unknown: info('warning', 'ECS could not determine the health of the service.', 'Check the service events and the load balancer or service discovery health.', SERVICE_EVENTS),
  deployment_in_progress: info('info', 'A service deployment started.', 'Nothing to do.', DEPLOYMENT_EVENTS),
  deployment_completed: info('info', 'The service deployment completed.', 'Nothing to do.', DEPLOYMENT_EVENTS),
  deployment_rollback: info('warning', 'The deployment circuit breaker (or a CloudWatch alarm) is rolling the service back to its previous deployment.', "Find why the new tasks failed (their stopped reasons) and fix the release before deploying again.", `${DOCS}/deployment-circuit-breaker.html`),
  deployment_failed: info('critical', 'The service deployment failed.', "Find why the new tasks failed (their stopped reasons) and fix the release before deploying again.", DEPLOYMENT_EVENTS),
  deployment_hook_awaiting_action: info('warning', 'A pause hook stopped the service deployment at a lifecycle stage: it waits for a person or a pipeline to continue or roll it back, and if nobody does, ECS takes the timeout action when the hook expires (ROLLBACK unless configured otherwise; 24 hours unless configured otherwise).', 'Check the new revision, then continue or roll back with the hook id: aws ecs continue-service-deployment --hook-id <hook-id> --action CONTINUE (or --action ROLLBACK).', PAUSE_HOOKS),
  deployment_hook_in_progress: info('info', 'A deployment lifecycle hook is running.', 'Nothing to do.', HOOK_EVENTS),
  deployment_hook_succeeded: info('info', 'A deployment lifecycle hook completed (a pause hook: someone continued the deployment); the deployment goes on to its next stage.', 'Nothing to do.', HOOK_EVENTS),
  deployment_hook_failed: info('warning', 'A deployment lifecycle hook failed (a pause hook: someone chose ROLLBACK), so ECS rolls the whole deployment back to the previous service revision.', "Find out why the hook failed (who or which pipeline rolled back, or the Lambda hook's logs) before deploying again.", HOOK_EVENTS),
  deployment_hook_timed_out: info('warning', "Nobody continued or rolled back the paused deployment in time: ECS takes the hook's timeout action, ROLLBACK (the default) or CONTINUE.", 'Check which way the deployment went (DescribeServiceDeployments); to ship the release, deploy it again and act on the pause before it expires.', PAUSE_HOOKS),
  daemon_task_start_impaired: info('warning', 'ECS could not start a daemon task on a container instance. Daemons are essential to their instances: a daemon task that stops makes ECS drain and replace the instance, with its other tasks.', 'Fix the cause in the reason (the image, its permissions, or CPU and memory left on the instance for the daemon task).', DAEMON_EVENTS),
  daemon_deployment_in_progress: info('info', 'A daemon deployment is rolling a daemon revision out to the instances.', 'Nothing to do.', DAEMON_EVENTS),
  daemon_deployment_successful: info('info', 'The daemon deployment completed: the daemon tasks run the target revision.', 'Nothing to do.', DAEMON_EVENTS),
  daemon_deployment_rollback: info('warning', 'The daemon deployment failed and ECS is rolling the daemon back to its previous revision.', 'Find why the new daemon tasks failed (their DAEMON_TASK_START_IMPAIRED events and stopped tasks) and fix the revision before deploying it again.', DAEMON_EVENTS),
  daemon_deployment_rollback_failed: info('critical', 'ECS could not roll the failed daemon deployment back: instances may run neither daemon revision, and ECS replaces instances whose daemon does not run.', "Look at the daemon's deployments and tasks in the ECS console, then deploy a revision known to work.", DAEMON_EVENTS),
  daemon_deployment_stopped: info('info', 'The daemon deployment stopped: it failed, or a newer deployment replaced it.', 'Nothing if a newer deployment replaced it; otherwise look at the rollback of this deployment.', DAEMON_EVENTS),
  container_instance_state_change: info('info', 'A container instance changed state (task accounting, agent or registration changes).', 'Nothing to do.', INSTANCE_EVENTS),
  container_instance_draining: info('warning', 'A container instance is DRAINING: its service tasks are being moved elsewhere.', 'Expected during scale-in, Spot interruptions and AMI updates; otherwise find who set it.', `${DOCS}/container-instance-draining.html`),
  container_instance_agent_disconnected: info('warning', 'The ECS agent on the container instance lost its connection to ECS, so no tasks are placed there.', 'Restart or upgrade the agent; check the instance role and the network path to the ECS endpoint.', `${DOCS}/ecs-agent-disconnected.html`),
  container_instance_impaired: info('warning', 'A health check of the container instance (runtime, GPU or daemon) reports it impaired.', 'Drain and replace the instance, or fix the failing component.', INSTANCE_HEALTH_EVENTS),
  container_instance_health_ok: info('info', 'The container instance is healthy again.', 'Nothing to do.', INSTANCE_HEALTH_EVENTS),
  ec2_spot_interruption_warning: info('warning', 'EC2 is reclaiming a Spot instance in about two minutes.', 'Enable ECS_ENABLE_SPOT_INSTANCE_DRAINING so ECS moves the tasks in time; mix on-demand capacity.', SPOT_WARNINGS, true),
  ec2_spot_rebalance_recommendation: info('info', 'EC2 says a Spot instance is at elevated risk of interruption.', 'Nothing yet; Capacity Rebalancing may replace the instance.', 'https://docs.aws.amazon.com/AWSEC2/latest/UserGuide/rebalance-recommendations.html', true),
  ec2_instance_state_change: info('info', 'An EC2 instance changed state.', 'Nothing, unless it hosted ECS tasks unexpectedly.', 'https://docs.aws.amazon.com/AWSEC2/latest/UserGuide/monitoring-instance-state-changes.html'),
  fargate_task_retirement_scheduled: info('warning', 'AWS will retire Fargate tasks for maintenance on the date given.', 'Services replace retired tasks by themselves; restart standalone tasks before the date or set the retirement wait time.', `${DOCS}/task-maintenance.html`),
  health_event: info('info', 'AWS Health reported an event for your account.', 'Read the event description in the AWS Health Dashboard.', 'https://docs.aws.amazon.com/health/latest/ug/cloudwatch-events-health.html'),
  unsupported: info('info', 'This tool does not handle this kind of event.', 'Nothing to do; narrow the EventBridge rule if it should not arrive here.', 'https://docs.aws.amazon.com/AmazonECS/latest/developerguide/ecs_cwe_events.html'),
};
