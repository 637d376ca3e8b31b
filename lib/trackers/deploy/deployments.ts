import type { Classification } from '../../classify/verdict.ts';
import { lastSegment } from '../../events/arn.ts';
import type { Tally } from '../../store/store.ts';
import { isTaskFailure } from './failures.ts';

export type DeploymentStatus = 'in_progress' | 'failed' | 'rolling_back' | 'rolled_back' | 'completed';

/** What is known of one deployment of a service. */
export interface DeploymentRecord {
  id: string;
  startedAt: string;
  /** `family:revision` of the deployment's tasks, when a task or the ECS API has told it. */
  taskDefinition: string | null;
  status: DeploymentStatus;
  /** Failed tasks by category. */
  failures: Record<string, number>;
  /**
   * Ids of the failed tasks, every one (up to MAX_FAILED_TASKS): a duplicate delivery of a stop is recognised by its
   * task id, so a list cut short would count the duplicates of the tasks past its end.
   */
  failedTasks: string[];
  /** The circuit breaker's reason, when the deployment failed. */
  failureReason: string | null;
  /** When this deployment is a rollback: the deployment it rolls back to. */
  rollsBackTo: string | null;
  /** When this deployment was rolled back: the rollback deployment, and the deployment it went back to. */
  rolledBackBy: string | null;
  rolledBackTo: string | null;
  completedAt: string | null;
  /** The trouble alert went out. */
  alerted: boolean;
}

/** A service's recent deployments, oldest first (at most MAX_DEPLOYMENTS): the `deployments` record of its scope. */
export interface ServiceDeployments {
  deployments: DeploymentRecord[];
}

export interface DeploymentConfig {
  /** Failed tasks of a deployment that make it "in trouble" (default 3). */
  failureThreshold: number;
}

export const DEFAULT_DEPLOYMENT_CONFIG: DeploymentConfig = { failureThreshold: 3 };
const MAX_DEPLOYMENTS = 10;
/** 2,000 task ids take about 70 KB of the 400 KB a DynamoDB item may hold; past them failures are still counted. */
export const MAX_FAILED_TASKS = 2_000;
const ROLLBACK_TARGET = /rolling back to deploymentId (\S+?)\.?$/i;

/** What the tracker says of one event. */
export type DeploymentAction =
  /** Not about a tracked deployment: alert on it as usual. */
  | { type: 'ignore' }
  /** Taken into the deployment's story; `tell` says which message, if any, goes out now. */
  | { type: 'tracked'; deployment: DeploymentRecord; tell: 'trouble' | 'rollback' | 'failed' | null }
  /** A deployment completed: its own trouble, or the one it rolled back, is over. */
  | { type: 'completed'; deployment: DeploymentRecord; rolledBack: DeploymentRecord | null };

function fresh(id: string, time: string): DeploymentRecord {
  return {
    id,
    startedAt: time,
    taskDefinition: null,
    status: 'in_progress',
    failures: {},
    failedTasks: [],
    failureReason: null,
    rollsBackTo: null,
    rolledBackBy: null,
    rolledBackTo: null,
    completedAt: null,
    alerted: false,
  };
}

function withDeployment(record: ServiceDeployments, deployment: DeploymentRecord): ServiceDeployments {
  const others = record.deployments.filter((candidate) => candidate.id !== deployment.id);
  return { deployments: [...others, deployment].slice(-MAX_DEPLOYMENTS) };
}

/** `family:revision` of a failed task's task definition, which the deployment's tally keeps from its first failure. */
export function taskDefinitionOf(verdict: Classification): string | null {
  return lastSegment(verdict.taskDefinitionArn);
}

/**
 * One event applied to a service's deployments. Pure: the caller keeps the record and sends the messages.
 *
 * - Deployment events (and the same names under ECS Service Action) start, fail, roll back and complete deployments;
 *   a deployment first seen failing is tracked from there.
 * - A task failure whose `startedBy` is a deployment in progress counts against it; the trouble alert goes out at the
 *   threshold, or at once when the deployment fails or the service cannot start tasks.
 * - A rollback is a new deployment whose reason names the deployment it goes back to; the deployment it replaces
 *   is the latest one of the service that is neither.
 */
export function trackDeployment(record: ServiceDeployments, verdict: Classification): { record: ServiceDeployments; action: DeploymentAction } {
  const time = verdict.time ?? new Date(0).toISOString();
  const id = verdict.deploymentId;
  const find = (deploymentId: string | null): DeploymentRecord | undefined => record.deployments.find((deployment) => deployment.id === deploymentId);
  const ignore = { record, action: { type: 'ignore' } as const };

  switch (verdict.category) {
    case 'deployment_in_progress': {
      if (id === null || find(id) !== undefined) return ignore;
      return { record: withDeployment(record, fresh(id, time)), action: { type: 'ignore' } };
    }
    case 'deployment_rollback': {
      if (id === null) return ignore;
      const target = ROLLBACK_TARGET.exec(verdict.reason ?? '')?.[1] ?? null;
      const replaced = [...record.deployments].reverse().find((deployment) => deployment.id !== id && deployment.id !== target && deployment.rolledBackBy === null);
      const rollback: DeploymentRecord = { ...(find(id) ?? fresh(id, time)), rollsBackTo: target };
      if (replaced === undefined) return { record: withDeployment(record, rollback), action: { type: 'ignore' } };
      const rolledBack: DeploymentRecord = { ...replaced, status: 'rolling_back', rolledBackBy: id, rolledBackTo: target, alerted: true };
      return {
        record: withDeployment(withDeployment(record, rolledBack), rollback),
        action: { type: 'tracked', deployment: rolledBack, tell: replaced.alerted ? 'rollback' : 'trouble' },
      };
    }
    case 'deployment_failed': {
      if (id === null) return ignore;
      const seen = find(id) ?? fresh(id, time);
      // The rollback was delivered before this failure, when the deployment it replaces was not known: link them.
      const rollback = seen.rolledBackBy === null ? orphanRollbackAfter(record, id, time) : undefined;
      const known: DeploymentRecord =
        rollback === undefined ? seen : { ...seen, status: rollback.status === 'completed' ? 'rolled_back' : 'rolling_back', rolledBackBy: rollback.id, rolledBackTo: rollback.rollsBackTo };
      // Delivery is out of order: a rollback or completion already seen is further along than "failed".
      const status = known.status === 'in_progress' ? 'failed' : known.status;
      const failed: DeploymentRecord = { ...known, status, failureReason: verdict.reason };
      // Already told in trouble: the failure is news, unless a rollback has already said more.
      const tell = !known.alerted ? 'trouble' : known.status === 'in_progress' ? 'failed' : null;
      return { record: withDeployment(record, { ...failed, alerted: true }), action: { type: 'tracked', deployment: failed, tell } };
    }
    case 'deployment_completed': {
      if (id === null) return ignore;
      const completed: DeploymentRecord = { ...(find(id) ?? fresh(id, time)), status: 'completed', completedAt: time };
      const rolledBack = record.deployments.find((deployment) => deployment.rolledBackBy === id) ?? null;
      let next = withDeployment(record, completed);
      const done = rolledBack === null ? null : { ...rolledBack, status: 'rolled_back' as const, completedAt: time };
      if (done !== null) next = withDeployment(next, done);
      return { record: next, action: { type: 'completed', deployment: completed, rolledBack: done } };
    }
    case 'service_task_start_impaired': {
      const current = [...record.deployments].reverse().find((deployment) => deployment.status === 'in_progress');
      if (current === undefined) return ignore;
      return { record: withDeployment(record, { ...current, alerted: true }), action: { type: 'tracked', deployment: current, tell: current.alerted ? null : 'trouble' } };
    }
    default:
      break;
  }

  // A failed task is counted in the deployment's tally by the store, atomically (failedTaskTell), never here.
  return ignore;
}

/** How soon after a deployment fails the circuit breaker starts its rollback (about a second in practice). */
const ROLLBACK_FOLLOWS_MS = 5 * 60_000;

/** A rollback deployment that started just after `time` and replaces no deployment known yet. */
function orphanRollbackAfter(record: ServiceDeployments, id: string, time: string): DeploymentRecord | undefined {
  const at = Date.parse(time);
  return record.deployments.find(
    (deployment) =>
      deployment.id !== id &&
      deployment.rollsBackTo !== null &&
      !record.deployments.some((candidate) => candidate.rolledBackBy === deployment.id) &&
      Date.parse(deployment.startedAt) >= at &&
      Date.parse(deployment.startedAt) - at <= ROLLBACK_FOLLOWS_MS,
  );
}

/**
 * The deployment a failed task counts against: the one its `startedBy` names, when it is tracked and has not
 * completed. A stop of a deployment that has failed, is rolling back or was rolled back is still one of its failures:
 * the events of a burst arrive in any order, and a stop delivered after FAILED folds into the deployment's story
 * instead of starting an alert of its own. Null for an unknown deployment (ordinary alerting takes the stop).
 */
export function deploymentOfFailedTask(record: ServiceDeployments, verdict: Classification): DeploymentRecord | null {
  if (!isTaskFailure(verdict) || verdict.deploymentId === null) return null;
  const deployment = record.deployments.find((candidate) => candidate.id === verdict.deploymentId);
  return deployment === undefined || deployment.status === 'completed' ? null : deployment;
}

/**
 * The deployment with what its tally says (the failed tasks the store counted atomically): the failures by category,
 * the task ids (up to MAX_FAILED_TASKS), and "alerted" once the count has reached the threshold.
 */
export function withTally(deployment: DeploymentRecord, tally: Tally | null, config: DeploymentConfig): DeploymentRecord {
  if (tally === null) return deployment;
  return {
    ...deployment,
    failures: tally.byCategory,
    failedTasks: [...tally.members].sort().slice(0, MAX_FAILED_TASKS),
    taskDefinition: deployment.taskDefinition ?? tally.first.taskDefinition ?? null,
    alerted: deployment.alerted || tally.total >= config.failureThreshold,
  };
}

/**
 * Whether the trouble alert goes out for a failed task, given the tally after the store counted it: when the count
 * reaches the threshold and nothing has told the trouble yet. Counts grow one at a time, so however many failures
 * arrive at once exactly one of them sees the threshold.
 */
export function failedTaskTell(deployment: DeploymentRecord, tally: Tally, config: DeploymentConfig): 'trouble' | null {
  return !deployment.alerted && tally.total === config.failureThreshold ? 'trouble' : null;
}

/** The number of failed tasks of a deployment. */
export function failedCount(deployment: DeploymentRecord): number {
  return Object.values(deployment.failures).reduce((sum, value) => sum + value, 0);
}
