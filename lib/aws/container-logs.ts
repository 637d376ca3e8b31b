import { GetLogEventsCommand, type CloudWatchLogsClient } from '@aws-sdk/client-cloudwatch-logs';
import type { ContainerLogTail } from '../alerts/alert.ts';
import { withinDeadline } from './deadline.ts';

/** At most this many lines of a stream's end are kept… */
export const MAX_TAIL_LINES = 20;
/** …and at most this many UTF-8 bytes of them, the newest first. */
export const MAX_TAIL_BYTES = 2_048;
/** A single line longer than this is cut (a JSON log record, a stack trace on one line). */
export const MAX_LINE_LENGTH = 400;

/** Where a container's awslogs stream is: `<awslogs-stream-prefix>/<container name>/<task id>` in its group. */
export interface LogStreamRef {
  group: string;
  stream: string;
  region: string;
}

/**
 * The last lines of one log stream, credentials masked, or the one-line reason there are none. Never rejects: a
 * failed read is a tail with `missing` set, and the alert goes out without the lines.
 */
export type LogTailLookup = (ref: LogStreamRef) => Promise<ContainerLogTail>;

export interface LogTailLookupOptions {
  /** How long one read may take, retries included (default 3000 ms). */
  timeoutMs?: number;
}

/** A tail with no lines and the reason, as every renderer shows it: `Last log lines not shown: <reason>`. */
export function missingTail(reason: string): ContainerLogTail {
  return { lines: [], cut: false, missing: reason };
}

// What looks like a credential in a log line. Each pattern keeps what names the value and masks the value itself.
const MASK = '****';
const CREDENTIAL_PATTERNS: readonly [RegExp, string][] = [
  // AWS access key ids: AKIA (long-term) and ASIA (temporary) and 16 more upper-case letters or digits.
  [/\b((?:AKIA|ASIA)[A-Z0-9]{4})[A-Z0-9]{12}\b/g, `$1${MASK}`],
  // The secret access key after its usual names (credentials files, environment variables, JSON).
  [/((?:aws_?secret_?access_?key|secretAccessKey|SecretAccessKey)["']?\s*[:=]\s*["']?)[A-Za-z0-9/+=]{40}(?![A-Za-z0-9/+=])/gi, `$1${MASK}`],
  // HTTP authorization: `Bearer <token>`, `Basic <base64>`.
  [/\b(Bearer|Basic)\s+[A-Za-z0-9\-._~+/]+=*/g, `$1 ${MASK}`],
  // JSON Web Tokens, wherever they stand (three base64url parts, the first a JSON header).
  [/\beyJ[A-Za-z0-9_-]{5,}\.[A-Za-z0-9_-]{5,}\.[A-Za-z0-9_-]*/g, MASK],
  // Passwords in URLs: scheme://user:password@host.
  [/(\b[a-z][a-z0-9+.-]*:\/\/[^\s:/@]+:)[^\s@/]+@/gi, `$1${MASK}@`],
  // key=value, key: value and "key": "value" pairs whose key names a secret.
  [
    /((?:^|[^A-Za-z0-9])["']?(?:[A-Za-z0-9_-]*(?:password|passwd|pwd|secret|token|api[_-]?key|private[_-]?key|credentials?))["']?\s*[:=]\s*["']?)([^\s"',;&}]+)/gi,
    `$1${MASK}`,
  ],
];

/**
 * Masks what looks like a credential: AWS access key ids (`AKIA…`, `ASIA…`, keeping their first 8 characters), a
 * secret access key after its name, `Bearer`/`Basic` tokens, JWTs, passwords in URLs, and the values of
 * `password=`, `passwd`, `secret`, `token`, `api_key` style pairs (`=`, `:` or JSON).
 *
 * @example maskCredentials('login ok password=hunter2 key AKIA…16 characters') // 'login ok password=**** key AKIA…****'
 */
export function maskCredentials(text: string): string {
  let masked = text;
  for (const [pattern, replacement] of CREDENTIAL_PATTERNS) masked = masked.replace(pattern, replacement);
  return masked;
}

// ANSI colour and cursor sequences many loggers write: noise in an email, and not something to pass on.
// eslint-disable-next-line no-control-regex -- finding escape sequences is the point
const ANSI = /\u001b\[[0-9;?]*[A-Za-z]/g;

/** Cuts a line to MAX_LINE_LENGTH code units, never between the halves of a surrogate pair. */
function cutLine(line: string): { text: string; cut: boolean } {
  if (line.length <= MAX_LINE_LENGTH) return { text: line, cut: false };
  let end = MAX_LINE_LENGTH - 1;
  const code = line.charCodeAt(end - 1);
  if (code >= 0xd800 && code <= 0xdbff) end -= 1;
  return { text: `${line.slice(0, end)}…`, cut: true };
}

/**
 * The end of a stream from its events (oldest first, as GetLogEvents returns them): each message split into lines,
 * colour codes dropped, credentials masked, long lines cut, then the newest lines kept within MAX_TAIL_LINES and
 * MAX_TAIL_BYTES. Blank lines are dropped.
 */
export function tailOf(messages: readonly string[]): ContainerLogTail {
  const all = messages.flatMap((message) => message.split(/\r\n|\r|\n/)).map((line) => line.replace(ANSI, '').trimEnd());
  const lines = all.filter((line) => line.trim() !== '');
  const kept: string[] = [];
  let bytes = 0;
  let cut = false;
  for (let index = lines.length - 1; index >= 0 && kept.length < MAX_TAIL_LINES; index -= 1) {
    const line = cutLine(maskCredentials(lines[index] ?? ''));
    const size = Buffer.byteLength(line.text, 'utf8') + 1;
    if (bytes + size > MAX_TAIL_BYTES) break;
    bytes += size;
    cut ||= line.cut;
    kept.unshift(line.text);
  }
  if (kept.length === 0) return missingTail('the log stream has no lines');
  return { lines: kept, cut: cut || kept.length < lines.length, missing: null };
}

function errorName(error: unknown): string {
  if (typeof error === 'object' && error !== null && 'name' in error && typeof error.name === 'string') return error.name;
  return 'Error';
}

/**
 * The one-line reason a read failed, by the error CloudWatch Logs answered with
 * (https://docs.aws.amazon.com/AmazonCloudWatchLogs/latest/APIReference/API_GetLogEvents.html#API_GetLogEvents_Errors).
 */
export function failureReason(error: unknown, ref: LogStreamRef): string {
  switch (errorName(error)) {
    case 'AccessDeniedException':
      return `the notifier may not read log group ${ref.group} (access denied: is it under the logGroupPrefix deploy parameter?)`;
    case 'ResourceNotFoundException':
      return `log stream ${ref.stream} of ${ref.group} does not exist (the container may never have started)`;
    case 'ThrottlingException':
      return 'CloudWatch Logs throttled the read';
    default:
      return `CloudWatch Logs answered ${errorName(error)}`;
  }
}

/**
 * A lookup through CloudWatch Logs GetLogEvents, reading the newest events of a stream (`startFromHead: false`,
 * `limit` MAX_TAIL_LINES) with the client of the stream's Region (`clientFor`, asked once per Region). Nothing is
 * cached: each task has its own stream, and a crashed container's stream does not change any more.
 *
 * @example
 * const tail = ecsLogTailLookup(regionalLogsClient);
 * await tail({ group: '/ecs/orders-api', stream: 'ecs/orders-api/f838fc08a7d9e31209013c6826543c5b', region: 'us-west-2' });
 * // { lines: ['FATAL ERROR: Reached heap limit Allocation failed - JavaScript heap out of memory'], cut: false, missing: null }
 */
export function ecsLogTailLookup(clientFor: (region: string) => CloudWatchLogsClient, options: LogTailLookupOptions = {}): LogTailLookup {
  const timeoutMs = options.timeoutMs ?? 3_000;
  const clients = new Map<string, CloudWatchLogsClient>();
  const client = (region: string): CloudWatchLogsClient => {
    let found = clients.get(region);
    if (found === undefined) {
      found = clientFor(region);
      clients.set(region, found);
    }
    return found;
  };

  return async (ref) => {
    const answer = await withinDeadline(timeoutMs, async (abortSignal) => {
      try {
        const output = await client(ref.region).send(
          new GetLogEventsCommand({ logGroupName: ref.group, logStreamName: ref.stream, startFromHead: false, limit: MAX_TAIL_LINES }),
          { abortSignal },
        );
        return { output };
      } catch (error) {
        return { error };
      }
    });
    if (answer === null) return missingTail(`CloudWatch Logs did not answer within ${timeoutMs / 1_000} s`);
    if ('error' in answer) return missingTail(failureReason(answer.error, ref));
    return tailOf((answer.output.events ?? []).map((event) => event.message ?? ''));
  };
}
