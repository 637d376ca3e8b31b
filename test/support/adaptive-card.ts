import { createRequire } from 'node:module';

// Microsoft's Adaptive Cards object model (the `adaptivecards` package) as a validator. Its ESM build (`lib/`) does
// not load under Node, so the UMD bundle is required; it needs no DOM to parse and validate.

interface ValidationEvent {
  event: number;
  message: string;
}

interface SerializationContext {
  readonly eventCount: number;
  getEventAt(index: number): ValidationEvent;
}

interface AdaptiveCardModel {
  parse(json: unknown, context: SerializationContext): void;
  validateProperties(): { validationEvents: ValidationEvent[] };
  toJSON(context: SerializationContext): unknown;
}

interface AdaptiveCards {
  AdaptiveCard: new () => AdaptiveCardModel;
  SerializationContext: new (targetVersion?: unknown) => SerializationContext;
  Version: { parse(text: string, context: SerializationContext): { isValid: boolean } | undefined };
  ValidationEvent: Record<number, string>;
}

const cards = createRequire(import.meta.url)('adaptivecards/dist/adaptivecards.js') as AdaptiveCards;

/** The newest schema version Teams renders (https://learn.microsoft.com/en-us/microsoft-copilot-studio/guidance/adaptive-cards-overview). */
const TEAMS_MAX_VERSION = [1, 5] as const;

/** Host extensions the object model does not know but Teams reads, by where they may appear. */
const HOST_EXTENSIONS = new Set(['$.msteams']);

/**
 * Every problem Microsoft's object model finds in `card`, read as a card of the version it declares: invalid
 * values, unknown elements and actions (an element newer than the declared version counts as unknown), missing
 * required properties, an unsupported version; plus what the model does not report itself: a property it does not
 * know (found by serializing the parsed card back and comparing), and a version newer than Teams renders. Empty for
 * a valid card.
 */
export function adaptiveCardProblems(card: unknown): string[] {
  const problems: string[] = [];
  const declared = isRecord(card) && typeof card.version === 'string' ? card.version : null;
  if (declared === null) problems.push('$.version: missing');
  const versionContext = new cards.SerializationContext();
  const version = declared === null ? undefined : cards.Version.parse(declared, versionContext);
  if (declared !== null && (version === undefined || !version.isValid)) problems.push(`$.version: not a version: ${declared}`);
  if (declared !== null && newerThanTeams(declared)) problems.push(`$.version: ${declared} is newer than Teams renders (1.5)`);

  const context = new cards.SerializationContext(version?.isValid === true ? version : undefined);
  const model = new cards.AdaptiveCard();
  model.parse(card, context);
  for (let index = 0; index < context.eventCount; index += 1) {
    const event = context.getEventAt(index);
    problems.push(`parse: ${cards.ValidationEvent[event.event] ?? event.event}: ${event.message}`);
  }
  for (const event of model.validateProperties().validationEvents) {
    problems.push(`validate: ${cards.ValidationEvent[event.event] ?? event.event}: ${event.message}`);
  }
  const back = model.toJSON(new cards.SerializationContext(version?.isValid === true ? version : undefined));
  problems.push(...dropped(card, back, '$'));
  return problems;
}

function newerThanTeams(version: string): boolean {
  const [major, minor] = version.split('.').map(Number);
  if (major === undefined || minor === undefined || Number.isNaN(major) || Number.isNaN(minor)) return false;
  return major > TEAMS_MAX_VERSION[0] || (major === TEAMS_MAX_VERSION[0] && minor > TEAMS_MAX_VERSION[1]);
}

/** What of `input` did not survive a parse and serialize: unknown properties, values the model changed. */
function dropped(input: unknown, output: unknown, path: string): string[] {
  if (Array.isArray(input)) {
    if (!Array.isArray(output)) return [`${path}: not understood`];
    const extra = input.length === output.length ? [] : [`${path}: ${input.length} items became ${output.length}`];
    return [...extra, ...input.flatMap((item, index) => dropped(item, output[index], `${path}[${index}]`))];
  }
  if (isRecord(input)) {
    if (!isRecord(output)) return [`${path}: not understood`];
    return Object.entries(input).flatMap(([key, value]) => {
      const child = `${path}.${key}`;
      if (HOST_EXTENSIONS.has(child)) return [];
      if (!(key in output)) return [`${child}: dropped by the object model (an unknown property, an invalid value, or a default that need not be sent)`];
      return dropped(value, output[key], child);
    });
  }
  return input === output ? [] : [`${path}: ${JSON.stringify(input)} became ${JSON.stringify(output)}`];
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Where a text sits in a card, and the text: what people read (markdown in TextBlocks and facts; plain in buttons). */
export interface CardText {
  where: 'TextBlock' | 'Fact.title' | 'Fact.value' | 'Action.title';
  text: string;
}

/** Every text of a card, in reading order: TextBlocks, fact titles and values, button titles, inside containers too. */
export function cardTexts(card: { body: readonly unknown[] }): CardText[] {
  const out: CardText[] = [];
  const walk = (element: unknown): void => {
    if (!isRecord(element)) return;
    if (element.type === 'TextBlock' && typeof element.text === 'string') out.push({ where: 'TextBlock', text: element.text });
    if (element.type === 'FactSet' && Array.isArray(element.facts)) {
      for (const fact of element.facts) {
        if (isRecord(fact) && typeof fact.title === 'string') out.push({ where: 'Fact.title', text: fact.title });
        if (isRecord(fact) && typeof fact.value === 'string') out.push({ where: 'Fact.value', text: fact.value });
      }
    }
    if (element.type === 'Container' && Array.isArray(element.items)) element.items.forEach(walk);
    if (element.type === 'ActionSet' && Array.isArray(element.actions)) {
      for (const action of element.actions) if (isRecord(action) && typeof action.title === 'string') out.push({ where: 'Action.title', text: action.title });
    }
  };
  card.body.forEach(walk);
  return out;
}

/**
 * The Teams markdown in `text` that is not escaped: `*`, `_`, `~`, backticks, brackets and `<`/`>` without a backslash
 * before them, and a line that starts a heading, a list or a quote. Our own `**Label:**` at the start is allowed.
 */
export function unescapedMarkdown(text: string): string[] {
  const body = text.replace(/^\*\*(?:[^*\\]|\\.)*?:\*\* ?/u, '');
  const found: string[] = [];
  for (let index = 0; index < body.length; index += 1) {
    const char = body[index] ?? '';
    if (char === '\\') {
      index += 1;
      continue;
    }
    if ('*_~`[]<>'.includes(char)) found.push(`${char} at ${index}`);
  }
  if (/^\s*(?:[#\-+=]|\d+[.)])/u.test(body)) found.push(`line start: ${body.slice(0, 10)}`);
  return found;
}
