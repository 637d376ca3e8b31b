import { object, text, vocabulary, type Infer } from './schema.ts';

/**
 * Rollouts of a new daemon revision across a cluster's Managed Instances.
 * https://docs.aws.amazon.com/AmazonECS/latest/developerguide/managed-daemons-events.html
 */
export const DAEMON_DEPLOYMENT_STATE_CHANGE = 'ECS Daemon Deployment State Change';

/** Every name AWS documents: all INFO except `DAEMON_DEPLOYMENT_ROLLBACK_FAILED` (ERROR). */
export const DAEMON_DEPLOYMENT_EVENT_NAMES = [
  'DAEMON_DEPLOYMENT_PENDING',
  'DAEMON_DEPLOYMENT_IN_PROGRESS',
  'DAEMON_DEPLOYMENT_SUCCESSFUL',
  'DAEMON_DEPLOYMENT_STOPPED',
  'DAEMON_DEPLOYMENT_STOP_REQUESTED',
  'DAEMON_DEPLOYMENT_ROLLBACK_IN_PROGRESS',
  'DAEMON_DEPLOYMENT_ROLLBACK_SUCCESSFUL',
  'DAEMON_DEPLOYMENT_ROLLBACK_FAILED',
] as const;

/** `resources` holds the daemon ARN; `updatedAt` has nanoseconds. No reason text: the event name is all it says. */
export const daemonDeploymentDetailSchema = object({
  eventType: vocabulary(['INFO', 'WARN', 'WARNING', 'ERROR']),
  eventName: vocabulary(DAEMON_DEPLOYMENT_EVENT_NAMES),
  clusterArn: text(),
  daemonArn: text(),
  daemonDeploymentArn: text(),
  targetDaemonRevisionArn: text(),
  updatedAt: text(),
});

export type DaemonDeploymentDetail = Infer<typeof daemonDeploymentDetailSchema>;
