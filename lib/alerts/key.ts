import type { Classification } from '../classify/verdict.ts';
import { lastSegment, taskDefinitionRef } from '../events/arn.ts';

const UNKNOWN = '-';

/** Task stops that a host's end causes: told per container instance, not per service. */
const HOST_LOSS: ReadonlySet<string> = new Set(['infrastructure_health_stop', 'instance_draining_stop']);

/** Whether a category is a task stop caused by its host's end (drained, repaired): its story is the host's. */
export function isHostLoss(category: string): boolean {
  return HOST_LOSS.has(category);
}

/** The task family of a verdict: from its task definition ARN, or its `family:` group. */
export function taskFamilyOf(verdict: Classification): string | null {
  const fromArn = taskDefinitionRef(verdict.taskDefinitionArn)?.family;
  if (fromArn !== undefined && fromArn !== '') return fromArn;
  return verdict.group?.startsWith('family:') === true ? verdict.group.slice('family:'.length) : null;
}

/**
 * What an alert is about, below the cluster: `service:NAME` for service tasks and service events, `family:NAME` for
 * standalone tasks, `instance:ID` (the EC2 instance id when known) for container instances and EC2 signals, and for
 * the tasks a drained or repaired host took with it (its container instance id), `daemon:NAME` for managed daemons.
 */
function scopePart(verdict: Classification): string {
  // A managed daemon runs on every instance: its problems are one story per daemon, across instances.
  if (verdict.daemon?.daemonName !== undefined && verdict.daemon.daemonName !== null) return `daemon:${verdict.daemon.daemonName}`;
  // A host that ECS drained or repaired takes all its tasks with it: one story per host and cause, naming the tasks.
  if (isHostLoss(verdict.category)) {
    const host = lastSegment(verdict.containerInstanceArn);
    if (host !== null) return `instance:${host}`;
  }
  if (verdict.service !== null) return `service:${verdict.service}`;
  const family = taskFamilyOf(verdict);
  if (family !== null) return `family:${family}`;
  const instance = verdict.ec2InstanceId ?? lastSegment(verdict.containerInstanceArn);
  if (instance !== null) return `instance:${instance}`;
  const task = lastSegment(verdict.taskArn);
  return task === null ? UNKNOWN : `task:${task}`;
}

/**
 * The scope an alert belongs to: `account|region|cluster|service:NAME` (or family, instance). A service reaching
 * steady state or completing a deployment resolves every firing alert of its scope.
 */
export function alertScope(verdict: Classification): string {
  return [verdict.account ?? UNKNOWN, verdict.region ?? UNKNOWN, verdict.cluster ?? UNKNOWN, scopePart(verdict)].join('|');
}

/**
 * The deterministic key of an alert group: its scope and category. Built only from fixed parts, never from text,
 * so the same problem always lands in the same group.
 *
 * @example alertKey(verdict) // '111122223333|us-west-2|prod|service:orders-api|oom'
 */
export function alertKey(verdict: Classification): string {
  return `${alertScope(verdict)}|${verdict.category}`;
}

/**
 * The scope of a key: all but its last part (the category, which never contains `|`). Throws on a string that is
 * not a key, rather than answer a wrong scope.
 *
 * @example scopeOfKey('111122223333|us-west-2|prod|service:orders-api|oom') // '111122223333|us-west-2|prod|service:orders-api'
 */
export function scopeOfKey(key: string): string {
  const cut = key.lastIndexOf('|');
  if (cut <= 0) throw new RangeError(`"${key}" is not an alert key: it has no "|category" part`);
  return key.slice(0, cut);
}
