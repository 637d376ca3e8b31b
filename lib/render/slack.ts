import type { Alert } from '../alerts/alert.ts';
import type { Severity } from '../classify/verdict.ts';
import { formatTime, slackText } from './text.ts';
import { bareTitle, containerViews, factViews, isResolved, linkViews, statusWord, type FactKey, type LinkView } from './view.ts';

// Block Kit limits, from Slack's reference pages:
/** Header block: `text` is plain_text of at most 150 characters. https://docs.slack.dev/reference/block-kit/blocks/header-block */
export const MAX_HEADER_TEXT = 150;
/** Section block: `text` at most 3000 characters. https://docs.slack.dev/reference/block-kit/blocks/section-block */
export const MAX_SECTION_TEXT = 3000;
/** Section block: at most 10 `fields`, each at most 2000 characters. (same page) */
export const MAX_FIELDS = 10;
export const MAX_FIELD_TEXT = 2000;
/** Context block: at most 10 elements. https://docs.slack.dev/reference/block-kit/blocks/context-block */
export const MAX_CONTEXT_ELEMENTS = 10;
/**
 * Actions block: Slack's reference now allows 25 elements (https://docs.slack.dev/reference/block-kit/blocks/actions-block;
 * it used to be 5); we keep to 5 per block, which every client lays out on one or two rows.
 */
export const MAX_ACTIONS_PER_BLOCK = 5;
/** Button: `text` at most 75 characters, `url` at most 3000. https://docs.slack.dev/reference/block-kit/block-elements/button-element */
export const MAX_BUTTON_TEXT = 75;
export const MAX_BUTTON_URL = 3000;
/** A message holds at most 50 blocks. https://api.slack.com/reference/block-kit/blocks */
export const MAX_BLOCKS = 50;
/** The notification fallback (`text`): short, it is what a phone or desktop notification shows. */
export const MAX_FALLBACK_TEXT = 300;

export interface PlainText {
  type: 'plain_text';
  text: string;
  emoji?: boolean;
}

export interface Mrkdwn {
  type: 'mrkdwn';
  text: string;
}

export interface HeaderBlock {
  type: 'header';
  text: PlainText;
}

export interface SectionBlock {
  type: 'section';
  text?: Mrkdwn;
  fields?: Mrkdwn[];
}

export interface ContextBlock {
  type: 'context';
  elements: Mrkdwn[];
}

export interface ButtonElement {
  type: 'button';
  action_id: string;
  text: PlainText;
  url: string;
}

export interface ActionsBlock {
  type: 'actions';
  elements: ButtonElement[];
}

export type Block = HeaderBlock | SectionBlock | ContextBlock | ActionsBlock;

/**
 * An incoming-webhook payload: `text` is the notification fallback, the blocks sit in one attachment so the message
 * gets a colour bar for its severity.
 */
export interface SlackMessage {
  text: string;
  attachments: [{ color: string; blocks: Block[] }];
}

export const SLACK_COLORS: Record<Severity | 'resolved', string> = {
  critical: '#d32f2f',
  warning: '#f9a825',
  info: '#9e9e9e',
  resolved: '#2e7d32',
};

const EMOJI: Record<Severity | 'resolved', string> = {
  critical: '🚨',
  warning: '⚠️',
  info: 'ℹ️',
  resolved: '✅',
};

/**
 * The facts shown as fields, most useful first; the reason gets its own section next to the containers (it can be
 * long), and a fact beyond the tenth field is left out (it is still in the email).
 */
const FIELD_ORDER: readonly FactKey[] = [
  'cluster',
  'service',
  'task',
  'firing',
  'events',
  'tasks',
  'serviceTasks',
  'owner',
  'resolvedAt',
  'fired',
  'taskDefinition',
  'deployment',
  'stopCode',
  'containerInstance',
  'ec2Instance',
  'capacity',
  'runbook',
  'taskMemory',
  'account',
  'region',
  'time',
];

/**
 * An alert as a Slack message: header, summary with why and what to do, facts as fields, reason and containers,
 * a context line with the time, kind and alert key, and link buttons. Every piece of text from the alert is escaped
 * for Slack and bounded to the Block Kit limits above.
 *
 * @example await fetch(webhookUrl, { method: 'POST', body: JSON.stringify(renderSlack(alert)) });
 */
export function renderSlack(alert: Alert): SlackMessage {
  const resolved = isResolved(alert);
  const tone = resolved ? 'resolved' : alert.severity;
  const blocks: Block[] = [
    {
      // plain_text is escaped too: Slack decodes &amp; &lt; &gt; in every text object, and escaping everything the
      // same way means no path of untrusted text into the payload is left raw.
      type: 'header',
      text: { type: 'plain_text', text: slackText(`${EMOJI[tone]} ${resolved ? 'Resolved: ' : ''}${bareTitle(alert)}`, MAX_HEADER_TEXT), emoji: true },
    },
  ];

  const intro = [
    slackText(alert.summary, 1000),
    labelled('Why', alert.facts.cause, 1000),
    resolved ? '' : labelled('What to do', alert.facts.remedy, 900),
  ].filter((part) => part !== '');
  if (intro.length > 0) blocks.push(section(intro.join('\n\n')));

  const facts = factViews(alert);
  const fields = FIELD_ORDER.flatMap((key) => facts.filter((row) => row.key === key))
    .slice(0, MAX_FIELDS)
    .map((row): Mrkdwn => ({ type: 'mrkdwn', text: field(row.label, row.lines) }));
  if (fields.length > 0) blocks.push({ type: 'section', fields });

  const reason = facts.find((row) => row.key === 'reason');
  const reasonLine = reason === undefined ? '' : labelled('Reason', reason.lines.join(' '), 1000);
  const details = [reasonLine, containerLines(alert, MAX_SECTION_TEXT - reasonLine.length - 1)].filter((part) => part !== '');
  if (details.length > 0) blocks.push(section(details.join('\n')));
  blocks.push(...logSections(alert));

  const context: Mrkdwn[] = [{ type: 'mrkdwn', text: slackText(`${formatTime(alert.time)} · ${kindWords(alert)} · key ${alert.key}`, MAX_SECTION_TEXT) }];
  if (!alert.enriched) context.push({ type: 'mrkdwn', text: 'Some facts or links may be missing: the ECS API did not answer a lookup (task definition, service or instance).' });
  blocks.push({ type: 'context', elements: context.slice(0, MAX_CONTEXT_ELEMENTS) });

  const buttons = linkViews(alert)
    .filter((link) => link.kind !== 'logs' || failedLogs(alert).has(link.url))
    .filter((link) => link.url.length <= MAX_BUTTON_URL)
    .map(button);
  for (let start = 0; start < buttons.length; start += MAX_ACTIONS_PER_BLOCK) {
    blocks.push({ type: 'actions', elements: buttons.slice(start, start + MAX_ACTIONS_PER_BLOCK) });
  }

  const fallback = slackText(`${EMOJI[tone]} [${statusWord(alert)}] ${bareTitle(alert)}`, MAX_FALLBACK_TEXT);
  return { text: fallback, attachments: [{ color: SLACK_COLORS[tone], blocks: blocks.slice(0, MAX_BLOCKS) }] };
}

function section(text: string): SectionBlock {
  return { type: 'section', text: { type: 'mrkdwn', text } };
}

/** `*Why:* text`, or nothing when the text is empty. */
function labelled(label: string, text: string, max: number): string {
  const body = slackText(text, max);
  return body === '' ? '' : `*${label}:* ${body}`;
}

/** `*Label*\nvalue`, one line per item of a list, within a field's 2000 characters however long the list. */
function field(label: string, lines: readonly string[]): string {
  const head = `*${label}*\n`;
  const room = MAX_FIELD_TEXT - head.length - '\n…'.length;
  let body = '';
  for (const line of lines) {
    const next = `${body === '' ? '' : `${body}\n`}${slackText(line, room)}`;
    if (next.length > room) {
      body = `${body}\n…`;
      break;
    }
    body = next;
  }
  return `${head}${body}`;
}

/** At most this many containers are listed (a task definition holds at most 10). */
const MAX_CONTAINER_LINES = 20;

/**
 * `*Containers:*` then one line per container, all within `room` characters: each line gets an equal share, so ten
 * containers with 1,000-character reasons still fit a section.
 */
function containerLines(alert: Alert, room: number): string {
  const containers = containerViews(alert);
  if (containers.length === 0) return '';
  const shown = containers.slice(0, MAX_CONTAINER_LINES);
  const more = containers.length > shown.length ? `\n• … and ${containers.length - shown.length} more` : '';
  const head = '*Containers:*';
  const each = Math.floor((room - head.length - more.length) / shown.length) - '\n• '.length;
  const lines = shown.map((container) => {
    const reason = container.reason === null ? '' : `; reason: ${container.reason}`;
    const image = container.image === null ? '' : `; image ${container.image}`;
    const memory = container.memory === null ? '' : `; memory ${container.memory}`;
    return `• ${slackText(`${container.heading}: ${container.outcome}${reason}${memory}${image}`, each)}`;
  });
  return `${head}\n${lines.join('\n')}${more}`;
}

/**
 * One section per container with log lines: `*Last log lines (name):*` and the lines in a code block, newest last,
 * escaped for Slack and within a section's 3000 characters (the oldest lines go first when they do not fit).
 * Backticks become `ˋ` so a line cannot close the code block. A container whose lines are missing gets the one-line
 * reason instead.
 */
function logSections(alert: Alert): SectionBlock[] {
  return containerViews(alert).flatMap((container): SectionBlock[] => {
    if (container.logsMissing !== null) return [section(slackText(container.logsMissing, 1000))];
    if (container.logLines.length === 0) return [];
    const head = `*Last log lines (${slackText(container.name, 60)}):*\n\`\`\`\n`;
    const tail = '\n```';
    const lines = container.logLines.map((line) => slackText(line.replace(/`/gu, 'ˋ'), 500) || ' ');
    while (lines.length > 1 && head.length + lines.join('\n').length + tail.length > MAX_SECTION_TEXT) lines.shift();
    return [section(`${head}${lines.join('\n')}${tail}`.slice(0, MAX_SECTION_TEXT))];
  });
}

/** Logs buttons are for the containers that failed; the others' logs are one click away in the task. */
function failedLogs(alert: Alert): Set<string> {
  return new Set(containerViews(alert).flatMap((container) => (container.failed && container.logsUrl !== null ? [container.logsUrl] : [])));
}

function button(link: LinkView, index: number): ButtonElement {
  const words: Record<LinkView['kind'], string> = {
    task: 'Open task',
    service: 'Open service',
    logs: link.label,
    runbook: 'Runbook',
    instance: 'Open EC2 instance',
    cluster: 'Open cluster',
    docs: 'AWS docs',
  };
  return {
    type: 'button',
    // Unique within the message; Slack requires it to be at most 255 characters.
    action_id: `${link.kind}-${index}`,
    text: { type: 'plain_text', text: slackText(words[link.kind], MAX_BUTTON_TEXT), emoji: true },
    url: link.url,
  };
}

function kindWords(alert: Alert): string {
  if (isResolved(alert)) return 'resolved';
  if (alert.kind === 'follow-up') return 'follow-up';
  if (alert.kind === 'repeat') return 'still firing';
  if (alert.kind === 'deployment') return 'deployment notice';
  return 'new alert';
}
