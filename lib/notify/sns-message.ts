import type { Alert, AlertContainer } from '../alerts/alert.ts';
import { emailSubject, renderEmail } from '../render/email.ts';
import { bound } from '../render/text.ts';

/**
 * SNS's limit for one Publish: 256 KiB. What counts is the UTF-8 bytes of `Message` plus, for every message attribute,
 * the bytes of its name, its data type and its value ("All parts of the message attribute, including name, type, and
 * value, are included in the message size restriction, which is 256 KiB (262,144 bytes)",
 * https://docs.aws.amazon.com/sns/latest/api/API_MessageAttributeValue.html; "at most 256 KB in size (262,144
 * bytes, not 262,144 characters)", https://docs.aws.amazon.com/sns/latest/api/API_Publish.html). With
 * `MessageStructure: 'json'` the limit applies to the whole JSON document, every protocol's copy included.
 */
export const SNS_MAX_PUBLISH_BYTES = 262_144;

/** The version of the machine body `{ version, alert }`; raised when a change would break consumers. */
export const MACHINE_MESSAGE_VERSION = 1;

export interface SnsStringAttribute {
  DataType: 'String';
  StringValue: string;
}

export interface SnsMessage {
  Subject: string;
  Message: string;
  MessageStructure: 'json';
  MessageAttributes: Record<string, SnsStringAttribute>;
}

/** What SQS, Lambda, HTTPS and email-json subscribers receive as their `Message` (the `default` body), JSON-encoded. */
export interface MachineMessage {
  version: typeof MACHINE_MESSAGE_VERSION;
  alert: Alert;
  /** Present, and true, when long texts or lists of the alert were cut to fit the 256 KiB limit. */
  trimmed?: true;
}

/**
 * The message attributes subscribers filter on. Values use the classifier's vocabulary, as is: severity
 * `critical`/`warning`/`info`, status `firing`/`resolved`, kind `new`/`follow-up`/`repeat`/`resolved`/`deployment`
 * (a deployment notice, with `outcome` `started`/`completed`/`failed`/`rolled-back`), spot
 * `true`/`false`, the category name, and cluster, service, account and region as AWS spells them.
 *
 * An attribute whose value is unknown (an alert about an instance has no service) is left out rather than given a
 * placeholder: SNS rejects empty values, and a placeholder such as `none` could be a real service's name. A filter
 * policy matches "no service" with `{"service": [{"exists": false}]}`
 * (https://docs.aws.amazon.com/sns/latest/dg/attribute-key-matching.html). Ten attributes at most (`outcome` is on
 * deployment notices only), the most SQS accepts on a raw-delivered message: a new attribute must replace one.
 */
export function messageAttributes(alert: Alert): Record<string, SnsStringAttribute> {
  const values: [string, string | null][] = [
    ['severity', alert.severity],
    ['category', alert.category],
    ['status', alert.status],
    ['kind', alert.kind],
    ['outcome', alert.deploymentOutcome ?? null],
    ['spot', String(alert.spot)],
    ['cluster', alert.facts.cluster],
    ['service', alert.facts.service],
    ['account', alert.facts.account],
    ['region', alert.facts.region],
  ];
  const attributes: Record<string, SnsStringAttribute> = {};
  for (const [name, value] of values) {
    const clean = value === null ? '' : validText(value).trim();
    if (clean !== '') attributes[name] = { DataType: 'String', StringValue: clean };
  }
  return attributes;
}

/** Bytes SNS counts against SNS_MAX_PUBLISH_BYTES; the Subject (at most 100 ASCII bytes) is added to be safe. */
export function publishBytes(message: Pick<SnsMessage, 'Subject' | 'Message' | 'MessageAttributes'>): number {
  let bytes = Buffer.byteLength(message.Message, 'utf8') + Buffer.byteLength(message.Subject, 'utf8');
  for (const [name, attribute] of Object.entries(message.MessageAttributes)) {
    bytes += Buffer.byteLength(name, 'utf8') + Buffer.byteLength(attribute.DataType, 'utf8') + Buffer.byteLength(attribute.StringValue, 'utf8');
  }
  return bytes;
}

/** How hard an alert is cut: at most `containers` containers, their texts to `containerText`, long facts to `factText`. */
interface TrimLevel {
  containers: number;
  containerText: number;
  factText: number;
  /** Log lines kept per container (the newest), each cut to `containerText`. */
  logLines: number;
}

const TRIM_LEVELS: readonly TrimLevel[] = [
  { containers: Number.POSITIVE_INFINITY, containerText: Number.POSITIVE_INFINITY, factText: Number.POSITIVE_INFINITY, logLines: Number.POSITIVE_INFINITY },
  { containers: 20, containerText: 1_000, factText: 4_000, logLines: 20 },
  { containers: 10, containerText: 300, factText: 1_000, logLines: 10 },
  { containers: 5, containerText: 100, factText: 300, logLines: 5 },
  { containers: 0, containerText: 0, factText: 200, logLines: 0 },
];

/**
 * The order in which the two bodies give way, as [machine level, text level]: the machine body's container reasons
 * and long texts first (people read the text; programs rarely need a 4,000-character reason), then the text's, then
 * both down to a few hundred characters per fact and no container list.
 */
const TRIM_STEPS: readonly (readonly [number, number])[] = [
  [0, 0],
  [1, 0],
  [2, 0],
  [2, 1],
  [3, 1],
  [3, 2],
  [4, 2],
  [4, 3],
  [4, 4],
];

const TRIMMED_NOTE = 'Some details were shortened to fit the 256 KB limit of an SNS message.';

/**
 * The SNS Publish parameters for an alert (without `TopicArn`): one JSON document with a body per protocol, the
 * subject for email, and the attributes subscribers filter on. Each body is in the document once:
 *
 * | key       | body                                        | who gets it                                              |
 * |-----------|---------------------------------------------|----------------------------------------------------------|
 * | `default` | the machine body, `{ version: 1, alert }`   | `sqs`, `lambda`, `https`, `email-json`, `firehose`, `application` |
 * | `email`   | the plain-text email (`renderEmail`)         | `email`                                                  |
 * | `sms`     | the subject line alone                      | `sms`                                                    |
 *
 * SNS hands each subscriber its protocol's key, and `default` to a protocol without one (`MessageStructure`,
 * https://docs.aws.amazon.com/sns/latest/api/API_Publish.html). Every protocol but email and SMS is read by a program
 * (our Slack and delivery functions, a queue, a webhook), so the machine body is the default and is sent once; the
 * email text, which only people read, only to `email`. An earlier version repeated the machine body under four keys
 * and the email text under two: 11 KB per alert instead of about 5. Amazon Q reads HTTPS in its own format, so it
 * subscribes to a topic of its own (see `amazonQMessage`).
 *
 * An alert too big for SNS_MAX_PUBLISH_BYTES is cut field by field before it is serialized, so every body stays
 * valid JSON (see TRIM_STEPS); the machine body then carries `trimmed: true` and the text says so.
 *
 * @example
 * const { Subject, Message, MessageAttributes } = snsMessage(alert);
 * JSON.parse(JSON.parse(Message).default).alert.id === alert.id; // true
 * MessageAttributes.severity; // { DataType: 'String', StringValue: 'warning' }
 */
export function snsMessage(alert: Alert): SnsMessage {
  const MessageAttributes = messageAttributes(alert);
  const Subject = emailSubject(alert);
  let last: SnsMessage | undefined;
  for (const [machineLevel, textLevel] of TRIM_STEPS) {
    const message: SnsMessage = {
      Subject,
      Message: document(alert, Subject, machineLevel, textLevel),
      MessageStructure: 'json',
      MessageAttributes,
    };
    if (publishBytes(message) <= SNS_MAX_PUBLISH_BYTES) return message;
    last = message;
  }
  // Unreachable for any alert the pipeline builds: at the last step every text is cut to a few hundred characters.
  throw new Error(`alert ${alert.id} does not fit in an SNS message even trimmed (${last === undefined ? '?' : publishBytes(last)} bytes)`);
}

function document(alert: Alert, subject: string, machineLevel: number, textLevel: number): string {
  const machine: MachineMessage = { version: MACHINE_MESSAGE_VERSION, alert: trimAlert(alert, machineLevel) };
  if (machineLevel > 0) machine.trimmed = true;
  const machineBody = jsonText(machine);
  let text = renderEmail(trimAlert(alert, textLevel)).text;
  if (textLevel > 0) text = `${text}\n${TRIMMED_NOTE}\n`;
  text = validText(text);
  return JSON.stringify({ default: machineBody, email: text, sms: subject });
}

function levelOf(index: number): TrimLevel {
  return TRIM_LEVELS[Math.min(index, TRIM_LEVELS.length - 1)] ?? { containers: 0, containerText: 0, factText: 200, logLines: 0 };
}

/** A copy of the alert with its long texts and lists cut to the level; the id, key, category and times never change. */
export function trimAlert(alert: Alert, index: number): Alert {
  if (index <= 0) return alert;
  const level = levelOf(index);
  const cut = (text: string): string => bound(text, level.factText);
  const cutOrNull = (text: string | null): string | null => (text === null ? null : cut(text));
  const container = (c: AlertContainer): AlertContainer => ({
    ...c,
    name: bound(c.name, 255),
    exitMeaning: c.exitMeaning === null ? null : bound(c.exitMeaning, level.containerText),
    reason: c.reason === null ? null : bound(c.reason, level.containerText),
    logsUrl: c.logsUrl !== null && c.logsUrl.length <= 2_048 ? c.logsUrl : null,
    ...(c.image === undefined || c.image === null ? {} : { image: bound(c.image, 1_000) }),
    ...(c.logTail === undefined || c.logTail === null ? {} : { logTail: trimTail(c.logTail, level) }),
  });
  const { facts } = alert;
  return {
    ...alert,
    summary: cut(alert.summary),
    facts: {
      ...facts,
      reason: cutOrNull(facts.reason),
      cause: cut(facts.cause),
      remedy: cut(facts.remedy),
      status: cutOrNull(facts.status),
      stopCode: cutOrNull(facts.stopCode),
      ...(facts.runbook === undefined ? {} : { runbook: cutOrNull(facts.runbook) }),
      ...(facts.owner === undefined ? {} : { owner: cutOrNull(facts.owner) }),
      containers: facts.containers.slice(0, level.containers).map(container),
    },
    group: { ...alert.group, ids: alert.group.ids.slice(0, 20).map((id) => bound(id, 256)) },
  };
}

/** The newest `level.logLines` lines of a tail, each cut to `level.containerText`; `cut` says when anything went. */
function trimTail(tail: NonNullable<AlertContainer['logTail']>, level: TrimLevel): NonNullable<AlertContainer['logTail']> {
  const lines = level.logLines <= 0 ? [] : tail.lines.slice(-level.logLines).map((line) => bound(line, Math.max(level.containerText, 1)));
  const cut = tail.cut || lines.length < tail.lines.length || lines.some((line, index) => line !== tail.lines[tail.lines.length - lines.length + index]);
  return { ...tail, lines, cut };
}

// SQS accepts only these characters in a message (https://docs.aws.amazon.com/AWSSimpleQueueService/latest/APIReference/API_SendMessage.html),
// and SNS applies the same rule to attribute values; anything else (U+FFFE, U+FFFF, lone surrogates, most C0
// controls) would make a publish or its delivery fail for good.
const INVALID_CHARS = /[^\t\n\r\u0020-\uD7FF\uE000-\uFFFD\u{10000}-\u{10FFFF}]/gu;

/**
 * A quick first look, without the `u` flag: matches every rejected character and also the halves of valid surrogate
 * pairs, so text it finds nothing in (nearly all) skips the exact, much slower, Unicode-aware replace.
 */
const MAYBE_INVALID = /[^\t\n\r\u0020-\uD7FF\uE000-\uFFFD]/;

/** Text with the characters SNS and SQS reject replaced by U+FFFD. */
function validText(text: string): string {
  return MAYBE_INVALID.test(text) ? text.replace(INVALID_CHARS, '\uFFFD') : text;
}

/** JSON whose string values keep every character, escaping those SNS and SQS reject as `\uXXXX` (still valid JSON). */
function jsonText(value: unknown): string {
  const json = JSON.stringify(value);
  return MAYBE_INVALID.test(json) ? json.replace(INVALID_CHARS, (char) => `\\u${(char.codePointAt(0) ?? 0xfffd).toString(16).padStart(4, '0')}`) : json;
}
