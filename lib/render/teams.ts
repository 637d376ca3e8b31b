import type { Alert } from '../alerts/alert.ts';
import type { Severity } from '../classify/verdict.ts';
import { bound, formatTime, teamsText } from './text.ts';
import { bareTitle, containerViews, factViews, isResolved, linkViews, statusWord, type ContainerView, type FactView, type LinkView } from './view.ts';

/**
 * The card's schema version. Teams renders Adaptive Cards up to 1.5
 * (https://learn.microsoft.com/en-us/microsoft-copilot-studio/guidance/adaptive-cards-overview: "Teams is also
 * limited to version 1.5"), but a client shows only a fallback for a card newer than it knows, and the Workflows
 * flow bot and older mobile clients are not all on 1.5. Everything this card uses (Container styles, `bleed`,
 * ActionSet, monospace text) exists since 1.2, so 1.4 costs nothing and reaches the most clients.
 */
export const ADAPTIVE_CARD_VERSION = '1.4';

/**
 * Teams refuses a message over 28 KB (https://learn.microsoft.com/en-us/microsoftteams/platform/webhooks-and-connectors/how-to/add-incoming-webhook:
 * "The message size limit is 28 KB").
 */
export const MAX_MESSAGE_BYTES = 28 * 1024;
/** What we allow ourselves: the flow posts the card inside a message of its own, so keep some room below the limit. */
export const MESSAGE_BUDGET_BYTES = 26 * 1024;
/**
 * At most this many buttons per ActionSet: the Adaptive Cards host config's default `actions.maxActions`
 * (https://learn.microsoft.com/en-us/adaptive-cards/rendering-cards/host-config); a host may cut the others.
 */
export const MAX_ACTIONS_PER_SET = 5;
/** At most this many link buttons in all (two rows). */
export const MAX_ACTIONS = 10;
/** A link longer than this gets no button (our bound: console links are a few hundred characters). */
export const MAX_ACTION_URL = 2048;
/** A button's title is cut to this (our bound, as Slack's 75). */
export const MAX_ACTION_TITLE = 75;
/** The title line is cut to this (our bound: Teams documents none; Slack's header takes 150). */
export const MAX_TITLE_TEXT = 200;
/** The line at the foot with the time, the kind and the alert key. */
export const MAX_FOOTER_TEXT = 400;
/** At most this many containers are listed (a task definition holds at most 10). */
export const MAX_CONTAINER_LINES = 20;

export type ContainerStyle = 'default' | 'emphasis' | 'good' | 'attention' | 'warning' | 'accent';
export type TextColor = 'Default' | 'Dark' | 'Light' | 'Accent' | 'Good' | 'Warning' | 'Attention';

export interface TextBlock {
  type: 'TextBlock';
  text: string;
  wrap: true;
  size?: 'Small' | 'Medium' | 'Large';
  weight?: 'Bolder';
  color?: TextColor;
  isSubtle?: true;
  fontType?: 'Monospace';
  spacing?: 'None' | 'Small' | 'Medium';
}

export interface Container {
  type: 'Container';
  items: CardElement[];
  style?: ContainerStyle;
  bleed?: true;
  spacing?: 'None' | 'Small' | 'Medium';
}

export interface Fact {
  title: string;
  value: string;
}

export interface FactSet {
  type: 'FactSet';
  facts: Fact[];
}

export interface OpenUrlAction {
  type: 'Action.OpenUrl';
  title: string;
  url: string;
}

export interface ActionSet {
  type: 'ActionSet';
  actions: OpenUrlAction[];
}

export type CardElement = TextBlock | Container | FactSet | ActionSet;

export interface AdaptiveCard {
  type: 'AdaptiveCard';
  $schema: 'http://adaptivecards.io/schemas/adaptive-card.json';
  version: typeof ADAPTIVE_CARD_VERSION;
  /** Teams' own extension: use the whole width of the channel. */
  msteams: { width: 'Full' };
  body: CardElement[];
}

/**
 * What a Teams Workflows flow "Post to a channel when a webhook request is received" expects: a message whose first
 * attachment is the Adaptive Card, which the flow posts as the Flow bot.
 * https://learn.microsoft.com/en-us/microsoftteams/platform/webhooks-and-connectors/how-to/connectors-using#send-adaptive-cards-using-an-incoming-webhook
 */
export interface TeamsMessage {
  type: 'message';
  attachments: [{ contentType: 'application/vnd.microsoft.card.adaptive'; contentUrl: null; content: AdaptiveCard }];
}

type Tone = Severity | 'resolved';

/** The band at the top of the card: red for critical, amber for warning, green for resolved, blue for information. */
export const TEAMS_STYLES: Record<Tone, ContainerStyle> = {
  critical: 'attention',
  warning: 'warning',
  info: 'accent',
  resolved: 'good',
};

const COLORS: Record<Tone, TextColor> = {
  critical: 'Attention',
  warning: 'Warning',
  info: 'Accent',
  resolved: 'Good',
};

const EMOJI: Record<Tone, string> = {
  critical: '🚨',
  warning: '⚠️',
  info: 'ℹ️',
  resolved: '✅',
};

/**
 * How much of each text a card holds. The first level is the whole card; when a card of hostile or very long text
 * would pass the byte budget, the next level cuts texts shorter, then drops the log lines, and the last keeps only
 * the title, the summary, why, what to do, the footer and three links, which always fits.
 */
interface Level {
  text: number;
  fact: number;
  container: number;
  logChars: number;
  details: boolean;
  actions: number;
}

const FULL: Level = { text: 1000, fact: 1000, container: 600, logChars: 3000, details: true, actions: MAX_ACTIONS };
const SHORTER: Level = { text: 500, fact: 300, container: 300, logChars: 1500, details: true, actions: MAX_ACTIONS };
const SHORT: Level = { text: 250, fact: 120, container: 150, logChars: 0, details: true, actions: MAX_ACTIONS };
/**
 * Under 12 KB whatever the alert: three texts of 250 code units, the title of 200 and the footer of 400 (at worst 3
 * UTF-8 bytes each), three links of at most 2,048, and the card's structure.
 */
const MINIMAL: Level = { text: 250, fact: 0, container: 0, logChars: 0, details: false, actions: 3 };

/**
 * An alert as a Teams message for a Workflows webhook: an Adaptive Card with a band in the severity's colour (title
 * and status), the summary with why and what to do, the facts as a FactSet, the reason, the containers and their
 * last log lines, a footer with the time, kind and alert key, and link buttons. Every piece of text from the alert is
 * escaped for Teams markdown (`teamsText`), and the message stays within MESSAGE_BUDGET_BYTES.
 *
 * @example await fetch(workflowUrl, { method: 'POST', body: JSON.stringify(renderTeams(alert)) });
 */
export function renderTeams(alert: Alert): TeamsMessage {
  const views: Views = { facts: factViews(alert), containers: containerViews(alert), links: linkViews(alert) };
  for (const level of [FULL, SHORTER, SHORT]) {
    const message = envelope(card(alert, views, level));
    if (messageBytes(message) <= MESSAGE_BUDGET_BYTES) return message;
  }
  return envelope(card(alert, views, MINIMAL));
}

/** What the card shows of the alert, worked out once for every level. */
interface Views {
  facts: FactView[];
  containers: ContainerView[];
  links: LinkView[];
}

/** The size Teams counts: the UTF-8 bytes of the JSON posted. */
export function messageBytes(message: TeamsMessage): number {
  return Buffer.byteLength(JSON.stringify(message), 'utf8');
}

function envelope(content: AdaptiveCard): TeamsMessage {
  return { type: 'message', attachments: [{ contentType: 'application/vnd.microsoft.card.adaptive', contentUrl: null, content }] };
}

function card(alert: Alert, views: Views, level: Level): AdaptiveCard {
  const resolved = isResolved(alert);
  const tone: Tone = resolved ? 'resolved' : alert.severity;
  const body: CardElement[] = [
    {
      type: 'Container',
      style: TEAMS_STYLES[tone],
      bleed: true,
      items: [
        text(`${EMOJI[tone]} ${resolved ? 'Resolved: ' : ''}${teamsText(bareTitle(alert), MAX_TITLE_TEXT)}`, { size: 'Large', weight: 'Bolder' }),
        text(`${statusWord(alert)} · ${kindWords(alert)}`, { size: 'Small', weight: 'Bolder', color: COLORS[tone], spacing: 'None' }),
      ],
    },
  ];

  const summary = teamsText(alert.summary, level.text);
  if (summary !== '') body.push(text(summary));
  const why = labelled('Why', alert.facts.cause, level.text);
  if (why !== '') body.push(text(why));
  const remedy = resolved ? '' : labelled('What to do', alert.facts.remedy, level.text);
  if (remedy !== '') body.push(text(remedy));

  if (level.details) body.push(...details(views, level));

  const footer = teamsText(`${formatTime(alert.time)} · ${kindWords(alert)} · key ${alert.key}`, MAX_FOOTER_TEXT);
  body.push(text(footer, { size: 'Small', isSubtle: true, spacing: 'Medium' }));
  if (!alert.enriched) {
    const note = 'Some facts or links may be missing: the ECS API did not answer a lookup (task definition, service or instance).';
    body.push(text(note, { size: 'Small', isSubtle: true, spacing: 'None' }));
  }

  // Logs buttons are for the containers that failed; the others' logs are one click away in the task.
  const failed = new Set(views.containers.flatMap((container) => (container.failed && container.logsUrl !== null ? [container.logsUrl] : [])));
  const actions = views.links
    .filter((link) => link.kind !== 'logs' || failed.has(link.url))
    .filter((link) => link.url.length <= MAX_ACTION_URL)
    .slice(0, level.actions)
    .map(action);
  for (let start = 0; start < actions.length; start += MAX_ACTIONS_PER_SET) {
    body.push({ type: 'ActionSet', actions: actions.slice(start, start + MAX_ACTIONS_PER_SET) });
  }

  return {
    type: 'AdaptiveCard',
    $schema: 'http://adaptivecards.io/schemas/adaptive-card.json',
    version: ADAPTIVE_CARD_VERSION,
    msteams: { width: 'Full' },
    body,
  };
}

/** The facts, the reason, the containers and their log lines. */
function details(views: Views, level: Level): CardElement[] {
  const elements: CardElement[] = [];
  const rows = views.facts;
  // The reason can be long: it gets a line of its own below the facts, as in Slack.
  const facts = rows
    .filter((row) => row.key !== 'reason')
    .map((row): Fact => ({ title: row.label, value: row.lines.map((line) => teamsText(line, level.fact)).join(', ') }))
    .filter((row) => row.value !== '');
  if (facts.length > 0) elements.push({ type: 'FactSet', facts });

  const reason = rows.find((row) => row.key === 'reason');
  if (reason !== undefined) {
    const line = labelled('Reason', reason.lines.join(' '), level.text);
    if (line !== '') elements.push(text(line));
  }

  const containers = views.containers;
  if (containers.length > 0) {
    const shown = containers.slice(0, MAX_CONTAINER_LINES);
    const lines = shown.map((container) => text(`• ${containerLine(container, level.container)}`, { spacing: 'None' }));
    const items: CardElement[] = [text('**Containers:**'), ...lines];
    if (containers.length > shown.length) items.push(text(`• … and ${containers.length - shown.length} more`, { spacing: 'None' }));
    elements.push({ type: 'Container', items });
  }

  if (level.logChars > 0) elements.push(...containers.flatMap((container) => logLines(container, level.logChars)));
  return elements;
}

/** `orders-api (essential): exit 137 — …; reason: …; memory …; image …`, escaped and cut to `max`. */
function containerLine(container: ContainerView, max: number): string {
  const reason = container.reason === null ? '' : `; reason: ${container.reason}`;
  const memory = container.memory === null ? '' : `; memory ${container.memory}`;
  const image = container.image === null ? '' : `; image ${container.image}`;
  return teamsText(`${container.heading}: ${container.outcome}${reason}${memory}${image}`, max);
}

/**
 * The last log lines of a container, one monospace line each, newest last, within `maxChars` (the oldest go first
 * when they do not fit); or the one-line reason they are missing. Teams markdown has no code block, so each line is
 * escaped like any other text.
 */
function logLines(container: ContainerView, maxChars: number): CardElement[] {
  if (container.logsMissing !== null) return [text(teamsText(container.logsMissing, 1000), { size: 'Small', isSubtle: true })];
  const lines = container.logLines.map((line) => teamsText(line, 500)).filter((line) => line !== '');
  if (lines.length === 0) return [];
  let total = lines.reduce((sum, line) => sum + line.length, 0);
  while (lines.length > 1 && total > maxChars) total -= lines.shift()?.length ?? 0;
  return [
    {
      type: 'Container',
      items: [
        text(`**Last log lines (${teamsText(container.name, 60)}):**`),
        ...lines.map((line) => text(line, { fontType: 'Monospace', size: 'Small', spacing: 'None' })),
      ],
    },
  ];
}

/** `**Why:** text`, or nothing when the text is empty. */
function labelled(label: string, value: string, max: number): string {
  const body = teamsText(value, max);
  return body === '' ? '' : `**${label}:** ${body}`;
}

function text(value: string, style: Omit<TextBlock, 'type' | 'text' | 'wrap'> = {}): TextBlock {
  return { type: 'TextBlock', text: value, wrap: true, ...style };
}

const ACTION_WORDS: Record<Exclude<LinkView['kind'], 'logs'>, string> = {
  task: 'Open task',
  service: 'Open service',
  runbook: 'Runbook',
  instance: 'Open EC2 instance',
  cluster: 'Open cluster',
  docs: 'AWS docs',
};

/** A button; its title is plain text (no markdown in action titles), inert and bounded by `linkViews`. */
function action(link: LinkView): OpenUrlAction {
  const title = link.kind === 'logs' ? link.label : ACTION_WORDS[link.kind];
  return { type: 'Action.OpenUrl', title: bound(title, MAX_ACTION_TITLE), url: link.url };
}

function kindWords(alert: Alert): string {
  if (isResolved(alert)) return 'resolved';
  if (alert.kind === 'follow-up') return 'follow-up';
  if (alert.kind === 'repeat') return 'still firing';
  if (alert.kind === 'deployment') return 'deployment notice';
  return 'new alert';
}
