import type { Alert } from '../alerts/alert.ts';
import type { Severity } from '../classify/verdict.ts';
import { bound, fact, inert, slackEscape, slackText } from './text.ts';
import { bareTitle, containerViews, factViews, isResolved, linkViews, statusWord } from './view.ts';

/**
 * A custom notification of Amazon Q Developer in chat applications (formerly AWS Chatbot), published to the SNS
 * topic that Amazon Q watches, so people who route SNS to Slack or Teams through it see the same content.
 * Schema: https://docs.aws.amazon.com/chatbot/latest/adminguide/custom-notifs.html
 */
export interface AmazonQNotification {
  /** Must be `1.0`. */
  version: '1.0';
  /** Must be `custom`. */
  source: 'custom';
  /** Unique event identifier (optional in the schema): the alert's message id. */
  id?: string;
  content: {
    /** Only `client-markdown` is supported: rendered in the chat platform's own markdown. */
    textType: 'client-markdown';
    title: string;
    description: string;
    nextSteps?: string[];
    keywords?: string[];
  };
  metadata: {
    /** Notifications with the same threadId are threaded together (when the channel allows threads). */
    threadId: string;
    summary: string;
    eventType: string;
    relatedResources: string[];
    additionalContext: Record<string, string>;
  };
}

// The schema page documents no length limits for these fields; the whole SNS message may be 256 KB
// (https://docs.aws.amazon.com/sns/latest/api/API_Publish.html). Amazon Q shows the notification in Slack or Teams,
// so we keep each part within what one Slack block takes (header 150 characters, section 3000): our own bounds,
// chosen so nothing is cut by the chat platform instead.
export const MAX_TITLE = 150;
export const MAX_DESCRIPTION = 3000;
export const MAX_NEXT_STEP = 1000;
export const MAX_NEXT_STEPS = 5;
export const MAX_KEYWORD = 50;
export const MAX_KEYWORDS = 10;
export const MAX_SUMMARY = 250;
export const MAX_CONTEXT_VALUE = 1000;

const EMOJI: Record<Severity | 'resolved', string> = {
  critical: '🚨',
  warning: '⚠️',
  info: 'ℹ️',
  resolved: '✅',
};

/**
 * Untrusted text for client-markdown. The docs write it in Slack's markup (`*bold*`, `<url|text>`), so `&`, `<`
 * and `>` are escaped as for Slack (https://api.slack.com/reference/surfaces/formatting#escaping). Their samples
 * also write plain `@name` mentions, which Amazon Q may turn into real ones, so an `@` before a word gets an
 * invisible word joiner (U+2060): `@channel` still reads the same but no longer mentions anyone.
 */
function chatText(text: string, max: number): string {
  return slackText(inert(text).replace(/@(?=\w)/gu, '@\u2060'), max);
}

/**
 * An alert as an Amazon Q custom notification: title, description with why, the facts, containers and links,
 * the remedy and logs as next steps; threaded by the alert key so a group's messages stay together.
 *
 * @example await sns.send(new PublishCommand({ TopicArn, Message: JSON.stringify(renderAmazonQ(alert)) }));
 */
export function renderAmazonQ(alert: Alert): AmazonQNotification {
  const resolved = isResolved(alert);
  const tone = resolved ? 'resolved' : alert.severity;
  const title = `${EMOJI[tone]} ${resolved ? 'Resolved: ' : `[${statusWord(alert)}] `}${chatText(bareTitle(alert), MAX_TITLE - 20)}`;

  const nextSteps = resolved
    ? []
    : [
        chatText(alert.facts.remedy, MAX_NEXT_STEP),
        ...containerViews(alert)
          .filter((container) => container.failed && container.logsUrl !== null)
          .map((container) => `Read the logs of ${chatText(container.name, 100)}: ${link(container.logsUrl ?? '', 'CloudWatch Logs')}`),
      ]
        .filter((step) => step !== '')
        .slice(0, MAX_NEXT_STEPS);

  const keywords = [statusWord(alert), alert.category, alert.facts.cluster, alert.facts.service, alert.spot ? 'spot' : null]
    .flatMap((word) => (word === null ? [] : [chatText(word, MAX_KEYWORD)]))
    .filter((word) => word !== '')
    .slice(0, MAX_KEYWORDS);

  return {
    version: '1.0',
    source: 'custom',
    id: alert.id,
    content: {
      textType: 'client-markdown',
      title,
      description: description(alert),
      ...(nextSteps.length > 0 ? { nextSteps } : {}),
      keywords,
    },
    metadata: {
      // The key is deterministic per group, so a new alert, its follow-up, repeats and the resolved notice thread.
      threadId: alert.key,
      summary: chatText(`[${statusWord(alert)}] ${bareTitle(alert)}`, MAX_SUMMARY),
      // Kept to letters, digits and hyphens: the pattern Amazon Q custom actions use to match a notification type.
      eventType: `ecs-${alert.category.replace(/_/gu, '-')}`,
      relatedResources: [alert.facts.taskArn, alert.facts.containerInstanceArn, alert.facts.ec2InstanceId]
        .flatMap((resource) => (resource === null ? [] : [fact(resource)]))
        .filter((resource) => resource !== ''),
      additionalContext: additionalContext(alert),
    },
  };
}

/**
 * Summary, why, the facts, the containers, then the links. The links are kept whole; the parts before them are
 * added in order while they fit MAX_DESCRIPTION, so an enormous alert loses its last containers, never its links.
 */
function description(alert: Alert): string {
  // Links take at most half the description; one that would not fit (a URL of thousands of characters) is left out.
  let linksLine = '';
  for (const view of linkViews(alert)) {
    const next = `${linksLine === '' ? '*Links:* ' : `${linksLine} · `}${link(view.url, chatText(view.label, 80))}`;
    if (next.length <= MAX_DESCRIPTION / 2) linksLine = next;
  }
  const room = MAX_DESCRIPTION - linksLine.length - 2;

  const cause = chatText(alert.facts.cause, 600);
  const paragraphs = [chatText(alert.summary, 600), cause === '' ? '' : `*Why:* ${cause}`].filter((text) => text !== '');
  const lines = factViews(alert).map((row) => `*${row.label}:* ${chatText(row.lines.join(', '), 700)}`);
  const containers = containerViews(alert);
  if (containers.length > 0) lines.push('*Containers:*');
  for (const container of containers) {
    const reason = container.reason === null ? '' : `; reason: ${container.reason}`;
    lines.push(`• ${chatText(`${container.heading}: ${container.outcome}${reason}`, 400)}`);
  }
  if (!alert.enriched) lines.push('_Some facts or links may be missing: the ECS API did not answer a lookup (task definition, service or instance)._');
  // Summary and why are paragraphs; the facts and containers follow one per line.
  const parts = [
    ...paragraphs.map((text) => ({ text, separator: '\n\n' })),
    ...lines.map((text, index) => ({ text, separator: index === 0 ? '\n\n' : '\n' })),
  ];

  let text = '';
  for (const part of parts) {
    const separator = text === '' ? '' : part.separator;
    if (text.length + separator.length + part.text.length > room) break;
    text += `${separator}${part.text}`;
  }
  return [text, linksLine].filter((part) => part !== '').join('\n\n');
}

/** `<url|label>` with the url as safeUrl left it (no `<`, `>`, `|`), its `&` escaped like any other text. */
function link(url: string, label: string): string {
  return `<${slackEscape(url)}|${label}>`;
}

function additionalContext(alert: Alert): Record<string, string> {
  const context: Record<string, string> = {};
  const entries: [string, string | null][] = [
    ['alertKey', alert.key],
    ['alertId', alert.id],
    ['kind', alert.kind],
    ['status', alert.status],
    ['severity', alert.severity],
    ['category', alert.category],
    ['account', alert.facts.account],
    ['region', alert.facts.region],
    ['cluster', alert.facts.cluster],
    ['service', alert.facts.service],
    ['time', alert.time],
  ];
  for (const [key, value] of entries) {
    if (value !== null && value !== '') context[key] = bound(inert(value), MAX_CONTEXT_VALUE);
  }
  return context;
}
