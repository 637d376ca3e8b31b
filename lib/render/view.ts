import { MAX_GROUP_IDS, type Alert } from '../alerts/alert.ts';
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
  | 'capacity'
  | 'time'
  | 'resolvedAt'
  | 'fired';

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
}

export interface LinkView {
  kind: 'task' | 'service' | 'logs' | 'docs';
  label: string;
  url: string;
}

/** Container names in link labels are cut to this, so a label stays short enough for a button. */
const MAX_NAME_IN_LABEL = 60;

export function isResolved(alert: Alert): boolean {
  return alert.status === 'resolved' || alert.kind === 'resolved';
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
    const ids = group.ids.map(fact).filter((id) => id !== '');
    if (ids.length > 0) {
      if (group.count > ids.length && ids.length >= MAX_GROUP_IDS) ids.push(`(only the first ${ids.length} are listed)`);
      rows.push({ key: 'tasks', label: allTaskIds(group.ids) ? 'Tasks' : 'Resources', lines: ids });
    }
  } else if (!isGrouped(alert) && facts.taskArn !== null) {
    add('task', 'Task', taskId(facts.taskArn));
  }
  add('taskDefinition', 'Task definition', facts.taskDefinition);
  add('deployment', 'Deployment', facts.deploymentId);
  add('containerInstance', 'Container instance', facts.containerInstanceArn);
  add('ec2Instance', 'EC2 instance', facts.ec2InstanceId);
  add('stopCode', 'Stop code', facts.stopCode);
  add('reason', 'Reason', facts.reason);
  if (alert.spot) add('capacity', 'Capacity', 'Spot');
  if (isResolved(alert)) {
    add('resolvedAt', 'Resolved at', formatTime(alert.time));
    add('fired', 'First fired', `${formatTime(group.firstTime)} (${plural(group.count, 'event')} in all)`);
  } else if (!isGrouped(alert)) {
    add('time', 'Time', formatTime(alert.time));
  }
  return rows;
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
