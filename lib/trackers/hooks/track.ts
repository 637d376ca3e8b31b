import type { Alert } from '../../alerts/alert.ts';
import { resolveGroup, type Resolution } from '../../alerts/grouping.ts';
import { alertScope } from '../../alerts/key.ts';
import type { Classification, HookFacts } from '../../classify/verdict.ts';
import { lastSegment } from '../../events/arn.ts';
import { readRecord, updateRecord, type Tracked, type TrackingContext } from '../context.ts';

/** Record kind: the hooks of one service deployment that ended (succeeded, continued, failed, timed out), by hook id. */
const HOOKS_DONE = 'hooks-done';
/** Record kind: when each hook of one service deployment and stage first paused, to number the steps of a linear deployment. */
const HOOK_STEPS = 'hook-steps';

interface HookEnd {
  status: string;
  time: string;
}

/** The group of one hook: the service's scope, and the hook id, so each step of a linear deployment is told. */
export function hookKey(verdict: Classification, hookId: string): string {
  return `${alertScope(verdict)}|deployment_hook:${hookId}`;
}

function timeOf(verdict: Classification, hook: HookFacts): string {
  const ms = hook.updatedAtMs ?? Date.parse(verdict.time ?? '');
  return new Date(Number.isNaN(ms) ? 0 : ms).toISOString();
}

/**
 * Deployment lifecycle hooks, one story per hook (ECS Hook State Change):
 *
 * - `AWAITING_ACTION` is an alert: the deployment waits for a person. It says which service, deployment, stage and
 *   traffic step, by when (`expiresAt`) and what ECS does then (the timeout action), and the commands to continue or
 *   roll back with the hook id. It is told again every repeat interval while it waits (critical once it would expire
 *   before the next reminder), in its own group keyed by the hook id: a linear deployment's steps are told one by one.
 * - `IN_PROGRESS` and `SUCCEEDED` end it (someone continued it); `FAILED` and `TIMED_OUT` end the wait too, saying
 *   that ECS now takes the timeout action, which the deployment's own alerts then tell (a rollback).
 * - Any order: an end delivered before its `AWAITING_ACTION` is remembered per deployment, and the late
 *   `AWAITING_ACTION` opens nothing. A `FAILED` or `TIMED_OUT` with nothing waiting adds no alert: the rollback it
 *   causes is told by the deployment's own events (ECS Deployment State Change, and DescribeServiceDeployments).
 */
export async function trackHooks(verdict: Classification, context: TrackingContext): Promise<Tracked | null> {
  const hook = verdict.hook;
  if (hook === undefined || hook.hookId === null || hook.status === null) return null;
  const { hookId, status } = hook;
  const key = hookKey(verdict, hookId);
  const time = timeOf(verdict, hook);
  const deployment = hook.serviceDeploymentArn ?? alertScope(verdict);
  if (status === 'AWAITING_ACTION') {
    const ends = await readRecord<Record<string, HookEnd>>(context.store, HOOKS_DONE, deployment);
    const end = ends?.[hookId];
    if (end !== undefined && Date.parse(end.time) >= Date.parse(time)) return { handled: true, alertKey: key, outcome: { outcome: 'suppressed', suppressedBecause: 'late' }, messages: [] };
    const step = await stepOf(context, deployment, hookId, hook.lifecycleStage, time);
    return { handled: false, adjust: (alert) => awaitingAlert(alert, verdict, hook, key, step) };
  }
  await updateRecord<Record<string, HookEnd>, null>(
    context.store,
    HOOKS_DONE,
    deployment,
    () => ({}),
    (current) => {
      const known = current[hookId];
      return known !== undefined && Date.parse(known.time) >= Date.parse(time) ? { value: null, result: null } : { value: { ...current, [hookId]: { status, time } }, result: null };
    },
    time,
  );
  const resolution: Resolution = { what: endWords(verdict, hook), time, eventId: context.eventId };
  const messages = await context.changeGroup(key, (current) => (current === null ? { state: null, messages: [] } : resolveGroup(current, resolution)));
  if (messages.length > 0) return { handled: true, alertKey: key, outcome: { outcome: 'resolved' }, messages };
  // Nothing was waiting (a Lambda hook, or a pause whose wait comes later): the rollback a failed hook causes is the
  // deployment's story, told by its own events; the hook adds no second alert, in any order.
  return { handled: true, alertKey: key, outcome: { outcome: 'suppressed', suppressedBecause: 'info' }, messages: [] };
}

/** The step of a hook among the pauses of its deployment at its stage, by when each first paused (1 for the first). */
async function stepOf(context: TrackingContext, deployment: string, hookId: string, stage: string | null, time: string): Promise<{ step: number; of: number }> {
  const id = `${deployment}|${stage ?? '-'}`;
  const steps = await updateRecord<Record<string, string>, Record<string, string>>(
    context.store,
    HOOK_STEPS,
    id,
    () => ({}),
    (current) => {
      const known = current[hookId];
      if (known !== undefined && Date.parse(known) <= Date.parse(time)) return { value: null, result: current };
      const next = { ...current, [hookId]: time };
      return { value: next, result: next };
    },
    time,
  );
  const ordered = Object.entries(steps).sort(([, a], [, b]) => Date.parse(a) - Date.parse(b));
  return { step: ordered.findIndex(([each]) => each === hookId) + 1, of: ordered.length };
}

function stageWords(stage: string | null): string {
  return stage === null ? 'a lifecycle stage' : `stage ${stage}`;
}

/** The waiting alert: what waits, who must act by when and what happens then, and the exact commands. */
function awaitingAlert(alert: Alert, verdict: Classification, hook: HookFacts, key: string, step: { step: number; of: number }): Alert {
  const deploymentId = lastSegment(hook.serviceDeploymentArn) ?? verdict.deploymentId ?? '(unknown deployment)';
  const service = verdict.service ?? '(unknown service)';
  const expires = hook.expiresAtMs === null ? null : new Date(hook.expiresAtMs).toISOString();
  const timeoutAction = hook.timeoutAction ?? 'ROLLBACK';
  const traffic = step.step > 1 ? ` (traffic step ${step.step})` : '';
  const region = verdict.region === null ? '' : ` --region ${verdict.region}`;
  const arn = hook.serviceDeploymentArn ?? '<service-deployment-arn>';
  const command = (action: string): string => `aws ecs continue-service-deployment --service-deployment-arn ${arn} --hook-id ${hook.hookId ?? ''} --action ${action}${region}`;
  const deadline =
    expires === null
      ? `If nobody acts, ECS takes the hook's timeout action (${timeoutAction} unless set otherwise) when it expires.`
      : `If nobody acts by ${expires}, ECS takes the hook's timeout action: ${timeoutAction === 'ROLLBACK' ? 'it rolls the deployment back' : 'it continues the deployment'}${hook.timeoutAction === null ? ' (ROLLBACK unless the hook says CONTINUE)' : ''}.`;
  return {
    ...alert,
    key,
    summary: `Deployment ${deploymentId} of service ${service} is paused at ${stageWords(hook.lifecycleStage)}${traffic}, waiting for someone to continue it or roll it back. ${deadline}`,
    facts: {
      ...alert.facts,
      remedy: `Check the new revision, then continue: ${command('CONTINUE')} — or roll back: ${command('ROLLBACK')}`,
    },
    reminder: { until: expires },
  };
}

function endWords(verdict: Classification, hook: HookFacts): string {
  const what = `The ${hook.hookType === 'AWS_LAMBDA' ? 'Lambda' : 'pause'} hook ${hook.hookId ?? ''} of service ${verdict.service ?? '(unknown)'} at ${stageWords(hook.lifecycleStage)}`;
  switch (hook.status) {
    case 'FAILED':
      return `${what} failed: ECS rolls the deployment back`;
    case 'TIMED_OUT':
      return `${what} timed out with nobody acting: ECS takes its timeout action (${hook.timeoutAction ?? 'a rollback unless the hook says CONTINUE'})`;
    default:
      return `${what} was continued`;
  }
}
