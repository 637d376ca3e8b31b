import { CATEGORIES } from '../classify/categories.ts';
import type { Classification, ContainerVerdict } from '../classify/verdict.ts';
import { lastSegment } from '../events/arn.ts';
import type { ReplayResult } from './replay.ts';
import type { Tally } from './tally.ts';
import { inert } from '../render/text.ts';
import type { Paint } from './terminal-text.ts';

type VerdictResult = Extract<ReplayResult, { kind: 'verdict' }>;

const LABEL_WIDTH = 11;

/** Who the event is about, most specific last: `cluster prod · service api · task 0a1b2c3d…`. */
function subjectOf(verdict: Classification): string {
  const parts: string[] = [];
  if (verdict.cluster !== null) parts.push(`cluster ${verdict.cluster}`);
  if (verdict.service !== null) parts.push(`service ${verdict.service}`);
  if (verdict.deploymentId !== null) parts.push(`deployment ${verdict.deploymentId}`);
  const task = lastSegment(verdict.taskArn);
  if (task !== null) parts.push(`task ${task}`);
  const instance = verdict.ec2InstanceId ?? lastSegment(verdict.containerInstanceArn);
  if (instance !== null) parts.push(`instance ${instance}`);
  const where = [verdict.account, verdict.region].filter((part) => part !== null).join(' ');
  if (where !== '') parts.push(where);
  return parts.join(' · ');
}

function containerLine(container: ContainerVerdict): string {
  const role = container.essential === false ? ' (non-essential)' : '';
  const exit = container.exitCode === null ? 'no exit code' : `exit ${container.exitCode}${container.exitMeaning === null ? '' : ` — ${container.exitMeaning}`}`;
  const reason = container.reason === null ? '' : `; reason: ${container.reason}`;
  return `${container.name}${role}: ${exit}${reason}`;
}

function eventLine(result: VerdictResult): string {
  const { status, stopCode } = result.evaluated.verdict;
  return [result.evaluated.envelope.detailType, status, stopCode === null ? null : `stop code ${stopCode}`].filter((part) => part !== null).join(', ');
}

/**
 * The block a person reads for one event: severity and category, who is affected, why, what to do, then the facts.
 *
 * @example
 * WARNING  oom  2025-03-14T09:26:53Z
 *   cluster prod · service api · task 0a1b2c3d… · 111122223333 us-west-2
 *   Why        The container used more memory than its hard limit …
 *   Do         Raise the container or task memory …
 */
export function renderVerdict(result: VerdictResult, paint: Paint): string {
  const { verdict } = result.evaluated;
  const row = (label: string, value: string | null): string[] =>
    value === null || value === '' ? [] : [`  ${paint('label', label.padEnd(LABEL_WIDTH))}${inert(value)}`];
  const heading = [paint(verdict.severity, verdict.severity.toUpperCase()), paint('bold', verdict.category), verdict.spot ? 'spot' : null, verdict.time]
    .filter((part) => part !== null)
    .join('  ');
  const subject = subjectOf(verdict);
  return [
    heading,
    ...(subject === '' ? [] : [`  ${inert(subject)}`]),
    ...row('Why', verdict.cause),
    ...row('Do', verdict.remedy),
    ...row('Event', eventLine(result)),
    ...row('Reason', verdict.reason),
    ...verdict.containers.flatMap((container) => row('Container', containerLine(container))),
    ...row('Task def', lastSegment(verdict.taskDefinitionArn)),
    ...row('Docs', verdict.docsUrl),
    ...verdict.warnings.flatMap((warning) => row('Note', warning)),
    ...row('Source', result.origin),
  ].join('\n');
}

export function renderError(result: Extract<ReplayResult, { kind: 'error' }>, paint: Paint): string {
  return `${paint('critical', 'ERROR')}  ${inert(result.file)}: ${inert(result.error)}`;
}

function plural(count: number, word: string): string {
  return `${count} ${word}${count === 1 ? '' : 's'}`;
}

/** The closing summary: totals, then a table of categories by severity in the order of the vocabulary. */
export function renderSummary(tally: Tally, paint: Paint): string {
  const { critical, warning, info } = tally.bySeverity;
  const byKind = tally.messagesByKind;
  // The events' severities (first line) are not the messages': one critical crash-loop alert stands for warning events.
  const sent = tally.messagesBySeverity;
  const suppressed = ['duplicate', 'stale', 'info', 'repeat-interval', 'late'].map((why) => `${tally.outcome(`suppressed:${why}`)} ${why}`).join(', ');
  const totals = [
    `Replayed ${plural(tally.events, 'event')} from ${plural(tally.files.size, 'file')}: ` +
      `${critical} critical, ${warning} warning, ${info} info, ${plural(tally.errors, 'error')}.`,
    `Sent ${plural(tally.messages, 'message')} (${sent.critical} critical, ${sent.warning} warning, ${sent.info} info): ` +
      `${plural(byKind.new, 'new alert')}, ${plural(byKind['follow-up'], 'follow-up')}, ` +
      `${plural(byKind.repeat, 'repeat')}, ${byKind.resolved} resolved, ${plural(byKind.deployment, 'deployment notice')}. ` +
      `Events ${tally.outcome('grouped')} grouped, ${tally.outcome('resolved')} resolving, suppressed: ${suppressed}.`,
  ].join('\n');
  const rows = CATEGORIES.filter((category) => tally.byCategory.has(category)).map((category) => {
    const counts = tally.byCategory.get(category) ?? { critical: 0, warning: 0, info: 0 };
    return [category, counts.critical, counts.warning, counts.info] as const;
  });
  if (rows.length === 0) return totals;
  const width = Math.max('category'.length, ...rows.map(([category]) => category.length));
  const cell = (value: number | string, style: 'critical' | 'warning' | 'info'): string => {
    const text = String(value).padStart(9);
    return value === 0 ? paint('dim', text) : paint(style, text);
  };
  const header = paint('label', `${'category'.padEnd(width)}  ${'critical'.padStart(9)}${'warning'.padStart(9)}${'info'.padStart(9)}`);
  const lines = rows.map(([category, c, w, i]) => `${category.padEnd(width)}  ${cell(c, 'critical')}${cell(w, 'warning')}${cell(i, 'info')}`);
  const total = `${'total'.padEnd(width)}  ${cell(critical, 'critical')}${cell(warning, 'warning')}${cell(info, 'info')}`;
  return [totals, '', header, ...lines, paint('bold', total)].join('\n');
}
