import { once } from 'node:events';
import type { Writable } from 'node:stream';
import { parseArgs } from 'node:util';
import { InvokeCommand, type LambdaClient } from '@aws-sdk/client-lambda';
import { ChangeMessageVisibilityBatchCommand, DeleteMessageCommand, ReceiveMessageCommand, type Message, type MessageAttributeValue, type SQSClient } from '@aws-sdk/client-sqs';
import { isRecord } from '../events/schema.ts';
import { bound, inert } from '../render/text.ts';

export const USAGE = `Usage: npm run redrive -- --queue QUEUE_URL --function FUNCTION [--max N] [--dry-run]

Sends the events that landed in a dead-letter queue to a Lambda function again, once the cause is fixed.
A message may be a record of Lambda's on-failure destination (the event is its requestPayload) or an event
that an EventBridge rule could not deliver (the message body is the event). Each event is invoked
asynchronously (InvocationType Event), and its message is deleted only once Lambda has accepted it (202).
Messages that are neither, that come from another function, or whose invocation fails are left in the queue,
visible again at once. The alerting de-duplicates by event id, so an event re-driven twice alerts once.

  --queue URL          the dead-letter queue (standard SQS queue URL)
  --function NAME      the function to invoke: name, ARN or partial ARN, with an optional qualifier
  --max N              handle at most N messages (default: until the queue is empty)
  --dry-run            show what would be re-driven; invoke nothing, delete nothing
  -h, --help           show this help

Credentials, region and endpoints come from the standard AWS configuration (AWS_PROFILE, AWS_REGION, …);
AWS_ENDPOINT_URL_SQS and AWS_ENDPOINT_URL_LAMBDA point the clients at local emulators.

Prints one line per message (message id, event id, detail-type, outcome) and a summary.
Exit status: 0 when every message handled was re-driven (or would be), 2 otherwise.`;

/**
 * What one dead-letter message holds. Shapes:
 * - Lambda on-failure destination (https://docs.aws.amazon.com/lambda/latest/dg/invocation-async-retain-records.html):
 *   the body is `{ version, timestamp, requestContext: { requestId, functionArn, condition, approximateInvokeCount },
 *   requestPayload, responseContext: { statusCode, executedVersion, functionError }, responsePayload }`, where
 *   `requestPayload` is the event the function was invoked with and `condition` is `RetriesExhausted` or
 *   `EventAgeExceeded`.
 * - EventBridge rule target dead-letter queue (https://docs.aws.amazon.com/eventbridge/latest/userguide/eb-rule-dlq.html):
 *   the body is the event itself, with message attributes `RULE_ARN`, `TARGET_ARN`, `ERROR_CODE`, `ERROR_MESSAGE`,
 *   and `EXHAUSTED_RETRY_CONDITION`, `RETRY_ATTEMPTS` when retries ran out.
 */
export type DeadLetter =
  | { kind: 'lambda-destination'; event: unknown; functionArn: string | null; condition: string | null; attempts: number | null; error: string | null }
  | { kind: 'eventbridge-dlq'; event: Record<string, unknown>; targetArn: string | null; errorCode: string | null; errorMessage: string | null }
  | { kind: 'unreadable'; reason: string };

function text(value: unknown): string | null {
  return typeof value === 'string' && value !== '' ? value : null;
}

function attribute(attributes: Record<string, MessageAttributeValue> | undefined, name: string): string | null {
  return text(attributes?.[name]?.StringValue);
}

function isEventBridgeEvent(value: unknown): value is Record<string, unknown> {
  return isRecord(value) && typeof value['detail-type'] === 'string' && isRecord(value.detail);
}

/** Reads one message of a dead-letter queue: the original event and where it failed, or why it cannot be re-driven. */
export function readDeadLetter(body: string | undefined, attributes?: Record<string, MessageAttributeValue>): DeadLetter {
  if (body === undefined || body.trim() === '') return { kind: 'unreadable', reason: 'the message body is empty' };
  let value: unknown;
  try {
    value = JSON.parse(body);
  } catch {
    return { kind: 'unreadable', reason: 'the message body is not JSON' };
  }
  if (!isRecord(value)) return { kind: 'unreadable', reason: 'the message body is not a JSON object' };
  if (isRecord(value.requestContext) && 'requestPayload' in value) {
    const context = value.requestContext;
    const response = isRecord(value.responsePayload) ? value.responsePayload : {};
    const errorType = text(response.errorType);
    const errorMessage = text(response.errorMessage);
    return {
      kind: 'lambda-destination',
      event: value.requestPayload,
      functionArn: text(context.functionArn),
      condition: text(context.condition),
      attempts: typeof context.approximateInvokeCount === 'number' ? context.approximateInvokeCount : null,
      error: errorType === null && errorMessage === null ? null : [errorType, errorMessage].filter((part) => part !== null).join(': '),
    };
  }
  if (isEventBridgeEvent(value)) {
    return {
      kind: 'eventbridge-dlq',
      event: value,
      targetArn: attribute(attributes, 'TARGET_ARN'),
      errorCode: attribute(attributes, 'ERROR_CODE'),
      errorMessage: attribute(attributes, 'ERROR_MESSAGE'),
    };
  }
  return { kind: 'unreadable', reason: 'neither a Lambda destination record nor an EventBridge event' };
}

/**
 * The function name in a name, a partial ARN (`123456789012:function:name`) or an ARN, without the qualifier.
 *
 * @example functionName('arn:aws:lambda:us-west-2:111122223333:function:task-events:$LATEST') // 'task-events'
 */
export function functionName(reference: string): string {
  const match = /^(?:arn:[^:]+:lambda:[^:]*:[^:]*:function:|[^:]+:function:)?([^:]+)/.exec(reference);
  return match?.[1] ?? reference;
}

export type RedriveOutcome = 're-driven' | 'would re-drive' | 'unreadable' | 'other function' | 'invoke failed' | 'not deleted';

/** What happened to one message; `eventId` and `detailType` are null when the event has none (or is unreadable). */
export interface MessageResult {
  messageId: string;
  eventId: string | null;
  detailType: string | null;
  outcome: RedriveOutcome;
  /** Where the message came from, or why it was not re-driven. */
  detail: string;
}

export interface RedriveOptions {
  queueUrl: string;
  /** Name, ARN or partial ARN of the function to invoke. */
  functionName: string;
  /** At most this many messages; null for all. */
  max: number | null;
  dryRun: boolean;
  /** Long-poll wait of each receive, in seconds (short: an empty answer ends the run). Default 2. */
  waitSeconds?: number;
  /** How long a received message stays hidden while the run goes on, in seconds. Default 300. */
  visibilitySeconds?: number;
}

export interface RedriveClients {
  sqs: SQSClient;
  lambda: LambdaClient;
}

/** Reading the queue failed: nothing can be said about the messages that are left. */
export class RedriveError extends Error {
  override readonly name = 'RedriveError';
}

function errorText(error: unknown): string {
  return error instanceof Error ? `${error.name}: ${error.message}` : String(error);
}

function origin(letter: Exclude<DeadLetter, { kind: 'unreadable' }>): string {
  if (letter.kind === 'lambda-destination') {
    const attempts = letter.attempts === null ? '' : ` after ${letter.attempts} attempt${letter.attempts === 1 ? '' : 's'}`;
    return `Lambda ${letter.condition ?? 'failure'}${attempts}${letter.error === null ? '' : `: ${letter.error}`}`;
  }
  return `EventBridge ${letter.errorCode ?? 'delivery failure'}${letter.errorMessage === null ? '' : `: ${letter.errorMessage}`}`;
}

async function redriveMessage(message: Message, options: RedriveOptions, clients: RedriveClients): Promise<MessageResult> {
  const messageId = message.MessageId ?? '(no message id)';
  const letter = readDeadLetter(message.Body, message.MessageAttributes);
  if (letter.kind === 'unreadable') return { messageId, eventId: null, detailType: null, outcome: 'unreadable', detail: letter.reason };
  const event = letter.event;
  const result = {
    messageId,
    eventId: isRecord(event) ? text(event.id) : null,
    detailType: isRecord(event) ? text(event['detail-type']) : null,
    detail: origin(letter),
  };
  const from = letter.kind === 'lambda-destination' ? letter.functionArn : letter.targetArn;
  if (from !== null && functionName(from) !== functionName(options.functionName)) {
    return { ...result, outcome: 'other function', detail: `it failed in ${from}, not ${options.functionName}` };
  }
  if (options.dryRun) return { ...result, outcome: 'would re-drive' };
  try {
    const response = await clients.lambda.send(
      new InvokeCommand({ FunctionName: options.functionName, InvocationType: 'Event', Payload: new TextEncoder().encode(JSON.stringify(event)) }),
    );
    if (response.StatusCode !== 202) return { ...result, outcome: 'invoke failed', detail: `Lambda answered status ${response.StatusCode ?? '(none)'}, not 202` };
  } catch (error) {
    return { ...result, outcome: 'invoke failed', detail: errorText(error) };
  }
  try {
    await clients.sqs.send(new DeleteMessageCommand({ QueueUrl: options.queueUrl, ReceiptHandle: message.ReceiptHandle }));
  } catch (error) {
    // Invoked but still queued: a later run sends it again, and the alerting drops the duplicate by its event id.
    return { ...result, outcome: 'not deleted', detail: `invoked, but the message could not be deleted: ${errorText(error)}` };
  }
  return { ...result, outcome: 're-driven' };
}

/** Makes the messages left in the queue visible again now rather than after the visibility timeout. */
async function release(queueUrl: string, handles: Map<string, string>, sqs: SQSClient): Promise<string[]> {
  const entries = [...handles.values()].map((receiptHandle, index) => ({ Id: String(index), ReceiptHandle: receiptHandle, VisibilityTimeout: 0 }));
  const problems: string[] = [];
  for (let start = 0; start < entries.length; start += 10) {
    try {
      const { Failed = [] } = await sqs.send(new ChangeMessageVisibilityBatchCommand({ QueueUrl: queueUrl, Entries: entries.slice(start, start + 10) }));
      problems.push(...Failed.map((failure) => `${failure.Code ?? 'error'}: ${failure.Message ?? ''}`));
    } catch (error) {
      problems.push(errorText(error));
    }
  }
  return problems;
}

/**
 * Re-drives the messages of a dead-letter queue to a function, calling `report` after each; see USAGE. Stops when a
 * receive brings no message it has not seen (the queue is empty, or holds only what it left there) or after
 * `options.max` messages. Messages it leaves are made visible again at the end (in a dry run, all of them), so a run
 * changes nothing but what it re-drove. Throws a RedriveError when the queue cannot be read.
 */
export async function redrive(
  options: RedriveOptions,
  clients: RedriveClients,
  report: (result: MessageResult) => Promise<void> | void,
): Promise<{ results: MessageResult[]; releaseProblems: string[] }> {
  const results: MessageResult[] = [];
  const seen = new Set<string>();
  // Receipt handles of the messages left in the queue, by message id (the latest receive's handle is the valid one).
  const left = new Map<string, string>();
  let releaseProblems: string[] = [];
  try {
    while (options.max === null || results.length < options.max) {
      const wanted = options.max === null ? 10 : Math.min(10, options.max - results.length);
      let messages: Message[];
      try {
        const response = await clients.sqs.send(
          new ReceiveMessageCommand({
            QueueUrl: options.queueUrl,
            MaxNumberOfMessages: wanted,
            // A wait above zero makes SQS ask all its servers, so an empty answer means an empty queue.
            WaitTimeSeconds: options.waitSeconds ?? 2,
            VisibilityTimeout: options.visibilitySeconds ?? 300,
            MessageAttributeNames: ['All'],
          }),
        );
        messages = response.Messages ?? [];
      } catch (error) {
        throw new RedriveError(`could not receive messages from ${options.queueUrl}`, { cause: error });
      }
      let fresh = 0;
      for (const message of messages) {
        const id = message.MessageId ?? message.ReceiptHandle ?? '';
        if (seen.has(id)) {
          // Back after its visibility timeout: already reported; keep its new handle to release it.
          if (message.ReceiptHandle !== undefined && left.has(id)) left.set(id, message.ReceiptHandle);
          continue;
        }
        seen.add(id);
        fresh += 1;
        const result = await redriveMessage(message, options, clients);
        if (result.outcome !== 're-driven' && message.ReceiptHandle !== undefined) left.set(id, message.ReceiptHandle);
        results.push(result);
        await report(result);
      }
      if (fresh === 0) break;
    }
  } finally {
    // Runs on failure too, so that an interrupted run does not hide messages for the visibility timeout.
    releaseProblems = await release(options.queueUrl, left, clients.sqs);
  }
  return { results, releaseProblems };
}

interface Options {
  help: boolean;
  redrive: RedriveOptions;
}

class UsageError extends Error {
  override readonly name = 'UsageError';
}

function readOptions(args: readonly string[]): Options {
  const { values, positionals } = parseArgs({
    args: [...args],
    allowPositionals: true,
    strict: true,
    options: {
      queue: { type: 'string' },
      function: { type: 'string' },
      max: { type: 'string' },
      'dry-run': { type: 'boolean', default: false },
      help: { type: 'boolean', short: 'h', default: false },
    },
  });
  const empty = { queueUrl: '', functionName: '', max: null, dryRun: false };
  if (values.help) return { help: true, redrive: empty };
  if (positionals.length > 0) throw new UsageError(`unexpected argument "${positionals[0] ?? ''}"`);
  const queueUrl = values.queue?.trim() ?? '';
  const fn = values.function?.trim() ?? '';
  if (!/^https?:\/\/\S+$/.test(queueUrl)) throw new UsageError('--queue must be the URL of the dead-letter queue (https://sqs.REGION.amazonaws.com/ACCOUNT/NAME)');
  if (fn === '') throw new UsageError('--function is required: the name or ARN of the function to invoke');
  let max: number | null = null;
  if (values.max !== undefined) {
    max = Number(values.max);
    if (!Number.isInteger(max) || max < 1) throw new UsageError(`--max must be a whole number of at least 1, got "${values.max}"`);
  }
  return { help: false, redrive: { queueUrl, functionName: fn, max, dryRun: values['dry-run'] } };
}

export interface RedriveIo {
  stdout: Writable;
  stderr: Writable;
  /** The SDK clients, built only once the arguments are known to be good. */
  clients: () => RedriveClients;
}

async function write(stream: Writable, line: string): Promise<void> {
  if (!stream.write(`${line}\n`)) await once(stream, 'drain');
}

/** Untrusted text (from events and error messages) on one inert line. */
function shown(value: string | null): string {
  return value === null ? '-' : bound(inert(value), 300);
}

/** One line per message: message id, event id, detail-type, outcome, and where it came from or why it stayed. */
export function resultLine(result: MessageResult): string {
  return `${shown(result.messageId)}  ${shown(result.eventId)}  ${shown(result.detailType)}  ${result.outcome} (${shown(result.detail)})`;
}

function summaryLine(results: readonly MessageResult[], dryRun: boolean): string {
  const counts = new Map<RedriveOutcome, number>();
  for (const result of results) counts.set(result.outcome, (counts.get(result.outcome) ?? 0) + 1);
  const parts = [...counts].map(([outcome, count]) => `${count} ${outcome}`);
  const total = `${results.length} message${results.length === 1 ? '' : 's'}`;
  return `${dryRun ? 'Dry run: ' : ''}${total}${parts.length > 0 ? `: ${parts.join(', ')}` : ' (the queue is empty)'}`;
}

/**
 * The redrive command: reads the arguments, re-drives, prints a line per message and a summary. Returns the exit
 * status: 0 when every message handled was re-driven (or, in a dry run, would be), 2 otherwise or on a usage error.
 */
export async function runRedrive(args: readonly string[], io: RedriveIo): Promise<number> {
  let options: Options;
  try {
    options = readOptions(args);
  } catch (error) {
    await write(io.stderr, `${error instanceof Error ? error.message : String(error)}\n\n${USAGE}`);
    return 2;
  }
  if (options.help) {
    await write(io.stdout, USAGE);
    return 0;
  }
  let outcome: { results: MessageResult[]; releaseProblems: string[] };
  try {
    outcome = await redrive(options.redrive, io.clients(), (result) => write(io.stdout, resultLine(result)));
  } catch (error) {
    const cause = error instanceof Error && error.cause !== undefined ? `: ${errorText(error.cause)}` : '';
    await write(io.stderr, `${error instanceof Error ? error.message : String(error)}${shown(cause)}`);
    return 2;
  }
  for (const problem of outcome.releaseProblems) {
    await write(io.stderr, `a message left in the queue stays hidden until its visibility timeout: ${shown(problem)}`);
  }
  await write(io.stdout, summaryLine(outcome.results, options.redrive.dryRun));
  const ok: readonly RedriveOutcome[] = ['re-driven', 'would re-drive'];
  return outcome.results.every((result) => ok.includes(result.outcome)) ? 0 : 2;
}
