import type { Alert, AlertContainer } from '../alerts/alert.ts';
import { inert } from '../render/text.ts';
import { isResolved } from '../render/view.ts';
import type { Paint } from './terminal-text.ts';

const LABEL_WIDTH = 11;

/** Log lines shown per container in the terminal. */
const TERMINAL_LOG_LINES = 5;

function memoryWords(memory: AlertContainer['memory']): string | null {
  if (memory === undefined || memory === null) return null;
  const parts = [memory.limitMiB === null ? null : `limit ${memory.limitMiB} MiB`, memory.reservationMiB === null ? null : `reservation ${memory.reservationMiB} MiB`].filter((part) => part !== null);
  return parts.length === 0 ? null : parts.join(', ');
}

const KIND_WORDS: Record<Alert['kind'], string> = {
  new: 'new alert',
  'follow-up': 'follow-up',
  repeat: 'still firing',
  resolved: 'resolved notice',
  deployment: 'deployment notice',
};

/**
 * The block a person reads for one message that would go out: severity (or RESOLVED), title, what kind of message,
 * then what happened, why, what to do, the facts and the links; `source` names the input event that caused it.
 *
 * @example
 * WARNING  Out of memory – service orders-api (prod)
 *   new alert · 2025-06-02T14:03:12Z · 111122223333|us-west-2|prod|service:orders-api|oom
 *   Task f838fc08 of service orders-api (prod) stopped (EssentialContainerExited). The container used …
 */
export function renderAlert(alert: Alert, paint: Paint, source: string | null = null): string {
  const row = (label: string, value: string | null): string[] =>
    value === null || value === '' ? [] : [`  ${paint('label', label.padEnd(LABEL_WIDTH))}${inert(value)}`];
  const badge = isResolved(alert) ? paint('info', 'RESOLVED') : paint(alert.severity, alert.severity.toUpperCase());
  const { facts, links, group } = alert;
  const ids = alert.kind === 'follow-up' || alert.kind === 'repeat' ? group.ids.map((id) => id.slice(0, 8)).join(', ') : null;
  return [
    `${badge}  ${paint('bold', inert(alert.title))}`,
    `  ${[KIND_WORDS[alert.kind], alert.time, alert.spot ? 'spot' : null, alert.enriched ? null : 'not enriched', inert(alert.key)].filter((part) => part !== null).join(' · ')}`,
    `  ${inert(alert.summary)}`,
    ...(isResolved(alert) || alert.kind === 'deployment' ? [] : [...row('Why', facts.cause), ...row('Do', facts.remedy)]),
    ...row('Tasks', ids),
    ...row('Reason', facts.reason),
    ...facts.containers.flatMap((container) => {
      const exit = container.exitCode === null ? 'no exit code' : `exit ${container.exitCode}${container.exitMeaning === null ? '' : ` — ${container.exitMeaning}`}`;
      const memory = memoryWords(container.memory);
      return [
        ...row('Container', `${container.name}: ${exit}${container.reason === null ? '' : `; reason: ${container.reason}`}`),
        ...row('Image', container.image === undefined || container.image === null ? null : `${container.name}: ${container.image}`),
        ...row('Memory', memory === null ? null : `${container.name}: ${memory}`),
        // The terminal shows the newest few lines; the messages carry them all (up to 20 lines, 2 KB).
        ...row('Log', (container.logTail?.lines.length ?? 0) > TERMINAL_LOG_LINES ? `${container.name}: … ${(container.logTail?.lines.length ?? 0) - TERMINAL_LOG_LINES} earlier lines in the message` : null),
        ...(container.logTail?.lines ?? []).slice(-TERMINAL_LOG_LINES).flatMap((line) => row('Log', `${container.name} | ${line}`)),
        ...row('Log', container.logTail?.missing === null || container.logTail?.missing === undefined ? null : `${container.name}: last log lines not shown: ${container.logTail.missing}`),
      ];
    }),
    ...row('Task def', facts.taskDefinition),
    ...row('Task mem', facts.taskMemoryMiB === undefined || facts.taskMemoryMiB === null ? null : `${facts.taskMemoryMiB} MiB`),
    ...row('Counts', facts.serviceCounts === undefined || facts.serviceCounts === null ? null : `${facts.serviceCounts.running} running of ${facts.serviceCounts.desired} desired, ${facts.serviceCounts.pending} pending`),
    // The terminal says it once the group stands for more than the message's own event (the messages always say it).
    ...row('Firing', alert.firing === undefined || isResolved(alert) || alert.firing.events <= 1 ? null : `since ${alert.firing.since} (${alert.firing.events} events so far)`),
    ...row('Owner', facts.owner ?? null),
    ...row('Runbook', facts.runbook ?? null),
    ...row('Service', links.service),
    ...row('Task', alert.kind === 'new' ? links.task : null),
    ...facts.containers.flatMap((container) => row('Logs', container.logsUrl === null ? null : `${container.name}: ${container.logsUrl}`)),
    ...row('Instance', links.ec2Instance ?? null),
    ...row('Cluster', links.cluster ?? null),
    ...row('Docs', links.docs),
    ...row('Source', source),
  ].join('\n');
}
