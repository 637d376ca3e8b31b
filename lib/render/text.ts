/**
 * Helpers the renderers share: making untrusted text inert, bounding lengths without splitting a character, and
 * formatting times and ids the same way in every channel.
 *
 * Everything an alert carries is treated as untrusted: stopped reasons and container names come straight from
 * events, and the title, summary and cause quote them.
 */

/** The longest any single fact (a reason, a container's reason, a cause) may be in a message. */
export const MAX_FACT_LENGTH = 1000;

export const ELLIPSIS = '…';

// C0 and C1 control characters (line breaks are folded separately), and the invisible direction marks and
// overrides (U+200E/F, U+202A–U+202E, U+2066–U+2069) that reorder how the rest of a line is shown.
// eslint-disable-next-line no-control-regex -- finding control characters is the point
const UNSAFE = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u200e\u200f\u202a-\u202e\u2066-\u2069]/gu;
const LINE_BREAKS = /\r\n?|[\n\t\u2028\u2029]/gu;
// Half of a surrogate pair without its other half: not a character, and JSON escapes it as `\ud800`, which a
// receiver (Slack's API, a mail client) may reject or garble.
const LONE_SURROGATE = /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/gu;

/**
 * Text from events, made inert for any channel: line breaks and tabs become spaces (one fact stays on one line),
 * other control characters and bidirectional controls become visible `\uXXXX` escapes, and a lone surrogate
 * becomes U+FFFD, the replacement character.
 *
 * @example inert('OOM\u001b[2J\nagain') // 'OOM\\u001b[2J again'
 */
export function inert(text: string): string {
  return text
    .replace(LINE_BREAKS, ' ')
    .replace(UNSAFE, (char) => `\\u${char.charCodeAt(0).toString(16).padStart(4, '0')}`)
    .replace(LONE_SURROGATE, '\ufffd');
}

/**
 * Cuts `text` to at most `max` UTF-16 code units (what `.length` counts, never less than what Slack or SNS count),
 * ending with `…` when it had to cut, and never in the middle of a surrogate pair.
 */
export function bound(text: string, max: number): string {
  if (text.length <= max) return text;
  let end = Math.max(0, max - ELLIPSIS.length);
  if (end > 0 && isHighSurrogate(text.charCodeAt(end - 1))) end -= 1;
  return `${text.slice(0, end).trimEnd()}${ELLIPSIS}`;
}

/** One untrusted fact, inert and at most MAX_FACT_LENGTH long. */
export function fact(text: string): string {
  return bound(inert(text).trim(), MAX_FACT_LENGTH);
}

function isHighSurrogate(code: number): boolean {
  return code >= 0xd800 && code <= 0xdbff;
}

const SLACK_ENTITIES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;' };

/**
 * Escapes text for Slack: `&`, `<` and `>` are Slack's control characters (links `<url|text>`, mentions
 * `<@U123>`, `<!channel>`, `<!here>`), so they become `&amp;`, `&lt;`, `&gt;` and nothing else is encoded.
 * https://api.slack.com/reference/surfaces/formatting#escaping
 *
 * Plain `@channel`, `@here` and `@everyone` do not notify anyone in a message posted through an incoming webhook
 * (only the `<!channel>` syntax does, and `link_names` is never set), so escaping these three characters is the
 * whole rule. Mrkdwn's `*`, `_`, `~` and backticks cannot be escaped in Slack; in untrusted text they can at most
 * change emphasis, never add a link or a mention.
 */
export function slackEscape(text: string): string {
  return text.replace(/[&<>]/gu, (char) => SLACK_ENTITIES[char] ?? char);
}

/**
 * Makes untrusted text inert, escapes it for Slack and bounds the escaped result to `max` code units, cutting
 * only between whole characters and whole entities (never `&am…`).
 */
export function slackText(text: string, max: number): string {
  const raw = inert(text).trim();
  const escaped = slackEscape(raw);
  if (escaped.length <= max) return escaped;
  const budget = max - ELLIPSIS.length;
  let out = '';
  for (const char of raw) {
    const piece = SLACK_ENTITIES[char] ?? char;
    if (out.length + piece.length > budget) break;
    out += piece;
  }
  return `${out.trimEnd()}${ELLIPSIS}`;
}

/** Markdown that means something anywhere in a Teams TextBlock or fact: emphasis, code, links, tags (`<at>`). */
const TEAMS_INLINE = new Set(['\\', '*', '_', '~', '`', '[', ']', '<', '>']);
/** Markdown that means something at the start of a line: a heading, a list item, a quote. */
const TEAMS_LINE_START = new Set(['#', '-', '+', '=', '>']);

/**
 * The characters of `text`, each as Teams markdown shows it literally: a backslash before markdown syntax, the
 * character alone otherwise. Cutting between pieces never splits an escape.
 */
function teamsPieces(text: string): string[] {
  const chars = Array.from(text);
  const pieces = chars.map((char) => (TEAMS_INLINE.has(char) ? `\\${char}` : char));
  const start = chars.findIndex((char) => !/\s/u.test(char));
  if (start < 0) return pieces;
  const first = chars[start] ?? '';
  if (TEAMS_LINE_START.has(first)) pieces[start] = `\\${first}`;
  // `1. item` and `1) item` start a numbered list: escape the dot or the parenthesis.
  let end = start;
  while (end < chars.length && /[0-9]/u.test(chars[end] ?? '')) end += 1;
  const after = chars[end];
  if (end > start && (after === '.' || after === ')')) pieces[end] = `\\${after}`;
  return pieces;
}

/**
 * Escapes text for the markdown subset of Teams' Adaptive Cards (TextBlock, `Fact.title`, `Fact.value`): bold and
 * italic (`*`, `_`), links (`[text](url)`), lists (`- `, `1. `), headings (`#`), plus backticks, `~`, `<` and `>`
 * (no `<at>` mention tag can form) and the backslash itself (so untrusted text cannot escape what follows it). Each
 * becomes a CommonMark backslash escape, which Teams renders as the character alone.
 * Syntax: https://learn.microsoft.com/en-us/microsoftteams/platform/task-modules-and-cards/cards/cards-format#markdown-format-for-adaptive-cards
 *
 * @example teamsEscape('[click](https://evil.example) *now*') // '\\[click\\](https://evil.example) \\*now\\*'
 */
export function teamsEscape(text: string): string {
  return teamsPieces(text).join('');
}

/**
 * Makes untrusted text inert, escapes it for Teams and bounds the escaped result to `max` code units, cutting only
 * between whole characters and whole escapes (never a backslash without the character it escapes).
 */
export function teamsText(text: string, max: number): string {
  const raw = inert(text).trim();
  // Escaping never shortens text: of a longer text, no more than its first `max` code units can be shown.
  const pieces = teamsPieces(raw.length > max ? raw.slice(0, max) : raw);
  const escaped = pieces.join('');
  if (raw.length <= max && escaped.length <= max) return escaped;
  const budget = max - ELLIPSIS.length;
  let out = '';
  for (const piece of pieces) {
    if (out.length + piece.length > budget) break;
    out += piece;
  }
  return `${out.trimEnd()}${ELLIPSIS}`;
}

/** The task id at the end of a task ARN (`arn:aws:ecs:…:task/cluster/ID`), or the input when it has no slash. */
export function taskId(taskArn: string): string {
  return taskArn.slice(taskArn.lastIndexOf('/') + 1);
}

/** Whether every id is an ECS task id (32 hex digits), so a list of them can be labelled "Tasks". */
export function allTaskIds(ids: readonly string[]): boolean {
  return ids.length > 0 && ids.every((id) => /^[0-9a-f]{32}$/u.test(id));
}

/** `2025-03-14T09:26:51Z` as `2025-03-14 09:26:51 UTC`; text that is not a time is shown inert, as it is. */
export function formatTime(iso: string): string {
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return fact(iso);
  return `${date.toISOString().slice(0, 19).replace('T', ' ')} UTC`;
}

/**
 * A time span for people: one time when both ends are equal, the date once when both ends fall on the same day.
 *
 * @example timeSpan('2025-03-14T09:26:51Z', '2025-03-14T09:31:40Z') // 'from 2025-03-14 09:26:51 to 09:31:40 UTC'
 */
export function timeSpan(first: string, last: string): string {
  const from = formatTime(first);
  const to = formatTime(last);
  if (from === to) return `at ${from}`;
  if (from.slice(0, 10) === to.slice(0, 10) && from.endsWith(' UTC') && to.endsWith(' UTC')) {
    return `from ${from.slice(0, -4)} to ${to.slice(11)}`;
  }
  return `from ${from} to ${to}`;
}

/** `1 event`, `7 events`. */
export function plural(count: number, noun: string): string {
  return `${count} ${noun}${count === 1 ? '' : 's'}`;
}
