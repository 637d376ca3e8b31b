import { object, text, vocabulary, type Infer } from './schema.ts';

/**
 * ECS Managed Daemons (Managed Instances capacity only) failing to start a daemon task on a container instance.
 * https://docs.aws.amazon.com/AmazonECS/latest/developerguide/managed-daemons-events.html
 */
export const DAEMON_SERVICE_ACTION = 'ECS Daemon Service Action';

/**
 * `eventType` is spelled `WARNING` here, where service actions say `WARN`. `taskArn` is there only for
 * `TASK_FAILED_TO_RUN`; with `TASK_CREATION_FAILED` no task exists and `resources` is `[]`. `reason` wraps the usual
 * stopped-task and placement messages (`Task failed to reach RUNNING status: CannotPullContainerError: …`,
 * `RESOURCE:CPU - Unable to place daemon task on container instance: insufficient CPU`).
 */
export const daemonServiceActionDetailSchema = object({
  eventType: vocabulary(['INFO', 'WARN', 'WARNING', 'ERROR']),
  eventName: vocabulary(['DAEMON_TASK_START_IMPAIRED']),
  clusterArn: text(),
  containerInstanceArn: text(),
  taskArn: text(),
  daemonArn: text(),
  daemonRevisionArn: text(),
  daemonTaskDefinitionArn: text(),
  capacityProviderName: text(),
  failureType: vocabulary(['TASK_FAILED_TO_RUN', 'TASK_CREATION_FAILED']),
  createdAt: text(),
  reason: text(),
});

export type DaemonServiceActionDetail = Infer<typeof daemonServiceActionDetailSchema>;
