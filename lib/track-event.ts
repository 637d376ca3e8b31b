import type { Alert } from './alerts/alert.ts';
import { fitTitle, shortCause, subjectOf } from './alerts/build.ts';
import type { GroupState } from './alerts/group-state.ts';
import { announce, closeQuietly, countQuietly, openGroup, type Outcome, type Resolution, type Step } from './alerts/grouping.ts';
import { alertScope } from './alerts/key.ts';
import type { ServiceLookup } from './aws/services.ts';
import type { InstanceLookup } from './aws/instances.ts';
import type { Classification } from './classify/verdict.ts';
import { countFailure, DEFAULT_CRASH_LOOP, type CrashLoopConfig, type RecentFailures } from './deploy/crash-loop.ts';
import { DEFAULT_DEPLOYMENT_CONFIG, failedCount, trackDeployment, type DeploymentConfig, type DeploymentRecord, type ServiceDeployments } from './deploy/deployments.ts';
import { dominantCategory, failureBreakdown, FAILURE_CATEGORIES, isTaskFailure } from './deploy/failures.ts';
import { StoreConflictError } from './errors.ts';
import { lastSegment } from './events/arn.ts';
import type { AlertStore } from './store/store.ts';

/** How the trackers that follow events across time decide; every value has a default. */
export interface TrackingConfig {
  deployment: DeploymentConfig;
  crashLoop: CrashLoopConfig;
  /** How long Fargate Spot may fail to place a service's tasks before it pages (default 15 minutes). */
  spotOutageMinutes: number;
}

export const DEFAULT_TRACKING: TrackingConfig = { deployment: DEFAULT_DEPLOYMENT_CONFIG, crashLoop: DEFAULT_CRASH_LOOP, spotOutageMinutes: 15 };

/** What trackers may look up in the ECS API; each answers null when it cannot, and alerts go out all the same. */
export interface TrackingLookups {
  services?: ServiceLookup;
  instances?: InstanceLookup;
}

/** Changes a group and publishes what the change decided; the alerting pipeline's own, with its outbox. */
export type ChangeGroup = (key: string, decide: (current: GroupState | null) => Step) => Promise<Alert[]>;

export interface TrackingContext {
  store: AlertStore;
  changeGroup: ChangeGroup;
  build: (verdict: Classification) => Promise<Alert>;
  config: TrackingConfig;
  lookups: TrackingLookups;
  eventId: string | null;
}

/** What tracking did with an event: took it over (with its decision), or let ordinary alerting go on. */
export type Tracked =
  | { handled: true; alertKey: string; outcome: Outcome; messages: Alert[] }
  | { handled: false; adjust?: (alert: Alert) => Alert; resolution?: Resolution; verdict?: Classification };

const RECORD_DAYS = 14;
const MAX_RECORD_ATTEMPTS = 5;

function expiry(time: string): string {
  const at = Date.parse(time);
  return new Date((Number.isNaN(at) ? Date.now() : at) + RECORD_DAYS * 86_400_000).toISOString();
}

/** Reads, changes and conditionally writes one tracker record, again on a lost race. */
async function updateRecord<T, R>(store: AlertStore, kind: string, id: string, empty: () => T, change: (current: T) => { value: T | null; result: R }, time: string): Promise<R> {
  for (let attempt = 1; attempt <= MAX_RECORD_ATTEMPTS; attempt += 1) {
    const stored = await store.getRecord(kind, id);
    // The record was written by this module for this kind; its shape is ours.
    const current = stored === null ? empty() : (stored.value as T);
    const { value, result } = change(current);
    if (value === null) return result;
    if (await store.putRecord(kind, id, value, stored?.rev ?? null, expiry(time))) return result;
  }
  throw new StoreConflictError(`record ${kind} ${id} kept changing under concurrent writers`);
}

function outcomeOf(messages: readonly Alert[]): Outcome {
  return messages.some((message) => message.kind === 'new' || message.kind === 'repeat') ? { outcome: 'alert' } : { outcome: 'grouped' };
}

// Deployments -----------------------------------------------------------------------------------------------

function deploymentStory(deployment: DeploymentRecord): string {
  const count = failedCount(deployment);
  const failed = count === 0 ? 'no task failed yet' : `${count} ${count === 1 ? 'task' : 'tasks'} failed — ${failureBreakdown(deployment.failures)}`;
  const rollback = deployment.rolledBackTo === null ? '' : `; circuit breaker rolling back to ${deployment.rolledBackTo}`;
  const failure = deployment.failureReason === null || deployment.rolledBackTo !== null ? '' : `; ${deployment.failureReason.replace(/\.$/, '')}`;
  return `${failed}${failure}${rollback}`;
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
      cause: `The new deployment keeps failing: ${deploymentStory(deployment)}.`,
      remedy: 'Find why the new tasks failed (the failures above, their logs) and fix the release before deploying again; the previous deployment keeps serving if it was rolled back.',
    },
    group: { ...base.group, count: Math.max(1, failedCount(deployment)), ids: deployment.failedTasks },
  };
}

const DEPLOYMENT_CATEGORIES = new Set(['deployment_in_progress', 'deployment_rollback', 'deployment_failed', 'deployment_completed', 'service_task_start_impaired']);

async function trackDeployments(verdict: Classification, context: TrackingContext): Promise<Tracked | null> {
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
        what: `Rollback ${action.deployment.id} of service ${verdict.service} completed (back on ${action.rolledBack.rolledBackTo ?? 'the previous deployment'}, after ${deploymentStory(action.rolledBack)})`,
        time,
        eventId: context.eventId,
      },
    };
  }
  const { deployment, tell } = action;
  const alert = deploymentAlert(await context.build(verdict), scope, deployment, tell);
  const messages = await context.changeGroup(alert.key, (current) => {
    if (tell === 'trouble') {
      const opened = openGroup(current, alert, scope, context.eventId, { windowMinutes: 0, repeatHours: 24 });
      return opened.state === null ? countQuietly(current, alert, context.eventId) : opened;
    }
    return tell === 'rollback' ? announce(current, alert, context.eventId) : countQuietly(current, alert, context.eventId);
  });
  return { handled: true, alertKey: alert.key, outcome: outcomeOf(messages), messages };
}

// Crash loops -----------------------------------------------------------------------------------------------

async function trackCrashLoops(verdict: Classification, context: TrackingContext, applyToGroup: (key: string, alert: Alert) => Promise<{ outcome: Outcome; messages: Alert[] }>): Promise<Tracked | null> {
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

// Spot -----------------------------------------------------------------------------------------------------

interface SpotWarning {
  warnedAt: string;
  key: string;
}

interface InstanceIndex {
  cluster: string;
  containerInstanceArn: string | null;
}

/** How long after a Spot warning the instance's draining and task stops are part of the same interruption. */
const SPOT_STORY_MINUTES = 60;

function withinStory(warning: SpotWarning | null, time: string): warning is SpotWarning {
  return warning !== null && Date.parse(time) - Date.parse(warning.warnedAt) <= SPOT_STORY_MINUTES * 60_000 && Date.parse(time) >= Date.parse(warning.warnedAt) - 60_000;
}

async function readRecord<T>(store: AlertStore, kind: string, id: string): Promise<T | null> {
  const stored = await store.getRecord(kind, id);
  // Written by this module for this kind.
  return stored === null ? null : (stored.value as T);
}

async function writeRecord(store: AlertStore, kind: string, id: string, value: unknown, time: string): Promise<void> {
  const stored = await store.getRecord(kind, id);
  // Last writer wins: an index and a warning mark are facts, not counters.
  await store.putRecord(kind, id, value, stored?.rev ?? null, expiry(time));
}

async function trackSpot(verdict: Classification, context: TrackingContext): Promise<Tracked | null> {
  const time = verdict.time ?? new Date(0).toISOString();
  const instance = verdict.ec2InstanceId;

  // Which cluster and container instance an EC2 instance is: EC2 events do not say.
  if ((verdict.category.startsWith('container_instance') || verdict.containerInstanceArn !== null) && instance !== null && verdict.cluster !== null && verdict.taskArn === null) {
    await writeRecord(context.store, 'instance', instance, { cluster: verdict.cluster, containerInstanceArn: verdict.containerInstanceArn } satisfies InstanceIndex, time);
  }

  // The rest of an interruption already told: the instance draining, its tasks stopping, the task stopping after its warning.
  if (instance !== null && verdict.category !== 'ec2_spot_interruption_warning') {
    const warning = await readRecord<SpotWarning>(context.store, 'spot-instance', instance);
    const partOfIt = ['container_instance_draining', 'host_stopped_or_terminated', 'spot_interruption', 'container_instance_state_change', 'container_instance_agent_disconnected'].includes(verdict.category);
    if (partOfIt && withinStory(warning, time)) return { handled: true, alertKey: warning.key, outcome: { outcome: 'grouped' }, messages: [] };
  }
  if (verdict.category === 'spot_interruption' && verdict.taskArn !== null) {
    const warning = await readRecord<SpotWarning>(context.store, 'spot-task', verdict.taskArn);
    if (withinStory(warning, time)) return { handled: true, alertKey: warning.key, outcome: { outcome: 'grouped' }, messages: [] };
  }

  if (verdict.category === 'spot_interruption_warning' && verdict.taskArn !== null) {
    const scope = alertScope(verdict);
    await writeRecord(context.store, 'spot-task', verdict.taskArn, { warnedAt: time, key: `${scope}|spot_interruption_warning` } satisfies SpotWarning, time);
    const interruptions = await updateRecord<{ times: string[] }, number>(
      context.store,
      'spot',
      scope,
      () => ({ times: [] }),
      (current) => {
        const day = Date.parse(time) - 86_400_000;
        const times = [...current.times.filter((at) => Date.parse(at) >= day), time].slice(-200);
        return { value: { times }, result: times.length };
      },
      time,
    );
    const service = verdict.service === null || verdict.cluster === null ? null : await context.lookups.services?.(verdict.cluster, verdict.service);
    const lastTask = service !== null && service !== undefined && service.runningCount === 0;
    const counts = service === null || service === undefined ? '' : ` ${service.runningCount} of ${service.desiredCount} tasks running.`;
    return {
      handled: false,
      adjust: (alert) => ({
        ...alert,
        severity: lastTask ? 'critical' : alert.severity,
        summary: `${alert.summary}${counts} ${interruptions === 1 ? 'First Spot interruption' : `Spot interruption ${interruptions}`} of this service in 24 hours.${lastTask ? ' No task of the service is left running.' : ''}`,
      }),
    };
  }

  if (verdict.category === 'ec2_spot_interruption_warning' && instance !== null) {
    const index = await readRecord<InstanceIndex>(context.store, 'instance', instance);
    const located: Classification = index === null ? verdict : { ...verdict, cluster: index.cluster, containerInstanceArn: index.containerInstanceArn };
    const tasks = await context.lookups.instances?.(instance, index === null ? [] : [index.cluster]);
    const located2: Classification = tasks === null || tasks === undefined ? located : { ...located, cluster: lastSegment(tasks.clusterArn) ?? located.cluster, containerInstanceArn: tasks.containerInstanceArn };
    const key = `${alertScope(located2)}|${verdict.category}`;
    await writeRecord(context.store, 'spot-instance', instance, { warnedAt: time, key } satisfies SpotWarning, time);
    const byService = new Map<string, number>();
    for (const task of tasks?.tasks ?? []) byService.set(task.service ?? '(standalone tasks)', (byService.get(task.service ?? '(standalone tasks)') ?? 0) + 1);
    const onIt =
      byService.size === 0
        ? ''
        : ` On it: ${[...byService].map(([service, count]) => `${count} ${count === 1 ? 'task' : 'tasks'} of service ${service}`).join(', ')}.`;
    return {
      handled: false,
      verdict: located2,
      adjust: (alert) => ({ ...alert, summary: `${alert.summary}${onIt}`, facts: { ...alert.facts, cause: `${alert.facts.cause}${onIt}` } }),
    };
  }

  if (verdict.category === 'placement_failure_spot_capacity' && verdict.service !== null) {
    const scope = alertScope(verdict);
    const failing = await context.store.getGroup(`${scope}|placement_failure_spot_capacity`);
    const since = failing?.state.status === 'firing' ? failing.state.openedAt : null;
    if (since !== null && Date.parse(time) - Date.parse(since) >= context.config.spotOutageMinutes * 60_000) {
      const base = await context.build(verdict);
      const alert: Alert = {
        ...base,
        key: `${scope}|spot-capacity-outage`,
        severity: 'critical',
        title: fitTitle(`No Fargate Spot capacity for ${context.config.spotOutageMinutes}+ min – ${subjectOf(base)}`),
        summary: `ECS has not been able to place tasks of ${subjectOf(base)} on Fargate Spot since ${since}. ${base.facts.cause}`,
      };
      const messages = await context.changeGroup(alert.key, (current) => openGroup(current, alert, scope, context.eventId, { windowMinutes: 5, repeatHours: 4 }));
      if (messages.length > 0) return { handled: true, alertKey: alert.key, outcome: outcomeOf(messages), messages };
    }
  }
  return null;
}

/** The container-instance alerts people act on: they name the tasks that run on the instance. */
const INSTANCE_CATEGORIES = new Set(['container_instance_draining', 'container_instance_impaired', 'container_instance_agent_disconnected']);

async function describeInstance(verdict: Classification, context: TrackingContext): Promise<Tracked | null> {
  if (!verdict.alert || !INSTANCE_CATEGORIES.has(verdict.category) || verdict.ec2InstanceId === null || context.lookups.instances === undefined) return null;
  const tasks = await context.lookups.instances(verdict.ec2InstanceId, verdict.cluster === null ? [] : [verdict.cluster]);
  if (tasks === null) return null;
  const byService = new Map<string, number>();
  for (const task of tasks.tasks) byService.set(task.service ?? '(standalone tasks)', (byService.get(task.service ?? '(standalone tasks)') ?? 0) + 1);
  const onIt =
    byService.size === 0
      ? ' No task runs on it.'
      : ` Tasks on it: ${[...byService].map(([service, count]) => `${count} of service ${service}`).join(', ')}.`;
  return { handled: false, adjust: (alert) => ({ ...alert, summary: `${alert.summary}${onIt}` }) };
}

/**
 * Follows events across time before ordinary alerting: deployments (their failed tasks, rollback and outcome), crash
 * loops of a service's tasks, and Spot interruptions (a warning and the stops that follow it are one story). A tracker
 * either takes an event over, or lets ordinary alerting go on, possibly adjusting its alert or its resolution.
 */
export async function trackEvent(
  verdict: Classification,
  context: TrackingContext,
  applyToGroup: (key: string, alert: Alert) => Promise<{ outcome: Outcome; messages: Alert[] }>,
): Promise<Tracked> {
  const spot = await trackSpot(verdict, context);
  if (spot !== null) return spot;
  const deployment = await trackDeployments(verdict, context);
  if (deployment !== null) return deployment;
  const loop = await trackCrashLoops(verdict, context, applyToGroup);
  if (loop !== null) return loop;
  return (await describeInstance(verdict, context)) ?? { handled: false };
}
