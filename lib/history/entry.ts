import { CATEGORIES, type Category } from '../classify/categories.ts';
import type { Classification, Severity } from '../classify/verdict.ts';
import { lastSegment } from '../events/arn.ts';
import { isRecord } from '../events/schema.ts';
import { bound } from '../render/text.ts';

/** One container of a stopped task, as the history keeps it. */
export interface StoppedContainer {
  name: string;
  exitCode: number | null;
  /** The container's own reason (`OutOfMemoryError: …`), at most MAX_CONTAINER_REASON_LENGTH long; null when none. */
  reason: string | null;
}

/**
 * A stopped task as the history keeps it, long after ECS has forgotten it (about an hour after it stopped:
 * aws/containers-roadmap#1246, #677). Text is kept as the event gave it, only bounded: each output escapes it its own way.
 */
export interface StoppedTaskEntry {
  /** The event's time, as an ISO 8601 string in UTC with milliseconds (`2025-03-14T09:26:51.000Z`), so entries sort as text. */
  time: string;
  account: string | null;
  region: string | null;
  cluster: string;
  /** Null for a standalone task (RunTask, a scheduled rule). */
  service: string | null;
  /** `service:NAME` or `family:NAME`. */
  group: string | null;
  taskArn: string;
  /** `family:revision` of the task definition, null when the event does not name it. */
  taskDefinition: string | null;
  category: Category;
  severity: Severity;
  stopCode: string | null;
  /** The stopped reason, at most MAX_REASON_LENGTH long. */
  reason: string | null;
  /** At most MAX_CONTAINERS containers, in the event's order. */
  containers: StoppedContainer[];
  deploymentId: string | null;
  spot: boolean;
  startedBy: string | null;
}

/** Longest stopped reason kept; ECS's own reasons are far shorter, so only broken or hostile input is cut. */
export const MAX_REASON_LENGTH = 1000;
export const MAX_CONTAINER_REASON_LENGTH = 500;
/** A container name is at most 255 characters (ECS `ContainerDefinition.name`). */
export const MAX_CONTAINER_NAME_LENGTH = 255;
/**
 * Containers kept per task: 10 is ECS's quota of containers per task definition
 * (https://docs.aws.amazon.com/general/latest/gr/ecs-service.html), so only a malformed event has more, and an
 * entry stays a few kilobytes, far below DynamoDB's 400 KB item limit.
 */
export const MAX_CONTAINERS = 10;

function bounded(text: string | null, max: number): string | null {
  return text === null ? null : bound(text, max);
}

/** The ISO form entries are keyed and compared by, or null when `time` is not a date. */
export function isoTime(time: string | null | undefined): string | null {
  if (time === null || time === undefined || time.trim() === '') return null;
  const at = Date.parse(time);
  return Number.isNaN(at) ? null : new Date(at).toISOString();
}

/**
 * What the history keeps of a verdict: an entry for a task that stopped (`lastStatus: STOPPED`), null for anything
 * else (a running task, a service action, a deployment) and for a stop it could not file (no task ARN, no cluster,
 * no time).
 *
 * @example stoppedTaskEntry(classify(parseEvent(oomEvent)).verdict) // { category: 'oom', taskDefinition: 'web:42', … }
 */
export function stoppedTaskEntry(verdict: Classification): StoppedTaskEntry | null {
  if (verdict.status !== 'STOPPED' || verdict.taskArn === null || verdict.cluster === null) return null;
  const time = isoTime(verdict.time);
  if (time === null) return null;
  return {
    time,
    account: verdict.account,
    region: verdict.region,
    cluster: verdict.cluster,
    service: verdict.service,
    group: verdict.group,
    taskArn: verdict.taskArn,
    // `arn:aws:ecs:us-west-2:111122223333:task-definition/web:42`: the last path segment is `web:42`.
    taskDefinition: lastSegment(verdict.taskDefinitionArn),
    category: verdict.category,
    severity: verdict.severity,
    stopCode: verdict.stopCode,
    reason: bounded(verdict.reason, MAX_REASON_LENGTH),
    containers: verdict.containers.slice(0, MAX_CONTAINERS).map((container) => ({
      name: bound(container.name, MAX_CONTAINER_NAME_LENGTH),
      exitCode: container.exitCode,
      reason: bounded(container.reason, MAX_CONTAINER_REASON_LENGTH),
    })),
    deploymentId: verdict.deploymentId,
    spot: verdict.spot,
    startedBy: verdict.startedBy,
  };
}

const CATEGORY_SET: ReadonlySet<string> = new Set(CATEGORIES);
const SEVERITIES: ReadonlySet<string> = new Set(['critical', 'warning', 'info']);

function isCategory(value: unknown): value is Category {
  return typeof value === 'string' && CATEGORY_SET.has(value);
}

function isSeverity(value: unknown): value is Severity {
  return typeof value === 'string' && SEVERITIES.has(value);
}

/** The value when it is text or null; undefined (not readable) otherwise. */
function nullableText(value: unknown): string | null | undefined {
  return value === null || typeof value === 'string' ? value : undefined;
}

function readContainer(value: unknown): StoppedContainer | null {
  if (!isRecord(value)) return null;
  const { name, exitCode } = value;
  const reason = nullableText(value.reason);
  if (typeof name !== 'string' || reason === undefined || !(exitCode === null || typeof exitCode === 'number')) return null;
  return { name, exitCode, reason };
}

/**
 * An entry read back from storage, checked field by field (the store returns plain data, never trusted as typed);
 * null when something is missing or of the wrong type. Fields the entry does not have are dropped.
 */
export function readStoppedTaskEntry(value: unknown): StoppedTaskEntry | null {
  if (!isRecord(value)) return null;
  const { time, cluster, taskArn, category, severity, containers, spot } = value;
  if (typeof time !== 'string' || typeof cluster !== 'string' || typeof taskArn !== 'string' || typeof spot !== 'boolean') return null;
  if (!isCategory(category) || !isSeverity(severity) || !Array.isArray(containers)) return null;
  const account = nullableText(value.account);
  const region = nullableText(value.region);
  const service = nullableText(value.service);
  const group = nullableText(value.group);
  const taskDefinition = nullableText(value.taskDefinition);
  const stopCode = nullableText(value.stopCode);
  const reason = nullableText(value.reason);
  const deploymentId = nullableText(value.deploymentId);
  const startedBy = nullableText(value.startedBy);
  if (account === undefined || region === undefined || service === undefined || group === undefined || taskDefinition === undefined) return null;
  if (stopCode === undefined || reason === undefined || deploymentId === undefined || startedBy === undefined) return null;
  const read: StoppedContainer[] = [];
  for (const container of containers) {
    const entry = readContainer(container);
    if (entry === null) return null;
    read.push(entry);
  }
  return { time, account, region, cluster, service, group, taskArn, taskDefinition, category, severity, stopCode, reason, containers: read, deploymentId, spot, startedBy };
}
