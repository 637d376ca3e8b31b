import type { Alert } from '../alerts/alert.ts';
import { fitTitle, shortCause, subjectOf } from '../alerts/build.ts';
import { announce, closeQuietly, countQuietly, openGroup, type Outcome } from '../alerts/grouping.ts';
import { alertScope } from '../alerts/key.ts';
import type { ServiceSnapshot } from '../aws/services.ts';
import type { Classification } from '../classify/verdict.ts';
import { lastSegment } from '../events/arn.ts';
import { outcomeOf, updateRecord, type Tracked, type TrackingContext } from '../tracking.ts';
import { countFailure, type RecentFailures } from './crash-loop.ts';
import { failedCount, trackDeployment, type DeploymentRecord, type ServiceDeployments } from './deployments.ts';
import { dominantCategory, failureBreakdown, FAILURE_CATEGORIES, isTaskFailure } from './failures.ts';

function deploymentStory(deployment: DeploymentRecord): string {
  const count = failedCount(deployment);
  const parts: string[] = [];
  if (count > 0) parts.push(`${count} ${count === 1 ? 'task' : 'tasks'} failed — ${failureBreakdown(deployment.failures)}`);
  if (deployment.failureReason !== null && deployment.rolledBackTo === null) parts.push(deployment.failureReason.replace(/\.$/, ''));
  if (deployment.rolledBackTo !== null) parts.push(`circuit breaker rolling back to ${deployment.rolledBackTo}`);
  return parts.length === 0 ? 'no failed task seen yet' : parts.join('; ');
}

function deploymentAlert(base: Alert, scope: string, deployment: DeploymentRecord, tell: 'trouble' | 'rollback' | null): Alert {
  const subject = subjectOf(base);
  const key = `${scope}|deployment:${deployment.id}`;
  const title =
    tell === 'rollback' || deployment.status === 'rolling_back'
      ? `Deployment rolling back – ${subject} to ${deployment.rolledBackTo ?? 'the previous deployment'}`
      : deployment.status === 'failed'
        ? `Deployment failed – ${subject}`
        : `Deployment in trouble – ${subject}: ${failedCount(deployment)} tasks failed`;
  return {
    ...base,
    key,
    kind: tell === 'rollback' ? 'follow-up' : 'new',
    severity: 'critical',
    category: 'deployment_failed',
    title: fitTitle(title),
    summary: `Deployment ${deployment.id} of ${subject}: ${deploymentStory(deployment)}.`,
    facts: {
      ...base.facts,
      deploymentId: deployment.id,
      taskDefinition: deployment.taskDefinition ?? base.facts.taskDefinition,
      cause: `The tasks of the new deployment keep failing; the latest: ${shortCause(base)}.`,
      remedy: 'Find why the new tasks failed (the failures above, their logs) and fix the release before deploying again; the previous deployment keeps serving if it was rolled back.',
    },
    group: { ...base.group, count: Math.max(1, failedCount(deployment)), ids: deployment.failedTasks, firstTime: deployment.startedAt },
  };
}

const DEPLOYMENT_CATEGORIES = new Set(['deployment_in_progress', 'deployment_rollback', 'deployment_failed', 'deployment_completed', 'service_task_start_impaired']);

async function lookUpService(verdict: Classification, context: TrackingContext): Promise<ServiceSnapshot | null> {
  if (verdict.cluster === null || verdict.service === null || context.lookups.services === undefined) return null;
  return context.lookups.services(verdict.cluster, verdict.service);
}

/**
 * What the ECS API adds to a deployment alert when it answers: the deployment's rollout state and failed-task count
 * as ECS keeps them, the service's running and desired counts, and the task definition the events did not name.
 */
function withServiceState(alert: Alert, deployment: DeploymentRecord, service: ServiceSnapshot | null): Alert {
  if (service === null) return { ...alert, enriched: false };
  const own = service.deployments.find((candidate) => candidate.id === deployment.id);
  const rollout = own === undefined ? '' : ` ECS reports the deployment ${own.rolloutState ?? own.status}${own.failedTasks > 0 ? ` with ${own.failedTasks} failed tasks` : ''}.`;
  const counts = ` The service runs ${service.runningCount} of ${service.desiredCount} tasks.`;
  const taskDefinition = alert.facts.taskDefinition ?? (own?.taskDefinition === null || own === undefined ? null : lastSegment(own.taskDefinition));
  return { ...alert, summary: `${alert.summary}${rollout}${counts}`, facts: { ...alert.facts, taskDefinition } };
}

/** Deployments: failed tasks of a deployment in progress, its failure, rollback and completion. */
export async function trackDeployments(verdict: Classification, context: TrackingContext): Promise<Tracked | null> {
  if (verdict.service === null || !(DEPLOYMENT_CATEGORIES.has(verdict.category) || (isTaskFailure(verdict) && verdict.deploymentId !== null))) return null;
  const scope = alertScope(verdict);
  const time = verdict.time ?? new Date(0).toISOString();
  const action = await updateRecord<ServiceDeployments, ReturnType<typeof trackDeployment>['action']>(
    context.store,
    'deployments',
    scope,
    () => ({ deployments: [] }),
    (current) => {
      const next = trackDeployment(current, verdict, context.config.deployment);
      return { value: next.record === current ? null : next.record, result: next.action };
    },
    time,
  );
  if (action.type === 'ignore') return null;
  if (action.type === 'completed') {
    if (action.rolledBack === null) return { handled: false };
    return {
      handled: false,
      resolution: {
        what: `Rollback ${action.deployment.id} of service ${verdict.service} (back to ${action.rolledBack.rolledBackTo ?? 'the previous deployment'}) completed`,
        time,
        eventId: context.eventId,
      },
    };
  }
  const { deployment, tell } = action;
  let alert = deploymentAlert(await context.build(verdict), scope, deployment, tell);
  if (tell !== null) alert = withServiceState(alert, deployment, await lookUpService(verdict, context));
  const messages = await context.changeGroup(alert.key, (current) => {
    if (tell === 'trouble') {
      const opened = openGroup(current, alert, scope, context.eventId, { windowMinutes: 0, repeatHours: 24 });
      return opened.state === null ? countQuietly(current, alert, context.eventId) : opened;
    }
    return tell === 'rollback' ? announce(current, alert, context.eventId) : countQuietly(current, alert, context.eventId);
  });
  return { handled: true, alertKey: alert.key, outcome: outcomeOf(messages), messages };
}


/** Crash loops: a service whose tasks keep failing outside a deployment gets one critical alert. */
export async function trackCrashLoops(verdict: Classification, context: TrackingContext, applyToGroup: (key: string, alert: Alert) => Promise<{ outcome: Outcome; messages: Alert[] }>): Promise<Tracked | null> {
  if (verdict.service === null || !isTaskFailure(verdict)) return null;
  const scope = alertScope(verdict);
  const key = `${scope}|crash-loop`;
  const time = verdict.time ?? new Date(0).toISOString();
  const counted = await updateRecord<RecentFailures, { looping: boolean; failures: Record<string, number> }>(
    context.store,
    'failures',
    scope,
    () => ({ failures: [] }),
    (current) => {
      const next = countFailure(current, verdict, context.config.crashLoop);
      return { value: next.record, result: { looping: next.looping, failures: next.failures } };
    },
    time,
  );
  const base = await context.build(verdict);
  const subject = subjectOf(base);
  const crashAlert = (count: number, failures: Record<string, number>): Alert => {
    const dominant = dominantCategory(failures) ?? verdict.category;
    return {
      ...base,
      key,
      severity: 'critical',
      category: dominant,
      title: fitTitle(`Crash loop – ${subject}: ${count} tasks stopped in ${context.config.crashLoop.windowMinutes} min`),
      summary: `${count} tasks of ${subject} stopped within ${context.config.crashLoop.windowMinutes} minutes — ${failureBreakdown(failures)}. Latest: ${shortCause(base)}.`,
    };
  };
  const existing = await context.store.getGroup(key);
  if (existing?.state.status === 'firing') {
    const folded = await applyToGroup(key, crashAlert(existing.state.eventCount + 1, counted.failures));
    return { handled: true, alertKey: key, ...folded };
  }
  if (!counted.looping) return null;
  const count = Object.values(counted.failures).reduce((sum, value) => sum + value, 0);
  const alert = crashAlert(count, counted.failures);
  const messages = await context.changeGroup(key, (current) => openGroup(current, alert, scope, context.eventId, { windowMinutes: 5, repeatHours: 4 }));
  // The crash loop covers the service's separate failure alerts: they end without a notice of their own.
  for (const group of await context.store.groupsInScope(scope)) {
    if (group.state.status === 'firing' && group.state.key !== key && FAILURE_CATEGORIES.has(group.state.latest.category) && !group.state.key.includes('|deployment:')) {
      await context.changeGroup(group.state.key, (current) => closeQuietly(current, time));
    }
  }
  return { handled: true, alertKey: key, outcome: outcomeOf(messages), messages };
}
