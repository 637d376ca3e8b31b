import type { AlertKind } from '../alerts/alert.ts';
import { bound } from '../render/text.ts';
import type { DeploymentOutcome, ServiceReport, ServiceSummary } from './service-report.ts';
import type { Paint, Style } from './terminal-text.ts';

/** The widest the table may be: a wide terminal shows it whole; the HTML report has every cell in full. */
export const TABLE_WIDTH = 160;

const GAP = '  ';
const NONE = '-';

const DEPLOYMENT_ORDER: readonly DeploymentOutcome[] = ['completed', 'rolled back', 'rolling back', 'failed', 'in progress'];
const KIND_ORDER: readonly AlertKind[] = ['new', 'follow-up', 'repeat', 'resolved', 'deployment'];

function plural(count: number, word: string): string {
  return `${count} ${word}${count === 1 ? '' : 's'}`;
}

function list(parts: readonly (string | null)[]): string {
  return parts.filter((part) => part !== null).join(', ');
}

/** Services worth a row: something alerted, was sent, or was deployed; the rest only had info events. */
export function isNotable(service: ServiceSummary): boolean {
  const messages = Object.values(service.messages).reduce((sum, count) => sum + count, 0);
  return service.bySeverity.critical + service.bySeverity.warning > 0 || service.deployments.length > 0 || messages > 0;
}

/** `22 (2 crit, 13 warn)`: all events read, and how many of them were critical or warning. */
export function eventsCell(service: ServiceSummary): string {
  const { critical, warning } = service.bySeverity;
  const alerting = list([critical > 0 ? `${critical} crit` : null, warning > 0 ? `${warning} warn` : null]);
  return alerting === '' ? String(service.events) : `${service.events} (${alerting})`;
}

/** `2: 1 completed, 1 rolled back` */
export function deploymentsCell(service: ServiceSummary): string {
  if (service.deployments.length === 0) return NONE;
  const counts = DEPLOYMENT_ORDER.map((outcome) => {
    const count = service.deployments.filter((deployment) => deployment.outcome === outcome).length;
    return count === 0 ? null : `${count} ${outcome}`;
  });
  return `${service.deployments.length}: ${list(counts)}`;
}

/** `image_pull_failure×3, oom×1`: distinct tasks per category, most first. */
export function failuresCell(service: ServiceSummary): string {
  return service.failures.length === 0 ? NONE : service.failures.map(({ category, tasks }) => `${category}×${tasks}`).join(', ');
}

/** `2 tasks, 1 instance, 3 no capacity` */
export function spotCell(service: ServiceSummary): string {
  const { tasks, instances, placementFailures } = service.spot;
  const text = list([
    tasks > 0 ? plural(tasks, 'task') : null,
    instances > 0 ? plural(instances, 'instance') : null,
    placementFailures > 0 ? `${placementFailures} no capacity` : null,
  ]);
  return text === '' ? NONE : text;
}

/** `2 (1 resolved)`: crash loops detected (new alerts), and how many were over by the end (resolved notices). */
export function crashLoopsCell(service: ServiceSummary): string {
  const { new: detected, resolved } = service.crashLoops;
  if (detected === 0 && resolved === 0) return NONE;
  if (resolved === 0) return String(detected);
  return `${detected} (${resolved} resolved)`;
}

/** `3 (1 new, 1 follow-up, 1 resolved)` */
export function messagesCell(service: ServiceSummary): string {
  const total = KIND_ORDER.reduce((sum, kind) => sum + service.messages[kind], 0);
  if (total === 0) return NONE;
  return `${total} (${list(KIND_ORDER.map((kind) => (service.messages[kind] === 0 ? null : `${service.messages[kind]} ${kind}`)))})`;
}

interface Column {
  header: string;
  cell: (service: ServiceSummary) => string;
  /** Narrowest this column gets when the table must shrink to fit. */
  min: number;
}

const COLUMNS: readonly Column[] = [
  { header: 'service', cell: (service) => service.name, min: 18 },
  { header: 'events', cell: eventsCell, min: 11 },
  { header: 'deployments', cell: deploymentsCell, min: 18 },
  { header: 'failures', cell: failuresCell, min: 20 },
  { header: 'spot', cell: spotCell, min: 10 },
  { header: 'crash loops', cell: crashLoopsCell, min: 11 },
  { header: 'messages', cell: messagesCell, min: 16 },
];

/**
 * Column widths: each as wide as its widest cell; when that is too wide for `max`, narrowed one character at a time
 * where that cuts the fewest cells, so that one long cell is cut before a column of ordinary ones.
 */
function fit(rows: readonly string[][], max: number): number[] {
  const widths = COLUMNS.map((column, index) => Math.max(column.header.length, ...rows.map((row) => row[index]?.length ?? 0)));
  const lengths = COLUMNS.map((_column, index) => rows.map((row) => row[index]?.length ?? 0));
  let total = widths.reduce((sum, width) => sum + width, 0) + GAP.length * (widths.length - 1);
  while (total > max) {
    let best = -1;
    let bestCut = Infinity;
    widths.forEach((width, index) => {
      if (width <= (COLUMNS[index]?.min ?? width)) return;
      const cut = (lengths[index] ?? []).filter((length) => length >= width).length;
      if (cut < bestCut || (cut === bestCut && width > (widths[best] ?? 0))) {
        best = index;
        bestCut = cut;
      }
    });
    if (best < 0) break;
    widths[best] = (widths[best] ?? 0) - 1;
    total -= 1;
  }
  return widths;
}

/**
 * A cell cut to `width`: after the last whole item of a list when that keeps most of it (`2: 1 completed, …`),
 * otherwise mid-word (`image_pull_fail…`).
 */
export function cut(text: string, width: number): string {
  if (text.length <= width) return text;
  const boundary = text.lastIndexOf(', ', width - 3);
  return boundary >= width / 2 ? `${text.slice(0, boundary + 2)}…` : bound(text, width);
}

function styleOf(service: ServiceSummary): Style | null {
  if (service.bySeverity.critical > 0) return 'critical';
  if (service.bySeverity.warning > 0) return 'warning';
  return null;
}

/**
 * The per-service table printed after the summary: one row per service that alerted, was sent messages or was
 * deployed, then how many others only had info events. Cells too long for TABLE_WIDTH columns end with `…`. Empty when
 * nothing was replayed.
 *
 * @example
 * service             events          deployments                    failures                     spot    crash loops  messages
 * shop-prod/checkout  11 (1 critical, 2: 1 completed, 1 rolled back  image_pull_failure×3, oom×1  -       -            …
 */
export function renderServiceTable(report: ServiceReport, paint: Paint): string {
  const services = report.services();
  if (services.length === 0) return '';
  const notable = services.filter(isNotable);
  const others = services.length - notable.length;
  const rows = notable.map((service) => COLUMNS.map((column) => column.cell(service)));
  const widths = fit(rows, TABLE_WIDTH);
  const line = (cells: readonly string[], style: (text: string, index: number) => string): string =>
    cells
      .map((cell, index) => {
        const width = widths[index] ?? 0;
        const text = cut(cell, width);
        const padded = index === cells.length - 1 ? text : text.padEnd(width);
        return text === NONE ? paint('dim', padded) : style(padded, index);
      })
      .join(GAP)
      .trimEnd();
  const lines = notable.length === 0 ? [] : [paint('label', line(COLUMNS.map((column) => column.header), (text) => text))];
  notable.forEach((service, row) => {
    const style = styleOf(service);
    lines.push(line(rows[row] ?? [], (text, index) => (index === 0 && style !== null ? paint(style, text) : text)));
  });
  if (others > 0) lines.push(paint('dim', `${others} other ${others === 1 ? 'service/cluster' : 'services/clusters'} with only info events`));
  return lines.join('\n');
}
