import { MAX_GROUP_IDS, type Alert, type DeploymentOutcome } from '../../alerts/alert.ts';
import { fitTitle, shortCause, subjectOf } from '../../alerts/build.ts';
import { announce, catchUpTally, closeQuietly, countQuietly, deferUpdate, openGroup, type Outcome } from '../../alerts/grouping.ts';
import { alertScope } from '../../alerts/key.ts';
import type { ServiceDeploymentFacts } from '../../aws/service-deployments.ts';
import type { ServiceSnapshot } from '../../aws/services.ts';
import type { Classification } from '../../classify/verdict.ts';
import { lastSegment } from '../../events/arn.ts';
import { expiry, outcomeOf, readRecord, updateRecord, type Tracked, type TrackingContext } from '../context.ts';
import { countFailure, type RecentFailures } from './crash-loop.ts';
import { deploymentOfFailedTask, failedCount, failedTaskTell, taskDefinitionOf, trackDeployment, withTally, type DeploymentAction, type DeploymentRecord, type ServiceDeployments } from './deployments.ts';
import { deploymentNotice, noticeStep, noticeWanted } from './notices.ts';
import { dominantCategory, failureBreakdown, FAILURE_CATEGORIES, isTaskFailure } from './failures.ts';
import { wantsRollbackTruth, withRollbackTruth } from './rollback-truth.ts';

function deploymentStory(deployment: DeploymentRecord): string {
  const count = failedCount(deployment);
  const parts: string[] = [];
  if (count > 0) parts.push(`${count} ${count === 1 ? 'task' : 'tasks'} failed — ${failureBreakdown(deployment.failures)}`);
  if (deployment.failureReason !== null && deployment.rolledBackTo === null) parts.push(deployment.failureReason.replace(/\.$/, ''));
  if (deployment.rolledBackTo !== null) parts.push(`circuit breaker rolling back to ${deployment.rolledBackTo}`);
  return parts.length === 0 ? 'no failed task seen yet' : parts.join('; ');
}

/** Why the deployment is in trouble: its failed tasks (the latest one's cause when a task tells it), or what ECS said. */
function deploymentCause(base: Alert, deployment: DeploymentRecord): string {
  const count = failedCount(deployment);
  const fromTask = base.facts.taskArn !== null && base.facts.status === 'STOPPED';
  if (fromTask) return `The tasks of the new deployment keep failing; the latest: ${shortCause(base)}.`;
  if (count > 0) return `The tasks of the new deployment keep failing: ${failureBreakdown(deployment.failures)}.`;
  return `ECS could not run the new deployment's tasks: ${(deployment.failureReason ?? base.facts.reason ?? 'no task of it has started').replace(/\.$/, '')}.`;
}

function deploymentRemedy(deployment: DeploymentRecord): string {
  const find = failedCount(deployment) > 0 ? 'Open the failed tasks (their stopped reasons and logs) to find why they failed' : "Find why ECS cannot start the new tasks (the service's Events tab in the console)";
  return `${find}, and fix the release before deploying again; the previous deployment keeps serving if it was rolled back.`;
}

function deploymentAlert(base: Alert, scope: string, deployment: DeploymentRecord, tell: 'trouble' | 'rollback' | 'failed' | null): Alert {
  const subject = subjectOf(base);
  const key = `${scope}|deployment:${deployment.id}`;
  const title =
    tell === 'rollback' || deployment.status === 'rolling_back'
      ? `Deployment rolling back – ${subject} to ${deployment.rolledBackTo ?? 'the previous deployment'}`
      : deployment.status === 'failed'
        ? `Deployment failed – ${subject}`
        : failedCount(deployment) === 0
          ? // Told before any task of it failed (the service cannot start tasks): no count to give.
            `Deployment in trouble – ${subject}`
          : `Deployment in trouble – ${subject}: ${failedCount(deployment)} ${failedCount(deployment) === 1 ? 'task' : 'tasks'} failed`;
  return {
    ...base,
    key,
    kind: tell === 'rollback' || tell === 'failed' ? 'follow-up' : 'new',
    severity: 'critical',
    category: 'deployment_failed',
    title: fitTitle(title),
    summary: `Deployment ${deployment.id} of ${subject}: ${deploymentStory(deployment)}.`,
    facts: {
      ...base.facts,
      deploymentId: deployment.id,
      taskDefinition: deployment.taskDefinition ?? base.facts.taskDefinition,
      cause: deploymentCause(base, deployment),
      remedy: deploymentRemedy(deployment),
    },
    group: { ...base.group, count: Math.max(1, failedCount(deployment)), ids: deployment.failedTasks.slice(0, MAX_GROUP_IDS), firstTime: deployment.startedAt },
  };
}

const DEPLOYMENT_CATEGORIES = new Set(['deployment_in_progress', 'deployment_rollback', 'deployment_failed', 'deployment_completed', 'service_task_start_impaired']);

async function lookUpService(verdict: Classification, context: TrackingContext): Promise<ServiceSnapshot | null> {
  if (verdict.cluster === null || verdict.service === null || context.lookups.services === undefined) return null;
  return context.lookups.services(verdict.cluster, verdict.service);
}

/**
 * The service deployment behind a deployment that failed or is rolling back, as DescribeServiceDeployments tells it;
 * undefined when it is not asked (no lookup, or a deployment with no failure yet), null when it did not answer.
 */
async function lookUpRollback(verdict: Classification, context: TrackingContext, deployment: DeploymentRecord): Promise<ServiceDeploymentFacts | null | undefined> {
  const lookup = context.lookups.serviceDeployments;
  if (lookup === undefined || verdict.cluster === null || verdict.service === null || !wantsRollbackTruth(deployment)) return undefined;
  return lookup(verdict.cluster, verdict.service, deployment.id, verdict.time ?? new Date(0).toISOString()).catch(() => null);
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

/** The store's tally of a deployment's failed tasks. */
const FAILURES_TALLY = 'deployment-failures';

function tallyId(scope: string, deploymentId: string): string {
  return `${scope}|${deploymentId}`;
}

/** The service's deployments with the failures their tallies hold, for the deployments still in play. */
async function withTallies(record: ServiceDeployments, scope: string, context: TrackingContext): Promise<ServiceDeployments> {
  const deployments = await Promise.all(
    record.deployments.map(async (deployment) =>
      deployment.status === 'completed' ? deployment : withTally(deployment, await context.store.getTally(FAILURES_TALLY, tallyId(scope, deployment.id)), context.config.deployment),
    ),
  );
  return { deployments };
}

/** Tells (or quietly counts) a deployment's story in its alert group, with the ECS API's view when there is news. */
/**
 * How long the update of a deployment that failed after its trouble alert is held back: when the circuit breaker
 * rolls back, ECS starts the rollback about a second after FAILED, and the rollback update tells both.
 */
const FAILED_UPDATE_DELAY_MS = 60_000;

async function tellDeployment(verdict: Classification, context: TrackingContext, scope: string, deployment: DeploymentRecord, tell: 'trouble' | 'rollback' | 'failed' | null): Promise<Tracked> {
  const base = await context.build(verdict);
  const [service, rollback] = tell === null ? [null, undefined] : await Promise.all([lookUpService(verdict, context), lookUpRollback(verdict, context, deployment)]);
  // The ECS API's view, when there is news: the service's state, and the rollback of a deployment that failed.
  const told = (alert: Alert): Alert => {
    if (tell === null) return alert;
    const withService = withServiceState(alert, deployment, service);
    return rollback === undefined ? withService : withRollbackTruth(withService, rollback);
  };
  const alert = told(deploymentAlert(base, scope, deployment, tell));
  const total = failedCount(deployment);
  if (tell === 'trouble') await absorbFailureAlerts(scope, deployment, alert.time, context);
  const messages = await context.changeGroup(alert.key, (stored) => {
    const current = stored === null ? null : catchUpTally(stored, total);
    if (tell === 'trouble') {
      const opened = openGroup(current, alert, scope, context.eventId, { windowMinutes: 0, repeatHours: 24 });
      // Another invocation opened the group first (its failure reached the threshold while this rollback was being
      // decided): the rollback is still news, told as the update it is.
      if (opened.state === null && deployment.status === 'rolling_back' && current?.latest.kind === 'new') {
        return announce(current, told(deploymentAlert(base, scope, deployment, 'rollback')), context.eventId);
      }
      if (opened.state === null) return countQuietly(current, alert, context.eventId);
      // The failures counted so far are in the alert; later ones join the group's count when it next changes.
      return { ...opened, state: { ...opened.state, tally: { kind: FAILURES_TALLY, id: tallyId(scope, deployment.id), counted: total } } };
    }
    if (tell === 'failed') return deferUpdate(current, alert, context.eventId, new Date(Date.parse(alert.time) + FAILED_UPDATE_DELAY_MS).toISOString());
    return tell === 'rollback' ? announce(current, alert, context.eventId) : countQuietly(current, alert, context.eventId);
  });
  return { handled: true, alertKey: alert.key, outcome: outcomeOf(messages), messages };
}

/**
 * Ends, without a notice, the failure alerts (and crash loop) of a deployment's tasks that went out before the
 * deployment was known: EventBridge delivered the stops before the deployment's events, and from now on the
 * deployment's story tells them, its resolved notice included.
 */
async function absorbFailureAlerts(scope: string, deployment: DeploymentRecord, time: string, context: TrackingContext): Promise<void> {
  for (const group of await context.store.groupsInScope(scope)) {
    const { state } = group;
    if (state.status !== 'firing' || state.key.includes('|deployment:')) continue;
    const ownFailures = state.latest.facts.deploymentId === deployment.id && (FAILURE_CATEGORIES.has(state.latest.category) || state.key.endsWith('|crash-loop'));
    // Its rollback, told on its own when it came before the deployment it rolls back.
    const ownRollback = deployment.rolledBackBy !== null && state.latest.facts.deploymentId === deployment.rolledBackBy && state.latest.category === 'deployment_rollback';
    if (ownFailures || ownRollback) await context.changeGroup(state.key, (current) => closeQuietly(current, time));
  }
}

/**
 * A failed task of a deployment not known yet (its events are on their way, or it started before the monitor): the
 * task is counted in the deployment's tally all the same, so that a deployment event delivered after its failures
 * finds them, and ordinary alerting goes on.
 */
async function countUnknownDeploymentFailure(verdict: Classification, context: TrackingContext, scope: string, deploymentId: string, time: string): Promise<void> {
  const task = lastSegment(verdict.taskArn) ?? context.eventId ?? time;
  const taskDefinition = taskDefinitionOf(verdict);
  await context.store.addToTally(FAILURES_TALLY, tallyId(scope, deploymentId), task, verdict.category, expiry(time), taskDefinition === null ? {} : { taskDefinition }, UNKNOWN_DEPLOYMENT_TALLY);
}

/**
 * Failed tasks kept for a deployment not known yet: enough for its trouble alert and breakdown when its events
 * arrive late. A service whose steady deployment keeps failing for days (its tasks too are started by a deployment
 * no event announces) must not grow an item without end.
 */
const UNKNOWN_DEPLOYMENT_TALLY = 100;

/**
 * A deployment whose start was delivered after its failures: if they already reach the threshold, the trouble alert
 * goes out now, as it would have at the failure that reached it.
 */
async function troubleFoundLate(verdict: Classification, context: TrackingContext, scope: string, deploymentId: string, time: string): Promise<Tracked | null> {
  const tally = await context.store.getTally(FAILURES_TALLY, tallyId(scope, deploymentId));
  if (tally === null || tally.total < context.config.deployment.failureThreshold) return null;
  const marked = await updateRecord<ServiceDeployments, DeploymentRecord | null>(
    context.store,
    'deployments',
    scope,
    () => ({ deployments: [] }),
    (current) => {
      const known = current.deployments.find((deployment) => deployment.id === deploymentId);
      if (known === undefined || known.alerted || known.status !== 'in_progress') return { value: null, result: null };
      const alerted = { ...withTally(known, tally, context.config.deployment), alerted: true };
      return { value: { deployments: current.deployments.map((deployment) => (deployment.id === deploymentId ? alerted : deployment)) }, result: alerted };
    },
    time,
  );
  return marked === null ? null : tellDeployment(verdict, context, scope, marked, 'trouble');
}

/**
 * A failed task of a tracked deployment. In a burst every task of the service fails at once, so hundreds of
 * invocations handle one deployment together: the task is counted in the deployment's tally by one atomic store
 * call, which no concurrent call can make fail, and only the one failure that brings the count to the threshold
 * writes (the trouble alert). The others change nothing: the counts of the rollback update and of the resolution
 * come from the tally when they are told.
 */
async function trackFailedTask(verdict: Classification, context: TrackingContext, scope: string, known: DeploymentRecord, time: string): Promise<Tracked> {
  const key = `${scope}|deployment:${known.id}`;
  const task = lastSegment(verdict.taskArn) ?? context.eventId ?? time;
  const taskDefinition = taskDefinitionOf(verdict);
  const tally = await context.store.addToTally(FAILURES_TALLY, tallyId(scope, known.id), task, verdict.category, expiry(time), taskDefinition === null ? {} : { taskDefinition });
  if (tally === null) return { handled: true, alertKey: key, outcome: { outcome: 'suppressed', suppressedBecause: 'duplicate' }, messages: [] };
  const tell = failedTaskTell(known, tally, context.config.deployment);
  if (tell === null) return { handled: true, alertKey: key, outcome: { outcome: 'grouped' }, messages: [] };
  return tellDeployment(verdict, context, scope, withTally(known, tally, context.config.deployment), tell);
}

/** Deployments: failed tasks of a deployment in progress, its failure, rollback and completion. */
export async function trackDeployments(verdict: Classification, context: TrackingContext): Promise<Tracked | null> {
  if (verdict.service === null || !(DEPLOYMENT_CATEGORIES.has(verdict.category) || (isTaskFailure(verdict) && verdict.deploymentId !== null))) return null;
  const scope = alertScope(verdict);
  const time = verdict.time ?? new Date(0).toISOString();
  const seen = (await readRecord<ServiceDeployments>(context.store, 'deployments', scope)) ?? { deployments: [] };
  if (!DEPLOYMENT_CATEGORIES.has(verdict.category)) {
    const known = deploymentOfFailedTask(seen, verdict);
    if (known !== null) return trackFailedTask(verdict, context, scope, known, time);
    const deploymentId = verdict.deploymentId;
    if (deploymentId !== null && !seen.deployments.some((deployment) => deployment.id === deploymentId)) await countUnknownDeploymentFailure(verdict, context, scope, deploymentId, time);
    return null;
  }
  // Deployment events are few (a handful per deployment): a read-modify-write of the service's record, with the
  // failures its deployments' tallies hold at this moment.
  const tallied = await withTallies(seen, scope, context);
  const byId = new Map(tallied.deployments.map((deployment) => [deployment.id, deployment]));
  const action = await updateRecord<ServiceDeployments, ReturnType<typeof trackDeployment>['action']>(
    context.store,
    'deployments',
    scope,
    () => ({ deployments: [] }),
    (current) => {
      const merged = { deployments: current.deployments.map((deployment) => (deployment.status === 'completed' ? deployment : mergeTally(deployment, byId.get(deployment.id)))) };
      const next = trackDeployment(merged, verdict);
      return { value: next.record === merged ? null : next.record, result: next.action };
    },
    time,
  );
  const notices = await tellOutcome(verdict, context, scope, action);
  if (action.type === 'ignore') {
    return withNotices(verdict.category === 'deployment_in_progress' && verdict.deploymentId !== null ? await troubleFoundLate(verdict, context, scope, verdict.deploymentId, time) : null, notices);
  }
  if (action.type === 'completed') {
    if (action.rolledBack === null) return withNotices({ handled: false }, notices);
    return withNotices(
      {
        handled: false,
        resolution: {
          what: `Rollback ${action.deployment.id} of service ${verdict.service} (back to ${action.rolledBack.rolledBackTo ?? 'the previous deployment'}) completed`,
          time,
          eventId: context.eventId,
        },
      },
      notices,
    );
  }
  return withNotices(await tellDeployment(verdict, context, scope, action.deployment, action.tell), notices);
}

/** The outcome a deployment event tells (started, failed, completed, rolled back), as the deployment's notice. */
function outcomeOfEvent(verdict: Classification, action: DeploymentAction): { deploymentId: string; outcome: DeploymentOutcome; detail: string | null } | null {
  const id = verdict.deploymentId;
  if (id === null) return null;
  switch (verdict.category) {
    case 'deployment_in_progress':
      return { deploymentId: id, outcome: 'started', detail: null };
    case 'deployment_failed':
      return { deploymentId: id, outcome: 'failed', detail: verdict.reason };
    case 'deployment_completed':
      if (action.type === 'completed' && action.rolledBack !== null) {
        return { deploymentId: action.rolledBack.id, outcome: 'rolled-back', detail: `rollback ${id} to ${action.rolledBack.rolledBackTo ?? 'the previous deployment'} completed` };
      }
      return { deploymentId: id, outcome: 'completed', detail: null };
    default:
      return null;
  }
}

/** Sends the deployment notice of the event, when `notifyDeployments` wants it; the messages sent. */
async function tellOutcome(verdict: Classification, context: TrackingContext, scope: string, action: DeploymentAction): Promise<Alert[]> {
  const told = outcomeOfEvent(verdict, action);
  if (told === null || !noticeWanted(told.outcome, context.config.notifyDeployments)) return [];
  const notice = deploymentNotice(await context.build(verdict), scope, told.deploymentId, told.outcome, told.detail, context.eventId);
  return context.changeGroup(notice.key, (current) => noticeStep(current, notice, scope, context.eventId));
}

/** What tracking did, with the deployment notices sent for the same event. */
function withNotices(tracked: Tracked | null, notices: Alert[]): Tracked | null {
  if (notices.length === 0) return tracked;
  if (tracked === null) return { handled: false, sent: notices };
  if (tracked.handled) return { ...tracked, messages: [...tracked.messages, ...notices] };
  return { ...tracked, sent: [...(tracked.sent ?? []), ...notices] };
}

/** A deployment as stored, with the failures of the same deployment as its tally said a moment ago. */
function mergeTally(deployment: DeploymentRecord, tallied: DeploymentRecord | undefined): DeploymentRecord {
  if (tallied === undefined) return deployment;
  return { ...deployment, failures: tallied.failures, failedTasks: tallied.failedTasks, taskDefinition: deployment.taskDefinition ?? tallied.taskDefinition, alerted: deployment.alerted || tallied.alerted };
}

/** Crash loops: a service whose tasks keep failing outside a deployment gets one critical alert. */
export async function trackCrashLoops(verdict: Classification, context: TrackingContext, applyToGroup: (key: string, alert: Alert) => Promise<{ outcome: Outcome; messages: Alert[] }>): Promise<Tracked | null> {
  if (verdict.service === null || !isTaskFailure(verdict)) return null;
  const scope = alertScope(verdict);
  const key = `${scope}|crash-loop`;
  const time = verdict.time ?? new Date(0).toISOString();
  const counted = await updateRecord<RecentFailures, { looping: boolean; failures: Record<string, number>; tasks: string[] }>(
    context.store,
    'failures',
    scope,
    () => ({ failures: [] }),
    (current) => {
      const next = countFailure(current, verdict, context.config.crashLoop);
      return { value: next.record, result: { looping: next.looping, failures: next.failures, tasks: next.tasks } };
    },
    time,
  );
  const base = await context.build(verdict);
  const subject = subjectOf(base);
  const crashAlert = (count: number, failures: Record<string, number>): Alert => {
    const dominant = dominantCategory(failures) ?? verdict.category;
    return {
      ...base,
      // The tasks of the loop, not only the latest: on-call looks for a pattern across them.
      group: { ...base.group, count, ids: counted.tasks.slice(0, MAX_GROUP_IDS) },
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
