import type { Alert } from '../alerts/alert.ts';
import { inert } from '../render/text.ts';
import type { Paint } from './terminal-text.ts';

const LABEL_WIDTH = 11;

const KIND_WORDS: Record<Alert['kind'], string> = {
  new: 'new alert',
  'follow-up': 'follow-up',
  repeat: 'still firing',
  resolved: 'resolved notice',
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
  const badge = alert.status === 'resolved' ? paint('info', 'RESOLVED') : paint(alert.severity, alert.severity.toUpperCase());
  const { facts, links, group } = alert;
  const ids = alert.kind === 'follow-up' || alert.kind === 'repeat' ? group.ids.map((id) => id.slice(0, 8)).join(', ') : null;
  return [
    `${badge}  ${paint('bold', inert(alert.title))}`,
    `  ${[KIND_WORDS[alert.kind], alert.time, alert.spot ? 'spot' : null, alert.enriched ? null : 'not enriched', inert(alert.key)].filter((part) => part !== null).join(' · ')}`,
    `  ${inert(alert.summary)}`,
    ...(alert.status === 'resolved' ? [] : [...row('Why', facts.cause), ...row('Do', facts.remedy)]),
    ...row('Tasks', ids),
    ...row('Reason', facts.reason),
    ...facts.containers.map((container) => {
      const exit = container.exitCode === null ? 'no exit code' : `exit ${container.exitCode}${container.exitMeaning === null ? '' : ` — ${container.exitMeaning}`}`;
      return row('Container', `${container.name}: ${exit}${container.reason === null ? '' : `; reason: ${container.reason}`}`)[0] ?? '';
    }),
    ...row('Task def', facts.taskDefinition),
    ...row('Service', links.service),
    ...row('Task', alert.kind === 'new' ? links.task : null),
    ...facts.containers.flatMap((container) => row('Logs', container.logsUrl === null ? null : `${container.name}: ${container.logsUrl}`)),
    ...row('Docs', links.docs),
    ...row('Source', source),
  ].join('\n');
}
