import { createHash } from 'node:crypto';
import type { Classification } from '../classify/verdict.ts';
import type { Category } from '../classify/categories.ts';
import { lastSegment, taskDefinitionRef } from '../events/arn.ts';
import { MAX_GROUP_IDS, MAX_TITLE_LENGTH, type Alert, type AlertContainer, type AlertKind, type ContainerLogTail } from './alert.ts';
import { alertKey, isHostLoss, taskFamilyOf } from './key.ts';
import { CATEGORY_LABELS } from './labels.ts';
import { clusterConsoleUrl, ec2InstanceConsoleUrl, logStreamUrl, serviceConsoleUrl, taskConsoleUrl } from './links.ts';

/** What alerting needs of a task definition: which containers are essential, where each one logs, images and memory. */
export interface TaskDefinitionFacts {
  /** The task-level memory in MiB; null when the task definition sets none. */
  memoryMiB?: number | null;
  tags?: readonly { key: string; value: string }[];
  containers: {
    name: string;
    essential: boolean;
    awslogs: { group: string; region: string | null; streamPrefix: string | null } | null;
    /** The log driver (`awsfirelens`, `json-file`, …), to say why there are no log lines; null without a log configuration. */
    logDriver?: string | null;
    image?: string | null;
    memoryMiB?: number | null;
    memoryReservationMiB?: number | null;
  }[];
}

/** What alerting reads of a service besides its task definition: its counts and tags. */
export interface ServiceFacts {
  runningCount: number;
  desiredCount: number;
  pendingCount: number;
  tags?: readonly { key: string; value: string }[];
}

/** The tag keys whose values are the runbook link and the owner (deploy parameters runbookTagKey, ownerTagKey). */
export interface TagKeys {
  runbook: string;
  owner: string;
}

export const DEFAULT_TAG_KEYS: TagKeys = { runbook: 'runbook', owner: 'owner' };

/** One awslogs stream worth reading for an alert: a failed container's. */
export interface LogStreamToRead {
  container: string;
  group: string;
  stream: string;
  region: string;
}

/** At most this many containers' logs are read for one alert (each read is a call within the alert's time). */
export const MAX_LOG_TAILS = 2;

export interface BuildOptions {
  /** The id of the event the alert comes from (null when the event has none); part of the alert's id. */
  eventId: string | null;
  /** The task's definition, when it was looked up; null when there is none to look up or the lookup failed. */
  taskDefinition: TaskDefinitionFacts | null;
  /** False when a lookup that adds facts failed: the alert goes out without them, and says so. */
  enriched: boolean;
  windowMinutes: number;
  /** The last log lines (or why not) of failed containers, by container name; absent when logs were not read. */
  logTails?: ReadonlyMap<string, ContainerLogTail>;
  /** The service's counts and tags when they were looked up; null or absent otherwise. */
  service?: ServiceFacts | null;
  tagKeys?: TagKeys;
}

/** A deterministic message id: the same decision on the same event always gives the same id. */
export function messageId(key: string, kind: AlertKind, time: string, eventId: string | null): string {
  return createHash('sha256').update([key, kind, time, eventId ?? ''].join('\n')).digest('hex').slice(0, 32);
}

/** Cuts a title to fit an email subject line, on a word boundary where one is near. */
export function fitTitle(title: string): string {
  const oneLine = title.replace(/\s+/g, ' ').trim();
  if (oneLine.length <= MAX_TITLE_LENGTH) return oneLine;
  const cut = oneLine.slice(0, MAX_TITLE_LENGTH - 1);
  const space = cut.lastIndexOf(' ');
  return `${space > MAX_TITLE_LENGTH * 0.6 ? cut.slice(0, space) : cut}…`;
}

/** Who an alert is about, in words: `service orders-api (prod)`. */
export function subjectOf(alert: Pick<Alert, 'facts'> & { category?: Category }): string {
  const { facts } = alert;
  const where = facts.cluster === null ? '' : ` (${facts.cluster})`;
  // The tasks a drained or repaired host took with it are that host's story, whatever their services. Its container
  // instance id is 32 hex digits: the first 8 name it, as for tasks, and leave the title room for the count.
  const host = alert.category !== undefined && isHostLoss(alert.category) ? lastSegment(facts.containerInstanceArn) : null;
  if (host !== null) return `container instance ${host.slice(0, 8)}${where}`;
  if (facts.daemon !== undefined) return `daemon ${facts.daemon}${where}`;
  if (facts.service !== null) return `service ${facts.service}${where}`;
  if (facts.taskFamily !== null) return `task ${facts.taskFamily}${where}`;
  const instance = facts.ec2InstanceId ?? lastSegment(facts.containerInstanceArn);
  if (instance !== null) return `instance ${instance}${where}`;
  return facts.cluster === null ? 'your account' : `cluster ${facts.cluster}`;
}

/** The short id people use for a task: the first 8 characters of its id, as the console shows it. */
export function shortTaskId(taskArn: string | null): string | null {
  return lastSegment(taskArn)?.slice(0, 8) ?? null;
}

/** The failure in a few words, from the container that failed: `OutOfMemoryError in container web`. */
export function shortCause(alert: Pick<Alert, 'facts' | 'category'>): string {
  const failed = alert.facts.containers.find((container) => container.reason !== null) ?? alert.facts.containers.find((container) => container.exitCode !== null && container.exitCode !== 0 && container.exitCode !== 143);
  if (failed !== undefined) {
    const what = failed.reason === null ? `exit ${failed.exitCode ?? '?'}` : (failed.reason.split(':')[0] ?? failed.reason).slice(0, 60);
    return `${what} in container ${failed.name}`;
  }
  const reason = alert.facts.reason?.replace(/\.+$/, '') ?? null;
  if (reason !== null && reason !== '') return reason.length > 80 ? `${reason.slice(0, 79)}…` : reason;
  return CATEGORY_LABELS[alert.category];
}

function isFailed(container: Classification['containers'][number]): boolean {
  return container.reason !== null || (container.exitCode !== null && container.exitCode !== 0 && container.exitCode !== 143);
}

/**
 * The awslogs streams to read for an alert: those of its failed containers whose task definition logs with awslogs
 * and a stream prefix (the stream is `<prefix>/<container>/<task id>`), at most MAX_LOG_TAILS of them.
 */
export function logStreamsToRead(verdict: Classification, taskDefinition: TaskDefinitionFacts | null): LogStreamToRead[] {
  const taskId = lastSegment(verdict.taskArn);
  if (taskDefinition === null || taskId === null) return [];
  return verdict.containers
    .filter(isFailed)
    .flatMap((container) => {
      const logs = taskDefinition.containers.find((candidate) => candidate.name === container.name)?.awslogs ?? null;
      const region = logs?.region ?? verdict.region;
      if (logs === null || region === null || logs.streamPrefix === null || logs.streamPrefix === '') return [];
      return [{ container: container.name, group: logs.group, stream: `${logs.streamPrefix}/${container.name}/${taskId}`, region }];
    })
    .slice(0, MAX_LOG_TAILS);
}

/** Why a failed container's last lines are not shown, from how its task definition says it logs; null when they are read. */
function noLogsReason(defined: TaskDefinitionFacts['containers'][number]): string | null {
  if (defined.awslogs !== null) return defined.awslogs.streamPrefix === null || defined.awslogs.streamPrefix === '' ? 'the awslogs driver has no stream prefix, so the stream name is not known' : null;
  const driver = defined.logDriver ?? null;
  if (driver === null) return 'the container has no log configuration';
  if (driver === 'awsfirelens') return 'the container logs through FireLens, not awslogs';
  return `the container logs with the ${driver} driver, not awslogs`;
}

function logTailOf(defined: TaskDefinitionFacts['containers'][number] | undefined, name: string, options: BuildOptions): ContainerLogTail | null {
  if (defined === undefined) return null;
  const reason = noLogsReason(defined);
  if (reason !== null) return { lines: [], cut: false, missing: reason };
  return options.logTails?.get(name) ?? null;
}

function containersOf(verdict: Classification, options: BuildOptions): AlertContainer[] {
  const { taskDefinition } = options;
  return verdict.containers.map((container) => {
    const defined = taskDefinition?.containers.find((candidate) => candidate.name === container.name);
    const failed = isFailed(container);
    const logs = defined?.awslogs ?? null;
    const logsRegion = logs?.region ?? verdict.region;
    const built: AlertContainer = {
      name: container.name,
      essential: container.essential ?? defined?.essential ?? null,
      exitCode: container.exitCode,
      exitMeaning: container.exitMeaning,
      reason: container.reason,
      logsUrl: failed && logs !== null && logsRegion !== null ? logStreamUrl(logsRegion, logs.group, logs.streamPrefix, container.name, verdict.taskArn) : null,
    };
    // The image of a failed container says which release failed (pull failures, deployments); its memory matters to an OOM.
    if (defined !== undefined && failed) {
      built.image = defined.image ?? null;
      const limitMiB = defined.memoryMiB ?? null;
      const reservationMiB = defined.memoryReservationMiB ?? null;
      if (verdict.category === 'oom') built.memory = limitMiB === null && reservationMiB === null ? null : { limitMiB, reservationMiB };
    }
    if (failed) {
      const tail = logTailOf(defined, container.name, options);
      if (tail !== null) built.logTail = tail;
    }
    return built;
  });
}

/** The tags of every source, a later source's value over an earlier one's; null when no source was looked up. */
function mergedTags(...sources: (readonly { key: string; value: string }[] | undefined)[]): Record<string, string> | null {
  if (sources.every((tags) => tags === undefined)) return null;
  const merged: Record<string, string> = {};
  for (const tags of sources) for (const tag of tags ?? []) if (!/^aws:/i.test(tag.key)) merged[tag.key] = tag.value;
  return merged;
}

/** The value of the first tag named `key`, the service's before the task definition's; null when neither has it. */
function tagValue(key: string, ...sources: (readonly { key: string; value: string }[] | undefined)[]): string | null {
  for (const tags of sources) {
    const found = tags?.find((tag) => tag.key === key && tag.value.trim() !== '');
    if (found !== undefined) return found.value.trim();
  }
  return null;
}

/** What happened, in one sentence: which task of what stopped and how, or the problem and whom it hits. */
function summaryOf(alert: Pick<Alert, 'facts' | 'category'>, verdict: Classification): string {
  const subject = subjectOf(alert);
  const task = shortTaskId(verdict.taskArn);
  if (task === null) return `${CATEGORY_LABELS[verdict.category]} for ${subject}.`;
  const how = shortCause(alert);
  if (verdict.category === 'spot_interruption_warning') return `Fargate Spot is taking back task ${task} of ${subject}: it got SIGTERM and stops in about two minutes.`;
  // A one-off task has no service to name: say what launched it (a schedule's rule, a pipeline), so on-call knows whose job failed.
  const launcher = verdict.service === null && verdict.startedBy !== null && !verdict.startedBy.startsWith('ecs-svc/') ? `, started by ${verdict.startedBy},` : '';
  if (verdict.status === 'STOPPED') return `Task ${task} of ${subject}${launcher} stopped${verdict.stopCode === null ? '' : ` (${verdict.stopCode})`}: ${how}.`;
  return `Task ${task} of ${subject} is ${verdict.status ?? 'changing state'}: ${how}.`;
}

/**
 * The first alert of a group, built from one verdict: title, summary, facts and links. Pure: the task definition
 * (for log links and essential flags) is looked up by the caller.
 *
 * @example buildAlert(verdict, { eventId: event.id, taskDefinition: null, enriched: true, windowMinutes: 5 }).title
 *   // 'Out of memory – service orders-api (prod)'
 */
export function buildAlert(verdict: Classification, options: BuildOptions): Alert {
  const key = alertKey(verdict);
  const time = verdict.time ?? new Date(0).toISOString();
  const ref = taskDefinitionRef(verdict.taskDefinitionArn);
  const facts: Alert['facts'] = {
    account: verdict.account,
    region: verdict.region,
    cluster: verdict.cluster,
    service: verdict.service,
    taskFamily: taskFamilyOf(verdict),
    taskArn: verdict.taskArn,
    taskDefinition: ref === null ? null : `${ref.family}${ref.revision === null ? '' : `:${ref.revision}`}`,
    containerInstanceArn: verdict.containerInstanceArn,
    ec2InstanceId: verdict.ec2InstanceId,
    deploymentId: verdict.deploymentId,
    status: verdict.status,
    stopCode: verdict.stopCode,
    reason: verdict.reason,
    cause: verdict.cause,
    remedy: verdict.remedy,
    containers: containersOf(verdict, options),
  };
  const service = options.service ?? null;
  if (service !== null) facts.serviceCounts = { running: service.runningCount, desired: service.desiredCount, pending: service.pendingCount };
  if (verdict.category === 'oom' && options.taskDefinition !== null && options.taskDefinition.memoryMiB !== undefined) facts.taskMemoryMiB = options.taskDefinition.memoryMiB;
  const keys = options.tagKeys ?? DEFAULT_TAG_KEYS;
  const runbook = tagValue(keys.runbook, service?.tags, options.taskDefinition?.tags);
  const owner = tagValue(keys.owner, service?.tags, options.taskDefinition?.tags);
  if (runbook !== null) facts.runbook = runbook;
  if (owner !== null) facts.owner = owner;
  const daemon = verdict.daemon?.daemonName ?? null;
  if (daemon !== null) facts.daemon = daemon;
  const tags = mergedTags(options.taskDefinition?.tags, service?.tags);
  if (tags !== null) facts.tags = tags;
  const subject = subjectOf({ facts, category: verdict.category });
  const summary = summaryOf({ facts, category: verdict.category }, verdict);
  const id = lastSegment(verdict.taskArn) ?? verdict.ec2InstanceId ?? lastSegment(verdict.containerInstanceArn);
  return {
    id: messageId(key, 'new', time, options.eventId),
    key,
    kind: 'new',
    status: 'firing',
    severity: verdict.severity,
    category: verdict.category,
    spot: verdict.spot,
    title: fitTitle(`${CATEGORY_LABELS[verdict.category]} – ${subject}`),
    summary,
    time,
    facts,
    links: {
      task: taskConsoleUrl(verdict.region, verdict.cluster, verdict.taskArn),
      service: serviceConsoleUrl(verdict.region, verdict.cluster, verdict.service),
      docs: verdict.docsUrl,
      ...instanceLinks(verdict),
    },
    group: { count: 1, ids: id === null ? [] : [id], firstTime: time, lastTime: time, windowMinutes: options.windowMinutes },
    enriched: options.enriched,
  };
}

/** Console links to the EC2 instance and the ECS cluster, for alerts about an instance or Spot capacity. */
function instanceLinks(verdict: Classification): Pick<Alert['links'], 'ec2Instance' | 'cluster'> {
  const aboutCapacity = verdict.spot || verdict.ec2InstanceId !== null || verdict.containerInstanceArn !== null;
  if (!aboutCapacity) return {};
  const links: Pick<Alert['links'], 'ec2Instance' | 'cluster'> = {};
  const instance = ec2InstanceConsoleUrl(verdict.region, verdict.ec2InstanceId);
  if (instance !== null) links.ec2Instance = instance;
  const cluster = clusterConsoleUrl(verdict.region, verdict.cluster);
  if (cluster !== null) links.cluster = cluster;
  return links;
}

/** Adds an id to a bounded list of ids, once. */
export function withId(ids: readonly string[], id: string | null): string[] {
  if (id === null || ids.includes(id) || ids.length >= MAX_GROUP_IDS) return [...ids];
  return [...ids, id];
}
