import type { Alert, AlertKind } from '../alerts/alert.ts';
import type { Severity } from '../classify/verdict.ts';
import { formatTime, plural, slackText } from './text.ts';
import { MAX_BLOCKS, MAX_FALLBACK_TEXT, MAX_HEADER_TEXT, MAX_SECTION_TEXT, renderSlack, SLACK_COLORS, type Block, type SlackMessage } from './slack.ts';
import { bareTitle, isResolved } from './view.ts';

/**
 * In thread mode each alert story (one `key`, one `firing.since`) is one Slack thread: the root message stands for the
 * story and is edited as it goes on, the follow-ups, repeats and resolved notice are replies in it. This is what the
 * root shows, kept with the thread and folded forward by every message of the story, in whatever order they arrive.
 */
export interface ThreadRoot {
  /** The story's title, without `Resolved:`: the `new` alert's once it has been seen, else the first message's. */
  title: string;
  /** Whether `title` came from the story's `new` alert (a late `new` then still names the story). */
  titledByNew: boolean;
  /** The highest severity told in the story. */
  severity: Severity;
  /** Since when the story fires (`firing.since`, else the group's first event). */
  since: string;
  /** Events counted so far (the highest `firing.events` seen, else the group's count). */
  events: number;
  /** The time of the latest message, and its kind. */
  lastUpdate: string;
  lastKind: AlertKind;
  /** When a resolved notice said it was over; null while firing. */
  resolvedAt: string | null;
  /** A deployment's notices: no firing or resolved, only the latest outcome. */
  notice: boolean;
}

const SEVERITY_RANK: Record<Severity, number> = { info: 0, warning: 1, critical: 2 };

const EMOJI: Record<Severity | 'resolved', string> = { critical: '🚨', warning: '⚠️', info: 'ℹ️', resolved: '✅' };

/** The root of a story that `alert` opens (its first message to arrive, usually its `new` alert). */
export function threadRootOf(alert: Alert): ThreadRoot {
  return {
    title: bareTitle(alert),
    titledByNew: alert.kind === 'new',
    severity: alert.severity,
    since: alert.firing?.since ?? alert.group.firstTime,
    events: alert.firing?.events ?? Math.max(1, alert.group.count),
    lastUpdate: alert.time,
    lastKind: alert.kind,
    resolvedAt: isResolved(alert) ? alert.time : null,
    notice: alert.kind === 'deployment',
  };
}

/**
 * The root once `alert`, a later message of the same story, is in. Order-independent where it matters: counts and
 * times only grow, the earliest `since` wins, and a resolved story stays resolved (a message of a later story opens a
 * thread of its own), so two messages folded in either order give the same root.
 *
 * @example advanceThreadRoot(threadRootOf(newAlert), resolvedNotice).resolvedAt // resolvedNotice.time
 */
export function advanceThreadRoot(root: ThreadRoot, alert: Alert): ThreadRoot {
  const next = threadRootOf(alert);
  const later = Date.parse(next.lastUpdate) >= Date.parse(root.lastUpdate) || Number.isNaN(Date.parse(root.lastUpdate));
  const takeTitle = (next.titledByNew && !root.titledByNew) || (next.notice && later);
  return {
    title: takeTitle ? next.title : root.title,
    titledByNew: root.titledByNew || next.titledByNew,
    severity: SEVERITY_RANK[next.severity] > SEVERITY_RANK[root.severity] ? next.severity : root.severity,
    since: Date.parse(next.since) < Date.parse(root.since) ? next.since : root.since,
    events: Math.max(root.events, next.events),
    lastUpdate: later ? next.lastUpdate : root.lastUpdate,
    lastKind: later ? next.lastKind : root.lastKind,
    resolvedAt: latest(root.resolvedAt, next.resolvedAt),
    notice: root.notice && next.notice,
  };
}

function latest(a: string | null, b: string | null): string | null {
  if (a === null) return b;
  if (b === null) return a;
  return Date.parse(b) > Date.parse(a) ? b : a;
}

/**
 * The thread's root message: a header with the story's title and state, one status line (firing since when, how many
 * events, the last update; or when it was resolved), then the latest message's rendering (`renderSlack`) without its
 * header, in an attachment coloured by state: the severity's colour while firing, green once resolved. Every text from
 * the alert is escaped and bounded as `renderSlack` does.
 *
 * @example await slackApi.update({ channel, ts, ...renderThreadRoot(latestAlert, record.root) });
 */
export function renderThreadRoot(alert: Alert, root: ThreadRoot): SlackMessage {
  const resolved = root.resolvedAt !== null && !root.notice;
  const tone = resolved ? 'resolved' : root.severity;
  const header: Block = {
    type: 'header',
    text: { type: 'plain_text', text: slackText(`${EMOJI[tone]} ${resolved ? 'Resolved: ' : ''}${root.title}`, MAX_HEADER_TEXT), emoji: true },
  };
  const status: Block = { type: 'section', text: { type: 'mrkdwn', text: slackText(statusLine(root), MAX_SECTION_TEXT) } };
  const body = renderSlack(alert).attachments[0].blocks.filter((block) => block.type !== 'header');
  const word = root.notice ? 'NOTICE' : resolved ? 'RESOLVED' : 'FIRING';
  const fallback = slackText(`${EMOJI[tone]} [${word}] ${root.title} · ${shortStatus(root)}`, MAX_FALLBACK_TEXT);
  return { text: fallback, attachments: [{ color: SLACK_COLORS[tone], blocks: [header, status, ...body].slice(0, MAX_BLOCKS) }] };
}

/** `Firing since 2025-03-14 09:26:51 UTC · 8 events · last update 2025-03-14 09:31:51 UTC (follow-up) · details in the thread` */
function statusLine(root: ThreadRoot): string {
  const update = `last update ${formatTime(root.lastUpdate)} (${KIND_WORDS[root.lastKind]})`;
  if (root.notice) return `Deployment notices · ${update} · all of them in the thread`;
  if (root.resolvedAt !== null) {
    return `Resolved at ${formatTime(root.resolvedAt)} · fired since ${formatTime(root.since)} · ${plural(root.events, 'event')} in all · every update in the thread`;
  }
  return `Firing since ${formatTime(root.since)} · ${plural(root.events, 'event')} so far · ${update} · every update in the thread`;
}

/** The status in a few words, for the notification text. */
function shortStatus(root: ThreadRoot): string {
  if (root.notice) return `updated ${formatTime(root.lastUpdate)}`;
  if (root.resolvedAt !== null) return `resolved at ${formatTime(root.resolvedAt)}, ${plural(root.events, 'event')} in all`;
  return `${plural(root.events, 'event')} since ${formatTime(root.since)}`;
}

const KIND_WORDS: Record<AlertKind, string> = {
  new: 'first alert',
  'follow-up': 'follow-up',
  repeat: 'still firing',
  resolved: 'resolved',
  deployment: 'deployment notice',
};
