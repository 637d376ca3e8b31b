import { createHash } from 'node:crypto';
import type { Classification } from '../classify/verdict.ts';
import { lastSegment, taskDefinitionRef } from '../events/arn.ts';
import { MAX_GROUP_IDS, MAX_TITLE_LENGTH, type Alert, type AlertContainer, type AlertKind } from './alert.ts';
import { alertKey, taskFamilyOf } from './key.ts';
import { CATEGORY_LABELS } from './labels.ts';
import { logStreamUrl, serviceConsoleUrl, taskConsoleUrl } from './links.ts';

/** What alerting needs of a task definition: which containers are essential and where each one logs. */
export interface TaskDefinitionFacts {
  containers: { name: string; essential: boolean; awslogs: { group: string; region: string | null; streamPrefix: string | null } | null }[];
}

export interface BuildOptions {
  /** The id of the event the alert comes from (null when the event has none); part of the alert's id. */
  eventId: string | null;
  /** The task's definition, when it was looked up; null when there is none to look up or the lookup failed. */
  taskDefinition: TaskDefinitionFacts | null;
  /** False when a lookup that adds facts failed: the alert goes out without them, and says so. */
  enriched: boolean;
  windowMinutes: number;
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
export function subjectOf(alert: Pick<Alert, 'facts'>): string {
  const { facts } = alert;
  const where = facts.cluster === null ? '' : ` (${facts.cluster})`;
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

function containersOf(verdict: Classification, taskDefinition: TaskDefinitionFacts | null): AlertContainer[] {
  return verdict.containers.map((container) => {
    const defined = taskDefinition?.containers.find((candidate) => candidate.name === container.name);
    const failed = container.reason !== null || (container.exitCode !== null && container.exitCode !== 0 && container.exitCode !== 143);
    const logs = defined?.awslogs ?? null;
    const logsRegion = logs?.region ?? verdict.region;
    return {
      name: container.name,
      essential: container.essential ?? defined?.essential ?? null,
      exitCode: container.exitCode,
      exitMeaning: container.exitMeaning,
      reason: container.reason,
      logsUrl: failed && logs !== null && logsRegion !== null ? logStreamUrl(logsRegion, logs.group, logs.streamPrefix, container.name, verdict.taskArn) : null,
    };
  });
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
  const facts = {
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
    containers: containersOf(verdict, options.taskDefinition),
  };
  const subject = subjectOf({ facts });
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
    },
    group: { count: 1, ids: id === null ? [] : [id], firstTime: time, lastTime: time, windowMinutes: options.windowMinutes },
    enriched: options.enriched,
  };
}

/** Adds an id to a bounded list of ids, once. */
export function withId(ids: readonly string[], id: string | null): string[] {
  if (id === null || ids.includes(id) || ids.length >= MAX_GROUP_IDS) return [...ids];
  return [...ids, id];
}
