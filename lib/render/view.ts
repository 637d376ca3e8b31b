import type { Alert, DeploymentHookFacts, RollbackFacts } from '../alerts/alert.ts';
import { allTaskIds, bound, fact, formatTime, inert, plural, taskId, timeSpan } from './text.ts';

/**
 * What every channel shows of an alert, decided once: which facts are present, in which order, under which label,
 * and which links are safe to offer. Values are inert and bounded (see `fact`) but not yet escaped for a channel.
 */

export type FactKey =
  | 'account'
  | 'region'
  | 'cluster'
  | 'service'
  | 'task'
  | 'events'
  | 'tasks'
  | 'taskDefinition'
  | 'deployment'
  | 'containerInstance'
  | 'ec2Instance'
  | 'stopCode'
  | 'reason'
  | 'rollback'
  | 'hooks'
  | 'capacity'
  | 'time'
  | 'resolvedAt'
  | 'fired'
  | 'firing'
  | 'serviceTasks'
  | 'taskMemory'
  | 'owner'
  | 'runbook';

export interface FactView {
  key: FactKey;
  label: string;
  /** One line, or several for a list (the tasks of a follow-up). */
  lines: string[];
}

export interface ContainerView {
  name: string;
  /** `orders-api (essential)` */
  heading: string;
  /** `exit 137 — Killed for using more memory than its limit (OutOfMemoryError)` or `no exit code` */
  outcome: string;
  reason: string | null;
  /** It exited with an error or ECS gave a reason: its logs are worth a look. */
  failed: boolean;
  logsUrl: string | null;
  /** `…/orders-api:2025.03.12-3`, inert; null when the task definition was not looked up. */
  image: string | null;
  /** `limit 1536 MiB, reservation 1024 MiB`; null when neither is set or the task definition was not looked up. */
  memory: string | null;
  /** The last lines of its log stream, each inert and bounded; empty when there are none to show. */
  logLines: string[];
  /** `Last log lines not shown: <why>`, one line; null when lines are shown or logs were not looked at. */
  logsMissing: string | null;
}

export interface LinkView {
  kind: 'task' | 'service' | 'logs' | 'runbook' | 'instance' | 'cluster' | 'docs';
  label: string;
  url: string;
}

/** Container names in link labels are cut to this, so a label stays short enough for a button. */
const MAX_NAME_IN_LABEL = 60;

/** A grouped alert lists at most this many task ids, then `+N more`. */
export const MAX_IDS_SHOWN = 10;

/** A log line in a message is cut to this (the lookup already cuts at 400). */
export const MAX_LOG_LINE = 400;

/** A resolved notice (or an alert told as over); a deployment notice is news of its own, shown by its severity. */
export function isResolved(alert: Alert): boolean {
  return alert.kind === 'resolved' || (alert.status === 'resolved' && alert.kind !== 'deployment');
}

/**
 * The title without the `Resolved:` the alert builder starts a resolved notice's title with, for renderers that say
 * it their own way (`[RESOLVED]`, `✅ Resolved:`). Other titles are left as they are (`Still firing: …` included).
 */
export function bareTitle(alert: Alert): string {
  return isResolved(alert) ? alert.title.replace(/^\s*resolved\s*:\s*/iu, '') : alert.title;
}

/** `CRITICAL`, `WARNING`, `INFO`, or `RESOLVED` for a resolved notice. */
export function statusWord(alert: Alert): string {
  return isResolved(alert) ? 'RESOLVED' : alert.severity.toUpperCase();
}

/** Whether the message stands for several events (a follow-up, or a repeat that folded some in). */
export function isGrouped(alert: Alert): boolean {
  return alert.group.count > 1 || alert.kind === 'follow-up';
}

/** The facts that are present, in the order people read them; absent facts have no row. */
export function factViews(alert: Alert): FactView[] {
  const { facts, group } = alert;
  const rows: FactView[] = [];
  const add = (key: FactKey, label: string, value: string | null): void => {
    if (value === null) return;
    const line = fact(value);
    if (line !== '') rows.push({ key, label, lines: [line] });
  };

  add('account', 'Account', facts.account);
  add('region', 'Region', facts.region);
  add('cluster', 'Cluster', facts.cluster);
  add('service', 'Service', facts.service);
  // A resolved notice says when the group fired (below) instead of listing what it folded in.
  if (isGrouped(alert) && !isResolved(alert)) {
    add('events', 'Events', `${group.count} ${timeSpan(group.firstTime, group.lastTime)} (grouped over ${plural(group.windowMinutes, 'minute')})`);
    const lines = idLines(group.ids, group.count);
    if (lines.length > 0) rows.push({ key: 'tasks', label: allTaskIds(group.ids) ? 'Tasks' : 'Resources', lines });
  } else if (!isGrouped(alert) && facts.taskArn !== null) {
    add('task', 'Task', taskId(facts.taskArn));
  }
  add('taskDefinition', 'Task definition', facts.taskDefinition);
  add('deployment', 'Deployment', facts.deploymentId);
  add('containerInstance', 'Container instance', facts.containerInstanceArn);
  add('ec2Instance', 'EC2 instance', facts.ec2InstanceId);
  add('stopCode', 'Stop code', facts.stopCode);
  add('reason', 'Reason', facts.reason);
  // The API's view of the moment the alert fired; a resolved notice says how it ended instead.
  const rollback = facts.rollback;
  if (rollback !== undefined && !isResolved(alert)) {
    if (rollback === null) add('rollback', 'Rollback', ROLLBACK_NOT_KNOWN);
    else {
      add('rollback', isRollback(rollback) ? 'Rollback' : 'Deployment status', rollbackLine(rollback));
      const hooks = rollback.hooks.map(hookLine).filter((line) => line !== '');
      if (hooks.length > 0) rows.push({ key: 'hooks', label: 'Hooks', lines: hooks });
    }
  }
  const counts = facts.serviceCounts ?? null;
  if (counts !== null) add('serviceTasks', 'Service tasks', `${counts.running} running of ${counts.desired} desired, ${counts.pending} pending`);
  const taskMemory = facts.taskMemoryMiB ?? null;
  if (taskMemory !== null) add('taskMemory', 'Task memory', `${taskMemory} MiB`);
  add('owner', 'Owner', facts.owner ?? null);
  // A runbook that is a link is offered among the links; anything else is shown here, as inert text.
  const runbook = facts.runbook ?? null;
  if (runbook !== null && runbookUrl(runbook) === null) add('runbook', 'Runbook', runbook);
  if (alert.spot) add('capacity', 'Capacity', 'Spot');
  if (isResolved(alert)) {
    add('resolvedAt', 'Resolved at', formatTime(alert.time));
    add('fired', 'First fired', `${formatTime(group.firstTime)} (${plural(group.count, 'event')} in all)`);
  } else if (!isGrouped(alert)) {
    add('time', 'Time', formatTime(alert.time));
  }
  const firing = alert.firing;
  if (firing !== undefined && !isResolved(alert)) add('firing', 'Firing since', firingLine(firing));
  return rows;
}

/** The line of a deployment alert whose DescribeServiceDeployments lookup did not answer. */
export const ROLLBACK_NOT_KNOWN = 'rollback status not known: DescribeServiceDeployments did not answer';

function isRollback(rollback: RollbackFacts): boolean {
  return rollback.status.startsWith('ROLLBACK_') || rollback.reason !== null;
}

/** `ROLLBACK_IN_PROGRESS (started 2025-09-16 10:04:30 UTC): The circuit breaker initiated the rollback operation.` */
function rollbackLine(rollback: RollbackFacts): string {
  const started = rollback.startedAt === null ? '' : ` (started ${formatTime(rollback.startedAt)})`;
  const stage = rollback.stage === null ? '' : ` at stage ${rollback.stage}`;
  const why = rollback.reason ?? rollback.statusReason;
  return `${rollback.status}${started}${stage}${why === null || why.trim() === '' ? '' : `: ${why}`}`;
}

/** `PAUSE hook ecs-pause-Xk7r…: AWAITING_ACTION, times out 2026-05-06 16:03:00 UTC (then ROLLBACK)`, inert and bounded. */
function hookLine(hook: DeploymentHookFacts): string {
  const what = `${hook.targetType ?? 'lifecycle'} hook${hook.hookId === null ? '' : ` ${hook.hookId}`}${hook.targetArn === null ? '' : ` (${hook.targetArn})`}`;
  const waiting = hook.status === 'AWAITING_ACTION' && hook.expiresAt !== null ? `, times out ${formatTime(hook.expiresAt)}${hook.timeoutAction === null ? '' : ` (then ${hook.timeoutAction})`}` : '';
  return fact(`${what}: ${hook.status ?? 'status not given'}${waiting}`);
}

/** `2026-12-06 09:26:51 UTC (7 events so far)`. */
export function firingLine(firing: { since: string; events: number }): string {
  return `${formatTime(firing.since)} (${plural(firing.events, 'event')} so far)`;
}

/**
 * The ids of a group, at most MAX_IDS_SHOWN, then `+N more` for the others the group counted (N never negative:
 * a group may count fewer events than it names ids when several events name one task).
 */
export function idLines(ids: readonly string[], count: number): string[] {
  const shown = ids.map(fact).filter((id) => id !== '').slice(0, MAX_IDS_SHOWN);
  if (shown.length === 0) return [];
  const more = Math.max(0, count - shown.length, ids.length - shown.length);
  return more > 0 ? [...shown, `+${more} more`] : shown;
}

/** The runbook as a link: only an http or https URL without spaces or link-breaking characters; null otherwise. */
export function runbookUrl(runbook: string): string | null {
  const url = runbook.trim();
  if (!/^https?:\/\/[^\s<>|"'`\\]+$/iu.test(url) || inert(url) !== url) return null;
  return url;
}

function memoryLine(memory: { limitMiB: number | null; reservationMiB: number | null } | null | undefined): string | null {
  if (memory === null || memory === undefined) return null;
  const parts = [memory.limitMiB === null ? null : `limit ${memory.limitMiB} MiB`, memory.reservationMiB === null ? null : `reservation ${memory.reservationMiB} MiB`];
  const line = parts.filter((part) => part !== null).join(', ');
  return line === '' ? null : line;
}

export function containerViews(alert: Alert): ContainerView[] {
  return alert.facts.containers.map((container) => {
    const name = fact(container.name) || '(unnamed)';
    const role = container.essential === null ? '' : container.essential ? ' (essential)' : ' (non-essential)';
    const meaning = container.exitMeaning === null ? '' : fact(container.exitMeaning);
    const outcome = container.exitCode === null ? 'no exit code' : `exit ${container.exitCode}${meaning === '' ? '' : ` — ${meaning}`}`;
    const reason = container.reason === null ? '' : fact(container.reason);
    return {
      name,
      heading: `${name}${role}`,
      outcome,
      reason: reason === '' ? null : reason,
      failed: (container.exitCode !== null && container.exitCode !== 0) || reason !== '',
      logsUrl: safeUrl(container.logsUrl),
      image: container.image === null || container.image === undefined ? null : fact(container.image) || null,
      memory: memoryLine(container.memory),
      logLines: (container.logTail?.lines ?? []).map((line) => bound(inert(line), MAX_LOG_LINE)),
      logsMissing: container.logTail?.missing === null || container.logTail?.missing === undefined ? null : `Last log lines not shown: ${fact(container.logTail.missing)}`,
    };
  });
}

/** Task, service, each container's logs, docs: only the links that exist and are plain https URLs. */
export function linkViews(alert: Alert): LinkView[] {
  const links: LinkView[] = [];
  const task = safeUrl(alert.links.task);
  if (task !== null) links.push({ kind: 'task', label: 'Task', url: task });
  const service = safeUrl(alert.links.service);
  if (service !== null) links.push({ kind: 'service', label: 'Service', url: service });
  for (const container of containerViews(alert)) {
    if (container.logsUrl !== null) {
      links.push({ kind: 'logs', label: `Logs (${bound(container.name, MAX_NAME_IN_LABEL)})`, url: container.logsUrl });
    }
  }
  const runbook = alert.facts.runbook === null || alert.facts.runbook === undefined ? null : runbookUrl(alert.facts.runbook);
  if (runbook !== null) links.push({ kind: 'runbook', label: 'Runbook', url: runbook });
  const instance = safeUrl(alert.links.ec2Instance ?? null);
  if (instance !== null) links.push({ kind: 'instance', label: 'EC2 instance', url: instance });
  const cluster = safeUrl(alert.links.cluster ?? null);
  if (cluster !== null) links.push({ kind: 'cluster', label: 'Cluster', url: cluster });
  const docs = safeUrl(alert.links.docs);
  if (docs !== null) links.push({ kind: 'docs', label: 'Docs', url: docs });
  return links;
}

/**
 * Links are built by us from ARNs, but the names in them come from events: offer only `https://` URLs without
 * spaces, control characters or the characters that end a link in Slack or Markdown (`<`, `>`, `|`, quotes).
 */
export function safeUrl(url: string | null): string | null {
  if (url === null) return null;
  if (!/^https:\/\/[^\s<>|"'`\\]+$/u.test(url)) return null;
  return inert(url) === url ? url : null;
}
