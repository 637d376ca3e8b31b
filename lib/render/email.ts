import type { Alert } from '../alerts/alert.ts';
import { fact } from './text.ts';
import { bareTitle, containerViews, factViews, isResolved, linkViews, statusWord } from './view.ts';

export interface RenderedEmail {
  /** An SNS `Subject`: printable ASCII, one line, at most MAX_SUBJECT_LENGTH characters. */
  subject: string;
  /** The plain-text body, lines wrapped at WRAP_WIDTH where they can be (URLs and long words are never broken). */
  text: string;
}

/**
 * SNS accepts a Subject of less than 100 characters without line breaks or control characters
 * (https://docs.aws.amazon.com/sns/latest/api/API_Publish.html); we also keep it to printable ASCII, so no mail
 * client or SNS version has to encode it.
 */
export const MAX_SUBJECT_LENGTH = 99;

/** Where prose and fact values wrap: short enough for any plain-text mail client without reflowing. */
export const WRAP_WIDTH = 76;

/** Fact labels are padded to this, so values line up in a column. */
const LABEL_WIDTH = 20;
const INDENT = '  ';

/**
 * An alert as an email for people: subject for the inbox, body in plain text.
 *
 * @example
 * const { subject, text } = renderEmail(alert);
 * // subject: '[WARNING] OOM: service orders-api (prod) - container orders-api killed for using too much memory'
 */
export function renderEmail(alert: Alert): RenderedEmail {
  return { subject: renderSubject(alert), text: renderBody(alert) };
}

/** The subject line alone (SNS-safe: ASCII, one line, under 100 characters), without rendering the body. */
export function emailSubject(alert: Alert): string {
  return renderSubject(alert);
}

function renderSubject(alert: Alert): string {
  const prefix = `[${statusWord(alert)}] `;
  const title = toAscii(bareTitle(alert)) || 'ECS alert';
  return cutSubject(prefix, title);
}

/** The first line of the body: status and title, never wrapped. */
function headline(alert: Alert): string {
  return `[${statusWord(alert)}] ${fact(bareTitle(alert)) || 'ECS alert'}`;
}

function renderBody(alert: Alert): string {
  const blocks: string[][] = [[headline(alert)]];
  const summary = fact(alert.summary);
  if (summary !== '') blocks.push(wrap(summary));
  const cause = fact(alert.facts.cause);
  if (cause !== '') blocks.push(wrap(`Why: ${cause}`));
  const remedy = fact(alert.facts.remedy);
  // A resolved notice has nothing left to do; it still says why it had fired.
  if (remedy !== '' && !isResolved(alert)) blocks.push(wrap(`What to do: ${remedy}`));

  const details = factViews(alert).flatMap((row) => labelled(row.label, row.lines));
  if (details.length > 0) blocks.push(['Details', ...details]);

  const containers = containerViews(alert).flatMap((container) => [
    ...wrap(`${container.heading}: ${container.outcome}`, INDENT, INDENT.repeat(2)),
    ...(container.reason === null ? [] : wrap(`Reason: ${container.reason}`, INDENT.repeat(2), INDENT.repeat(3))),
    ...(container.image === null ? [] : wrap(`Image: ${container.image}`, INDENT.repeat(2), INDENT.repeat(3))),
    ...(container.memory === null ? [] : wrap(`Memory: ${container.memory}`, INDENT.repeat(2), INDENT.repeat(3))),
    // Log lines keep their own layout (never re-wrapped); each is inert and bounded, and marked off by `| `.
    ...(container.logLines.length === 0 ? [] : [`${INDENT.repeat(2)}Last log lines:`, ...container.logLines.map((line) => `${INDENT.repeat(2)}| ${line}`)]),
    ...(container.logsMissing === null ? [] : wrap(container.logsMissing, INDENT.repeat(2), INDENT.repeat(3))),
  ]);
  if (containers.length > 0) blocks.push(['Containers', ...containers]);

  const links = linkViews(alert).flatMap((link) => labelled(link.label, [link.url]));
  if (!alert.enriched) links.push(...wrap('Some facts or links may be missing: the ECS API did not answer a lookup (task definition, service or instance).', INDENT, INDENT));
  if (links.length > 0) blocks.push(['Links', ...links]);

  blocks.push([
    ...wrap(`Alert key: ${fact(alert.key)}`),
    ...wrap(`Message id: ${fact(alert.id)}`),
    'Sent by ecs-incident-notifier through Amazon SNS.',
    'Replies to this email are not read.',
  ]);
  return `${blocks.map((lines) => lines.join('\n')).join('\n\n')}\n`;
}

/** `  Label               value`, the value wrapped under itself; each further line of a list on its own line. */
function labelled(label: string, lines: readonly string[]): string[] {
  const head = `${INDENT}${label}`.padEnd(LABEL_WIDTH + INDENT.length - 1);
  const rest = ' '.repeat(LABEL_WIDTH + INDENT.length);
  return lines.flatMap((line, index) => wrap(line, index === 0 ? `${head} ` : rest, rest));
}

/**
 * Word-wraps one paragraph at WRAP_WIDTH: `first` starts the first line, `rest` the others. A word longer than the
 * line (a URL, an ARN) gets a line of its own rather than being broken, so it stays clickable and copyable.
 */
export function wrap(text: string, first = '', rest = ''): string[] {
  const lines: string[] = [];
  let line = first;
  let empty = true;
  for (const word of text.split(' ')) {
    if (word === '') continue;
    if (!empty && line.length + 1 + word.length > WRAP_WIDTH) {
      lines.push(line);
      line = `${rest}${word}`;
    } else {
      line = empty ? `${line}${word}` : `${line} ${word}`;
    }
    empty = false;
  }
  lines.push(empty ? line.trimEnd() : line);
  return lines;
}

const TRANSLITERATIONS: Record<string, string> = {
  ß: 'ss',
  æ: 'ae',
  Æ: 'AE',
  œ: 'oe',
  Œ: 'OE',
  ø: 'o',
  Ø: 'O',
  ł: 'l',
  Ł: 'L',
  đ: 'd',
  Đ: 'D',
  ð: 'd',
  þ: 'th',
  Þ: 'Th',
  '×': 'x',
};

/**
 * Printable ASCII for the subject: accents dropped (`é` → `e`), compatibility forms unfolded (`…` → `...`,
 * full-width letters), typographic dashes and quotes made plain (`–` → `-`, `’` → `'`), whitespace and line breaks
 * made single spaces, and anything else left out.
 */
export function toAscii(text: string): string {
  return text
    .normalize('NFKD')
    .replace(/\p{M}/gu, '')
    .replace(/[ßæÆœŒøØłŁđĐðþÞ×]/gu, (char) => TRANSLITERATIONS[char] ?? '')
    .replace(/[\u2010-\u2015\u2043\u2212]/gu, '-')
    .replace(/[\u2018\u2019\u201a\u201b\u2032\u2035]/gu, "'")
    .replace(/[\u201c-\u201f\u2033\u2036]/gu, '"')
    .replace(/[\u00b7\u2022\u2027]/gu, '-')
    .replace(/[\s\p{Cc}]+/gu, ' ')
    .replace(/[^\x20-\x7e]/gu, '')
    .replace(/ {2,}/gu, ' ')
    .trim();
}

/** `prefix + title`, or when too long, the title cut on a word boundary and ended with `...`. */
function cutSubject(prefix: string, title: string): string {
  const full = `${prefix}${title}`;
  if (full.length <= MAX_SUBJECT_LENGTH) return full;
  const room = MAX_SUBJECT_LENGTH - prefix.length - '...'.length;
  let cut = title.slice(0, room + 1);
  const space = cut.lastIndexOf(' ');
  // Cut at the last space if that keeps most of the room; a very long word is cut where it must be.
  cut = space > room / 2 ? cut.slice(0, space) : cut.slice(0, room);
  cut = cut.replace(/[\s,;:.\-([{'"]+$/u, '');
  return `${prefix}${cut}...`;
}
