import { object, text, vocabulary, type Infer } from './schema.ts';

/**
 * Deployment lifecycle hooks changing status: pause hooks (2026) and Lambda hooks.
 * https://docs.aws.amazon.com/AmazonECS/latest/developerguide/ecs_hook_state_change_events.html
 */
export const HOOK_STATE_CHANGE = 'ECS Hook State Change';

/** The event names AWS documents for hooks; `HOOK_` and the hook status of `DescribeServiceDeployments` (`AWAITING_ACTION`, …). */
export const HOOK_EVENT_NAMES = ['HOOK_IN_PROGRESS', 'HOOK_AWAITING_ACTION', 'HOOK_SUCCEEDED', 'HOOK_FAILED', 'HOOK_TIMED_OUT'] as const;

/**
 * Cluster and service are in `detail` (`clusterArn`, `serviceArn`): the envelope's `resources[0]` is the
 * service-*deployment* ARN in one AWS example and absent in another (pause-lifecycle-hooks.html). `updatedAt` has
 * nanoseconds. No documented example carries `timeoutAction` (the API's `DeploymentLifecycleHookDetail` does); it is
 * read when a future event adds it.
 */
export const hookDetailSchema = object({
  eventType: vocabulary(['INFO', 'WARN', 'WARNING', 'ERROR']),
  eventName: vocabulary(HOOK_EVENT_NAMES),
  hookId: text(),
  hookType: vocabulary(['PAUSE', 'AWS_LAMBDA']),
  expiresAt: text(),
  lifecycleStage: text(),
  clusterArn: text(),
  serviceArn: text(),
  serviceDeploymentArn: text(),
  updatedAt: text(),
  timeoutAction: vocabulary(['ROLLBACK', 'CONTINUE']),
});

export type HookDetail = Infer<typeof hookDetailSchema>;
