import { lastSegment } from '../events/arn.ts';
import { bound, inert } from '../render/text.ts';
import type { StoppedTaskEntry } from './entry.ts';
import type { StoppedTaskQuery } from './query.ts';

/** The query as the command ran it: every time resolved, so the header can say which window it shows. */
export type ShownQuery = StoppedTaskQuery & { limit: number; now: string };

const NAME_WIDTH = 60;
const REASON_WIDTH = 200;

/** Untrusted text (from events) on one inert line, at most `max` long; `-` when there is none. */
function shown(text: string | null, max: number): string {
  const value = text === null ? '' : bound(inert(text).trim(), max);
  return value === '' ? '-' : value;
}

/** `2025-03-14 09:26:51` of an ISO time (UTC). */
function clock(time: string): string {
  return time.replace('T', ' ').replace(/(\.\d+)?Z$/, '');
}

/** `web=137 log-router=0`: the exit code of each container that has one. */
export function exitCodesCell(entry: StoppedTaskEntry): string {
  const codes = entry.containers.filter((container) => container.exitCode !== null).map((container) => `${shown(container.name, 40)}=${container.exitCode}`);
  return codes.length === 0 ? '-' : codes.join(' ');
}

/** The stopped reason, then each container's own reason (`web: OutOfMemoryError: …`); the stop code when there is neither. */
export function reasonCell(entry: StoppedTaskEntry): string {
  const parts = [entry.reason ?? '', ...entry.containers.filter((container) => (container.reason ?? '').trim() !== '').map((container) => `${container.name}: ${container.reason ?? ''}`)]
    .map((part) => inert(part).trim())
    .filter((part) => part !== '');
  return parts.length === 0 ? shown(entry.stopCode, REASON_WIDTH) : shown(parts.join(' · '), REASON_WIDTH);
}

function where(query: ShownQuery): string {
  const parts = [
    `cluster ${query.cluster}`,
    query.account === undefined ? null : `account ${query.account}`,
    query.region === undefined ? null : `Region ${query.region}`,
    query.service === undefined ? null : `service ${query.service}`,
    query.category === undefined ? null : `category ${query.category}`,
  ];
  return parts.filter((part) => part !== null).join(', ');
}

function window(query: ShownQuery): string {
  return `from ${clock(query.since)} to ${clock(query.until ?? query.now)} UTC`;
}

/**
 * What `npm run history` prints: a header naming the cluster, filters and time window, then one row per task (time,
 * service or task family, task id, category, exit codes, reason; the account and Region too when the tasks come from
 * more than one), and a note when more tasks matched than were shown. Text from events is made inert (no control
 * characters or line breaks can reach the terminal) and bounded.
 */
export function historyLines(entries: readonly StoppedTaskEntry[], query: ShownQuery, more: boolean): string[] {
  if (entries.length === 0) {
    return [`No stopped tasks of ${where(query)} ${window(query)}.`, 'The history keeps a task HISTORY_RETENTION_DAYS days (14 by default) after it stopped, from when the monitor was deployed.'];
  }
  const places = new Set(entries.map((entry) => `${entry.account ?? '-'} ${entry.region ?? '-'}`));
  const withPlace = places.size > 1;
  const header = ['TIME (UTC)', ...(withPlace ? ['ACCOUNT / REGION'] : []), 'SERVICE', 'TASK', 'CATEGORY', 'EXIT CODES', 'REASON'];
  const rows = entries.map((entry) => [
    clock(entry.time),
    ...(withPlace ? [`${shown(entry.account, 12)} / ${shown(entry.region, 30)}`] : []),
    shown(entry.service ?? entry.group, NAME_WIDTH),
    shown(lastSegment(entry.taskArn) ?? entry.taskArn, NAME_WIDTH),
    entry.category,
    exitCodesCell(entry),
    reasonCell(entry),
  ]);
  const widths = header.map((title, column) => Math.max(title.length, ...rows.map((row) => (row[column] ?? '').length)));
  const line = (cells: string[]): string => cells.map((cell, column) => (column === cells.length - 1 ? cell : cell.padEnd(widths[column] ?? 0))).join('  ');
  const count = `${entries.length} stopped task${entries.length === 1 ? '' : 's'}`;
  return [
    `${more ? `The newest ${count}` : count} of ${where(query)} ${window(query)}, newest first:`,
    '',
    line(header),
    ...rows.map(line),
    ...(more ? ['', `More tasks matched: --limit ${Math.min(query.limit * 2, 10_000)} shows more, --since narrows the window.`] : []),
  ];
}

// What JSON.stringify leaves raw but a terminal or a log viewer may act on: DEL and C1 controls (0x9B is CSI), the line
// and paragraph separators, and the bidirectional controls that reorder what is shown.
const UNSAFE_IN_JSON = /[\u007f-\u009f\u2028\u2029\u200e\u200f\u202a-\u202e\u2066-\u2069]/gu;

/** One entry as a line of JSON: every field, the text as stored, with every character a terminal could act on escaped. */
export function jsonLine(entry: StoppedTaskEntry): string {
  return JSON.stringify(entry).replace(UNSAFE_IN_JSON, (char) => `\\u${char.charCodeAt(0).toString(16).padStart(4, '0')}`);
}
