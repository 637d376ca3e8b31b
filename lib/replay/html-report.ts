import type { AlertKind } from '../alerts/alert.ts';
import type { Severity } from '../classify/verdict.ts';
import { lastSegment } from '../events/arn.ts';
import type { StoppedTaskEntry } from '../history/entry.ts';
import { exitCodesCell, reasonCell } from '../history/output.ts';
import { inert } from '../render/text.ts';
import type { DeploymentSummary, ServiceReport, ServiceSummary, TimelineEntry } from './service-report.ts';
import { crashLoopsCell, deploymentsCell, eventsCell, failuresCell, isNotable, messagesCell, spotCell } from './service-table.ts';

/** What the page says about the replay besides the services: what was read, and how much of it failed. */
export interface ReportInputs {
  /** The paths given to the replay, as typed. */
  inputs: readonly string[];
  files: number;
  errors: number;
  /**
   * Stopped tasks from the history (`historyForReport` in lib/history/report.ts): each listed service's own are shown
   * under "Stopped tasks" in its section, newest first; a cluster's standalone tasks in the cluster's section. Absent
   * or empty: no such part.
   */
  history?: readonly StoppedTaskEntry[];
}

/** Rows of stopped tasks shown per service; the rest are counted. */
export const MAX_STOPPED_TASK_ROWS = 100;

/**
 * The Content Security Policy of the page: nothing may load (no script, image, font, frame or request), only the
 * inline style applies. A second wall behind the escaping: even markup slipped into the page could run nothing.
 */
export const CONTENT_SECURITY_POLICY = "default-src 'none'; style-src 'unsafe-inline'";

/** Markup that is safe to insert as is: built only by {@link html}, never from a plain string. */
class Markup {
  constructor(readonly text: string) {}
}

type Value = string | number | Markup | readonly Markup[] | null;

const ENTITIES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };

/** Text for HTML content and quoted attribute values: `&<>"'` become entities, control characters are made visible. */
export function escapeHtml(text: string): string {
  return inert(text).replace(/[&<>"']/g, (char) => ENTITIES[char] ?? char);
}

/**
 * The only way markup is built: every interpolated string or number is escaped, only markup from another `html`
 * call is inserted as is. So no text from an event can become a tag or an attribute.
 */
function html(strings: TemplateStringsArray, ...values: Value[]): Markup {
  let text = strings[0] ?? '';
  values.forEach((value, index) => {
    if (value instanceof Markup) text += value.text;
    else if (Array.isArray(value)) text += value.map((part: Markup) => part.text).join('');
    else if (value !== null) text += escapeHtml(String(value));
    text += strings[index + 1] ?? '';
  });
  return new Markup(text);
}

/** Only console links over https become links; anything else (`javascript:`, `data:`) stays text. */
function link(url: string | null, label: string): Markup {
  if (url === null || !/^https:\/\/[^\s"'<>]+$/.test(url)) return html``;
  return html`<a href="${url}" rel="noreferrer noopener">${label}</a>`;
}

const STYLE = `
:root { --critical: #b42318; --warning: #b54708; --info: #667085; --resolved: #067647; --line: #d0d5dd; --text: #101828; --muted: #475467; }
* { box-sizing: border-box; }
body { margin: 0; padding: 24px 32px 48px; font: 14px/1.45 system-ui, -apple-system, "Segoe UI", Roboto, "Helvetica Neue", Arial, sans-serif; color: var(--text); background: #f9fafb; }
h1 { font-size: 22px; margin: 0 0 4px; }
h2 { font-size: 17px; margin: 0 0 6px; display: flex; align-items: center; gap: 8px; }
h3 { font-size: 14px; margin: 14px 0 6px; color: var(--muted); text-transform: uppercase; letter-spacing: .04em; }
code, .mono, time, .origin, .key { font-family: ui-monospace, SFMono-Regular, Menlo, Consolas, "Liberation Mono", monospace; font-size: 12.5px; }
header { margin-bottom: 20px; }
header p { margin: 4px 0; color: var(--muted); }
section { background: #fff; border: 1px solid #eaecf0; border-radius: 8px; padding: 16px 20px; margin: 0 0 18px; }
table { border-collapse: collapse; width: 100%; }
th, td { text-align: left; vertical-align: top; padding: 5px 10px 5px 0; border-bottom: 1px solid #eaecf0; }
th { font-size: 12px; color: var(--muted); font-weight: 600; white-space: nowrap; }
td.none { color: #98a2b3; }
td.nowrap { white-space: nowrap; }
tr.group th { padding-top: 12px; color: var(--text); font-family: ui-monospace, SFMono-Regular, Menlo, Consolas, "Liberation Mono", monospace; font-weight: 600; }
.dot { display: inline-block; width: 10px; height: 10px; border-radius: 50%; background: var(--info); flex: none; }
.sev-critical { --sev: var(--critical); } .sev-warning { --sev: var(--warning); } .sev-info { --sev: var(--info); } .resolved { --sev: var(--resolved); }
.dot.sev-critical, .dot.sev-warning, .dot.sev-info { background: var(--sev); }
.count-critical { color: var(--critical); font-weight: 600; } .count-warning { color: var(--warning); font-weight: 600; } .count-resolved { color: var(--resolved); font-weight: 600; }
.where { color: var(--muted); margin: 0 0 8px; }
.facts { display: grid; grid-template-columns: max-content 1fr; gap: 2px 16px; margin: 8px 0; }
.facts dt { color: var(--muted); } .facts dd { margin: 0; }
.outcome-completed { color: var(--resolved); } .outcome-failed, .outcome-rolled-back { color: var(--critical); } .outcome-rolling-back, .outcome-in-progress { color: var(--warning); }
ol.timeline { list-style: none; margin: 0; padding: 0 0 0 18px; border-left: 2px solid var(--line); }
ol.timeline li { position: relative; margin: 0 0 8px; padding-left: 10px; }
ol.timeline li.entry::before { content: ""; position: absolute; left: -25px; top: 5px; width: 10px; height: 10px; border-radius: 50%; background: var(--sev, var(--info)); border: 2px solid #fff; }
ol.timeline li.message::before { border-radius: 2px; }
ol.timeline li.day { margin: 12px 0 6px -28px; padding: 0; font-weight: 600; color: var(--muted); background: #fff; }
ol.timeline li.omitted { color: var(--muted); font-style: italic; }
.line { display: flex; flex-wrap: wrap; gap: 4px 10px; align-items: baseline; }
time { color: var(--muted); }
.badge { display: inline-block; font-size: 11px; font-weight: 700; letter-spacing: .03em; padding: 0 6px; border-radius: 4px; color: #fff; background: var(--sev, var(--info)); text-transform: uppercase; }
.message .badge { background: #fff; color: var(--sev, var(--info)); border: 1px solid var(--sev, var(--info)); }
.category { font-weight: 600; }
.outcome { color: var(--muted); font-size: 12.5px; }
.summary { color: #344054; overflow-wrap: anywhere; }
.title { font-weight: 600; color: var(--sev, var(--text)); overflow-wrap: anywhere; }
.info .category { font-weight: 400; color: var(--muted); }
.origin, .key { color: #98a2b3; overflow-wrap: anywhere; }
details { margin-top: 8px; } summary { cursor: pointer; color: var(--muted); }
footer { color: #98a2b3; font-size: 12px; }
`;

const KIND_LABELS: Record<AlertKind, string> = { new: 'new alert', 'follow-up': 'follow-up', repeat: 'still firing', resolved: 'resolved', deployment: 'deployment notice' };

function plural(count: number, word: string): string {
  return `${count} ${word}${count === 1 ? '' : 's'}`;
}

function worst(service: ServiceSummary): Severity {
  if (service.bySeverity.critical > 0) return 'critical';
  return service.bySeverity.warning > 0 ? 'warning' : 'info';
}

function duration(ms: number): string {
  const seconds = Math.round(ms / 1000);
  if (seconds < 60) return `${seconds} s`;
  const minutes = Math.floor(seconds / 60);
  if (minutes < 60) return `${minutes} min ${seconds % 60} s`;
  return `${Math.floor(minutes / 60)} h ${minutes % 60} min`;
}

/** `2025-06-02` and `14:03:12` of an ISO time, in UTC; the raw text when it cannot be read. */
function dayAndTime(time: string | null): { day: string; clock: string } {
  const at = time === null ? Number.NaN : Date.parse(time);
  if (Number.isNaN(at)) return { day: 'no time', clock: time ?? '' };
  const iso = new Date(at).toISOString();
  return { day: iso.slice(0, 10), clock: iso.slice(11, 19) };
}

function cell(text: string, nowrap = false): Markup {
  if (text === '-') return html`<td class="none">-</td>`;
  return nowrap ? html`<td class="nowrap">${text}</td>` : html`<td>${text}</td>`;
}

function anchor(index: number): string {
  return `service-${index + 1}`;
}

function overview(notable: readonly ServiceSummary[], others: number): Markup {
  const rows: Markup[] = [];
  let where: string | null = null;
  notable.forEach((service, index) => {
    // Services are ordered by account and Region: a heading row where they change.
    const next = `${service.account ?? 'unknown account'} · ${service.region ?? 'unknown Region'}`;
    if (next !== where) rows.push(html`<tr class="group"><th colspan="7">${next}</th></tr>
`);
    where = next;
    rows.push(html`<tr>
<td class="nowrap"><span class="dot sev-${worst(service)}"></span> <a href="#${anchor(index)}">${service.name}</a></td>${cell(eventsCell(service), true)}${cell(deploymentsCell(service))}${cell(failuresCell(service))}${cell(spotCell(service), true)}${cell(crashLoopsCell(service), true)}${cell(messagesCell(service))}</tr>
`);
  });
  const table =
    notable.length === 0
      ? html`<p>No service alerted, was deployed or was sent a message.</p>`
      : html`<table class="services">
<thead><tr><th>service</th><th>events</th><th>deployments</th><th>failures</th><th>spot</th><th>crash loops</th><th>messages</th></tr></thead>
<tbody>
${rows}</tbody>
</table>`;
  const rest = others === 0 ? html`` : html`<p class="where">${others} other ${others === 1 ? 'service/cluster' : 'services/clusters'} with only info events (listed at the end).</p>`;
  return html`<section class="overview">
<h2>Services</h2>
${table}
${rest}
</section>`;
}

function deploymentRow(deployment: DeploymentSummary): Markup {
  const note = [deployment.rollback ? `rollback${deployment.rollbackTo === null ? '' : ` to ${deployment.rollbackTo}`}` : null, deployment.replacedBy === null ? null : `replaced by rollback ${deployment.replacedBy}`]
    .filter((part) => part !== null)
    .join('; ');
  const first = dayAndTime(deployment.firstSeen);
  return html`<tr><td class="mono">${deployment.id}</td><td><time>${deployment.firstSeen === null ? '-' : `${first.day} ${first.clock}`}</time></td><td class="outcome-${deployment.outcome.replace(' ', '-')}">${deployment.outcome}</td><td>${deployment.timeToCompleteMs === null ? '-' : duration(deployment.timeToCompleteMs)}</td><td>${note === '' ? '-' : note}</td></tr>
`;
}

function facts(service: ServiceSummary): Markup {
  const { critical, warning, info } = service.bySeverity;
  const failures = service.failedTasks === 0 ? '-' : `${plural(service.failedTasks, 'task')}: ${failuresCell(service)}`;
  const rows: [string, Markup][] = [
    ['Events', html`${service.events}: <span class="count-critical">${critical} critical</span>, <span class="count-warning">${warning} warning</span>, ${info} info`],
    ['Task failures', html`${failures}`],
    ['Spot', html`${spotCell(service)}`],
    ['Crash loops', html`${crashLoopsCell(service)}`],
    ['Messages', html`${messagesCell(service)}`],
  ];
  return html`<dl class="facts">${rows.map(([label, value]) => html`<dt>${label}</dt><dd>${value}</dd>`)}</dl>`;
}

function entry(item: TimelineEntry): Markup {
  const { clock } = dayAndTime(item.time);
  if (item.type === 'event') {
    return html`<li class="entry event sev-${item.severity} ${item.severity}">
<div class="line"><time datetime="${item.time ?? ''}">${clock}</time><span class="badge">${item.severity}</span><span class="category">${item.category}</span>${
      item.subject === null ? null : html`<span class="mono">${item.subject}</span>`
    }<span class="outcome">${item.outcome}</span></div>
${item.summary === '' ? null : html`<div class="summary">${item.summary}</div>`}<div class="origin">${item.origin}</div>
</li>
`;
  }
  const resolved = item.status === 'resolved';
  return html`<li class="entry message sev-${item.severity}${resolved ? ' resolved' : ''}">
<div class="line"><time datetime="${item.time}">${clock}</time><span class="badge">${KIND_LABELS[item.kind]}</span><span class="title">${item.title}</span></div>
<div class="key">${item.key}</div>
</li>
`;
}

function timeline(service: ServiceSummary): Markup {
  const items: Markup[] = [];
  let day: string | null = null;
  for (const item of service.timeline) {
    const next = dayAndTime(item.time).day;
    if (next !== day) items.push(html`<li class="day">${next}</li>
`);
    day = next;
    items.push(entry(item));
  }
  if (service.timelineOmitted > 0) items.push(html`<li class="omitted">${service.timelineOmitted} more entries not shown</li>`);
  return html`<ol class="timeline">
${items}</ol>`;
}

/** The entries of one service (or of a cluster's standalone tasks), in the order given. */
function stoppedTasksOf(service: ServiceSummary, history: readonly StoppedTaskEntry[]): StoppedTaskEntry[] {
  return history.filter((entry) => entry.cluster === service.cluster && entry.service === service.service && entry.account === service.account && entry.region === service.region);
}

function stoppedTaskRow(entry: StoppedTaskEntry): Markup {
  const { day, clock } = dayAndTime(entry.time);
  return html`<tr class="sev-${entry.severity}"><td class="nowrap"><time datetime="${entry.time}">${day} ${clock}</time></td><td class="mono">${lastSegment(entry.taskArn) ?? entry.taskArn}</td><td class="mono">${entry.taskDefinition ?? '-'}</td><td class="nowrap"><span class="dot sev-${entry.severity}"></span> <span class="category">${entry.category}</span>${entry.spot ? ' (spot)' : ''}</td><td class="mono">${exitCodesCell(entry)}</td><td class="summary">${reasonCell(entry)}</td></tr>
`;
}

/** A service's stopped tasks from the history, newest first: what ECS itself forgets an hour after each stop. */
function stoppedTasks(entries: readonly StoppedTaskEntry[]): Markup {
  if (entries.length === 0) return html``;
  const rows = [...entries].sort((a, b) => (a.time < b.time ? 1 : a.time > b.time ? -1 : 0)).slice(0, MAX_STOPPED_TASK_ROWS);
  const omitted = entries.length - rows.length;
  return html`<h3>Stopped tasks (UTC)</h3>
<table class="stopped"><thead><tr><th>stopped</th><th>task</th><th>task definition</th><th>category</th><th>exit codes</th><th>reason</th></tr></thead>
<tbody>
${rows.map(stoppedTaskRow)}</tbody></table>
${omitted > 0 ? html`<p class="where">${omitted} older stopped ${omitted === 1 ? 'task' : 'tasks'} not shown.</p>
` : null}`;
}

function serviceSection(service: ServiceSummary, index: number, stopped: readonly StoppedTaskEntry[]): Markup {
  const where = [service.account ?? 'unknown account', service.region ?? 'unknown Region', service.cluster === null ? null : `cluster ${service.cluster}`, service.service === null ? null : `service ${service.service}`]
    .filter((part) => part !== null)
    .join(' · ');
  const console = link(service.consoleUrl, 'ECS console');
  const deployments =
    service.deployments.length === 0
      ? html``
      : html`<h3>Deployments</h3>
<table class="deployments"><thead><tr><th>deployment</th><th>first seen (UTC)</th><th>outcome</th><th>time to complete</th><th>note</th></tr></thead>
<tbody>
${service.deployments.map(deploymentRow)}</tbody></table>`;
  return html`<section class="service" id="${anchor(index)}">
<h2><span class="dot sev-${worst(service)}"></span>${service.name}</h2>
<p class="where">${where}${console.text === '' ? null : html` · ${console}`}</p>
${facts(service)}
${deployments}
${stoppedTasks(stopped)}<h3>Timeline (UTC)</h3>
${timeline(service)}
</section>
`;
}

function span(services: readonly ServiceSummary[]): string | null {
  const times = services.flatMap((service) => service.timeline.flatMap((item) => (item.type === 'event' && item.time !== null && !Number.isNaN(Date.parse(item.time)) ? [Date.parse(item.time)] : [])));
  if (times.length === 0) return null;
  const show = (at: number): string => new Date(at).toISOString().replace('T', ' ').replace(/\.000Z$/, 'Z');
  return `${show(Math.min(...times))} to ${show(Math.max(...times))}`;
}

/**
 * The replay as one self-contained HTML page: the inputs and counts, the per-service table, and each listed
 * service's facts, deployments and timeline of events and messages, coloured by severity (resolved notices green).
 * Nothing loads from anywhere (the Content Security Policy forbids it); every text from events is escaped.
 */
export function renderHtmlReport(report: ServiceReport, inputs: ReportInputs): string {
  const services = report.services();
  const notable = services.filter(isNotable);
  const others = services.filter((service) => !isNotable(service));
  const sum = (pick: (service: ServiceSummary) => number): number => services.reduce((total, service) => total + pick(service), 0);
  const events = sum((service) => service.events);
  const messages: Record<AlertKind, number> = {
    new: sum((service) => service.messages.new),
    'follow-up': sum((service) => service.messages['follow-up']),
    repeat: sum((service) => service.messages.repeat),
    resolved: sum((service) => service.messages.resolved),
    deployment: sum((service) => service.messages.deployment),
  };
  const sent = messages.new + messages['follow-up'] + messages.repeat + messages.resolved + messages.deployment;
  const when = span(services);
  const otherList =
    others.length === 0
      ? html``
      : html`<details class="others"><summary>${others.length} other ${others.length === 1 ? 'service/cluster' : 'services/clusters'} with only info events</summary>
<ul>${others.map((service) => html`<li>${service.name}: ${plural(service.events, 'info event')}</li>`)}</ul>
</details>`;
  const page = html`<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="${CONTENT_SECURITY_POLICY}">
<meta name="referrer" content="no-referrer">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>ECS replay report</title>
<style>${new Markup(STYLE)}</style>
</head>
<body>
<header>
<h1>ECS replay report</h1>
<p>Inputs: ${inputs.inputs.map((input, index) => html`${index === 0 ? '' : ', '}<code>${input}</code>`)}</p>
<p>${plural(events, 'event')} from ${plural(inputs.files, 'file')}: <span class="count-critical">${sum((service) => service.bySeverity.critical)} critical</span>, <span class="count-warning">${sum((service) => service.bySeverity.warning)} warning</span>, ${sum((service) => service.bySeverity.info)} info, ${plural(inputs.errors, 'error')}${when === null ? '' : ` · ${when}`}</p>
<p>${plural(sent, 'message')} sent: ${plural(messages.new, 'new alert')}, ${plural(messages['follow-up'], 'follow-up')}, ${plural(messages.repeat, 'repeat')}, <span class="count-resolved">${messages.resolved} resolved</span>, ${plural(messages.deployment, 'deployment notice')}</p>
</header>
<main>
${overview(notable, others.length)}
${notable.map((service, index) => serviceSection(service, index, stoppedTasksOf(service, inputs.history ?? [])))}
${otherList}
</main>
<footer>Written by <code>npm run replay -- --report</code>. Times are UTC. Links open the AWS console.</footer>
</body>
</html>
`;
  return page.text;
}
