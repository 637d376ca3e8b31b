import { clusterName, parseArn, serviceName } from '../events/arn.ts';
import type { EcsEvent } from '../events/parse.ts';
import { timestampMs } from '../events/timestamp.ts';
import type { Category } from './categories.ts';
import type { Finding, Subject } from './finding.ts';
import type { HookFacts } from './verdict.ts';

export type HookEvent = Extract<EcsEvent, { kind: 'hook' }>;

/** Hooks are classified by eventName (https://docs.aws.amazon.com/AmazonECS/latest/developerguide/ecs_hook_state_change_events.html). */
const BY_EVENT_NAME: Record<string, Category> = {
  HOOK_AWAITING_ACTION: 'deployment_hook_awaiting_action',
  HOOK_IN_PROGRESS: 'deployment_hook_in_progress',
  HOOK_SUCCEEDED: 'deployment_hook_succeeded',
  HOOK_FAILED: 'deployment_hook_failed',
  HOOK_TIMED_OUT: 'deployment_hook_timed_out',
};

/**
 * The form of a hook id in AWS's examples (`ecs-pause-e7tK9G_WRJqNF_EOMjztDXfKenlJuEUVjsNStf4WLKw`). Only such an id
 * goes into a command people copy into a shell; anything else in that field could be a command of its own.
 */
const SAFE_HOOK_ID = /^[A-Za-z0-9_-]{1,128}$/u;

function continueCommand(hookId: string | null, action: 'CONTINUE' | 'ROLLBACK'): string {
  const id = hookId !== null && SAFE_HOOK_ID.test(hookId) ? hookId : '<hook-id>';
  return `aws ecs continue-service-deployment --hook-id ${id} --action ${action}`;
}

/** What ECS does when the hook expires; the pause-hook default is ROLLBACK (pause-lifecycle-hooks.html, "Timeout behavior"). */
function timeoutOutcome(timeoutAction: string | null): string {
  if (timeoutAction === 'CONTINUE') return 'ECS continues the deployment to its next stage';
  if (timeoutAction === 'ROLLBACK') return 'ECS rolls the deployment back';
  return 'ECS takes its timeout action (ROLLBACK unless the hook is configured to CONTINUE)';
}

function where(facts: HookFacts, service: string | null): string {
  const hook = `${facts.hookType === 'AWS_LAMBDA' ? 'Lambda' : facts.hookType === 'PAUSE' ? 'Pause' : 'Lifecycle'} hook ${facts.hookId ?? '(no hook id)'}`;
  return `${hook} at stage ${facts.lifecycleStage ?? '(not given)'} of the deployment of service ${service ?? '(unknown)'}`;
}

function hookFinding(eventName: string, facts: HookFacts, service: string | null): Finding {
  const category = Object.hasOwn(BY_EVENT_NAME, eventName) ? BY_EVENT_NAME[eventName] : undefined;
  const subject = where(facts, service);
  switch (category) {
    case 'deployment_hook_awaiting_action':
      return {
        category,
        cause: `${subject} is waiting for someone to continue or roll back the deployment. It expires at ${facts.expiresAt ?? '(not given)'}; then ${timeoutOutcome(facts.timeoutAction)}.`,
        remedy: `Check the new revision, then continue: ${continueCommand(facts.hookId, 'CONTINUE')}; or roll back: ${continueCommand(facts.hookId, 'ROLLBACK')}.`,
      };
    case 'deployment_hook_in_progress':
      return { category, cause: `${subject} is running.` };
    case 'deployment_hook_succeeded':
      return {
        category,
        cause: `${subject} succeeded${facts.hookType === 'PAUSE' ? ': someone continued the deployment' : ''}; the deployment goes on to its next stage.`,
      };
    case 'deployment_hook_failed':
      return {
        category,
        cause: `${subject} failed${facts.hookType === 'PAUSE' ? ': someone chose ROLLBACK' : ''}, so ECS rolls the whole deployment back to the previous service revision.`,
      };
    case 'deployment_hook_timed_out':
      return {
        category,
        cause: `${subject} timed out${facts.expiresAt === null ? '' : ` at ${facts.expiresAt}`} without anyone continuing or rolling back: ${timeoutOutcome(facts.timeoutAction)}.`,
      };
    default:
      return { category: 'unsupported', cause: `A hook event this tool does not know yet (${eventName || 'no eventName'}).` };
  }
}

/**
 * Classifies an `ECS Hook State Change`. Cluster and service come from `detail` (`clusterArn`, `serviceArn`): the
 * envelope's `resources[0]` is a service-deployment ARN, or missing, and is read only when `detail` lacks them. A
 * waiting pause hook is a warning here; whether it is about to expire is for the tracker, which knows the time now.
 */
export function classifyHook(event: HookEvent): { finding: Finding; subject: Subject } {
  const detail = event.detail;
  const eventName = detail.eventName ?? '';
  const deploymentArn =
    detail.serviceDeploymentArn ?? event.envelope.resources.find((arn) => parseArn(arn)?.resourceType === 'service-deployment') ?? null;
  const anyArn = detail.serviceArn ?? detail.clusterArn ?? deploymentArn;
  const service = serviceName(detail.serviceArn) ?? serviceName(deploymentArn);
  const facts: HookFacts = {
    hookId: detail.hookId ?? null,
    hookType: detail.hookType ?? null,
    lifecycleStage: detail.lifecycleStage ?? null,
    status: eventName === '' ? null : eventName.replace(/^HOOK_/u, ''),
    expiresAt: detail.expiresAt ?? null,
    expiresAtMs: timestampMs(detail.expiresAt),
    serviceDeploymentArn: deploymentArn,
    timeoutAction: detail.timeoutAction ?? null,
    updatedAt: detail.updatedAt ?? null,
    updatedAtMs: timestampMs(detail.updatedAt),
  };
  return {
    finding: hookFinding(eventName, facts, service),
    subject: {
      cluster: clusterName(detail.clusterArn) ?? clusterName(detail.serviceArn) ?? clusterName(deploymentArn),
      service,
      account: parseArn(anyArn)?.account ?? null,
      region: parseArn(anyArn)?.region ?? null,
      status: detail.eventName ?? null,
      hook: facts,
    },
  };
}
