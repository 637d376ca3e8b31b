import { isRecord } from '../events/schema.ts';
import { retryAfterMs } from './http-delivery.ts';

/**
 * A Slack Web API call that failed: Slack answered `ok: false` with an error code that no retry fixes
 * (`invalid_auth`, `channel_not_found`, `not_in_channel`, `msg_too_long`, `invalid_blocks`, …), or the call was still
 * failing (rate limited, 5xx, network) after its tries. `code` is Slack's error code when it gave one. The message and
 * the cause never contain the token.
 */
export class SlackApiError extends Error {
  override readonly name = 'SlackApiError';
  readonly method: string;
  readonly code: string | null;
  readonly status: number | null;
  readonly attempts: number;

  constructor(message: string, details: { method: string; code: string | null; status: number | null; attempts: number }, options?: ErrorOptions) {
    super(message, options);
    this.method = details.method;
    this.code = details.code;
    this.status = details.status;
    this.attempts = details.attempts;
  }
}

export interface SlackWebApiOptions {
  /** The bot token (`xoxb-…`), asked before every call (the source caches it); never logged nor put in an error. */
  token: () => Promise<string>;
  /** Default `https://slack.com/api`; a local receiver in tests (plain http only on loopback). */
  apiUrl?: string;
  /** The HTTP client (default: Node's global `fetch`). */
  fetch?: typeof fetch;
  /** Waits between tries (default: a timer). */
  sleep?: (ms: number) => Promise<void>;
  /** A number in [0, 1) for the backoff's jitter (default `Math.random`). */
  random?: () => number;
  /** Tries per call, the first included (default 3). */
  maxAttempts?: number;
  /** First backoff after a 5xx, a network error or a transient Slack error, doubled each time (default 500 ms). */
  baseDelayMs?: number;
  /** Longest `Retry-After` honoured; Slack asking for more fails the call, so Lambda retries it later (default 30 s). */
  maxRetryAfterMs?: number;
  /** Time allowed for one request (default 10 s). */
  requestTimeoutMs?: number;
}

/** What `chat.postMessage` and `chat.update` answer with `ok: true`: the channel's id and the message's `ts`. */
export interface SlackPosted {
  channel: string;
  ts: string;
}

export const DEFAULT_SLACK_API_URL = 'https://slack.com/api';

/**
 * `ok: false` codes that mean "later": rate limited (`ratelimited` on the rate-limits page, `rate_limited` in
 * chat.postMessage's error table), or trouble on Slack's side. Any other code fails at once.
 * https://docs.slack.dev/apis/web-api/rate-limits, https://docs.slack.dev/reference/methods/chat.postMessage#errors
 */
const RATE_LIMITED = new Set(['ratelimited', 'rate_limited']);
const TRANSIENT = new Set(['internal_error', 'fatal_error', 'service_unavailable', 'request_timeout']);

type Outcome =
  | { kind: 'ok'; body: Record<string, unknown> }
  | { kind: 'retry'; delayMs: number; status: number | null; code: string | null; detail: string; cause?: unknown }
  | { kind: 'fail'; status: number | null; code: string | null; detail: string };

const defaultSleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * The two Slack Web API methods thread mode needs, over JSON with the bot token as a Bearer header
 * (https://docs.slack.dev/apis/web-api/#basics), with Slack's semantics: HTTP 200 with `ok: false` is a failure.
 *
 * Retries: a 429 or `ratelimited` after its `Retry-After` seconds; a 5xx, a timeout, a network error or a transient
 * Slack error after an exponential backoff with jitter; up to `maxAttempts` tries. Any other error fails at once.
 * Note that a retried `chat.postMessage` whose first answer was lost (a timeout after Slack posted) posts twice; Slack
 * has no idempotency key for it.
 *
 * @example
 * const api = new SlackWebApi({ token: botTokenFrom(source) });
 * const { channel, ts } = await api.postMessage({ channel: 'C0123', text: 'hello' }, 'alert 123');
 */
export class SlackWebApi {
  private readonly token: () => Promise<string>;
  private readonly apiUrl: string;
  private readonly fetch: typeof fetch;
  private readonly sleep: (ms: number) => Promise<void>;
  private readonly random: () => number;
  private readonly maxAttempts: number;
  private readonly baseDelayMs: number;
  private readonly maxRetryAfterMs: number;
  private readonly requestTimeoutMs: number;

  constructor(options: SlackWebApiOptions) {
    this.token = options.token;
    this.apiUrl = (options.apiUrl ?? DEFAULT_SLACK_API_URL).replace(/\/+$/u, '');
    if (!safeApiUrl(this.apiUrl)) throw new Error(`Slack API URL ${JSON.stringify(this.apiUrl)} is not an https URL (plain http is allowed on loopback only)`);
    this.fetch = options.fetch ?? ((input, init) => fetch(input, init));
    this.sleep = options.sleep ?? defaultSleep;
    this.random = options.random ?? Math.random;
    this.maxAttempts = Math.max(1, options.maxAttempts ?? 3);
    this.baseDelayMs = options.baseDelayMs ?? 500;
    this.maxRetryAfterMs = options.maxRetryAfterMs ?? 30_000;
    this.requestTimeoutMs = options.requestTimeoutMs ?? 10_000;
  }

  /** `chat.postMessage` (https://docs.slack.dev/reference/methods/chat.postMessage); `what` names the call in errors. */
  async postMessage(args: Record<string, unknown>, what: string): Promise<SlackPosted> {
    return posted('chat.postMessage', await this.call('chat.postMessage', args, what), what);
  }

  /** `chat.update` (https://docs.slack.dev/reference/methods/chat.update): `channel` must be the id, not a name. */
  async update(args: Record<string, unknown>, what: string): Promise<SlackPosted> {
    return posted('chat.update', await this.call('chat.update', args, what), what);
  }

  /** One method call with its retries; resolves the `ok: true` body. */
  async call(method: string, args: Record<string, unknown>, what: string): Promise<Record<string, unknown>> {
    const token = await this.token();
    // A header value with a line break or a space makes fetch throw, quoting the value: refuse it before it is sent.
    if (!/^[\x21-\x7e]+$/u.test(token)) {
      throw new SlackApiError(`Slack ${method} failed for ${what}: the bot token is empty or holds characters a token never has`, { method, code: null, status: null, attempts: 0 });
    }
    const body = JSON.stringify(args);
    for (let attempt = 1; ; attempt += 1) {
      const outcome = await this.attempt(method, token, body, attempt);
      if (outcome.kind === 'ok') return outcome.body;
      const last = outcome.kind === 'fail' || attempt >= this.maxAttempts || outcome.delayMs > this.maxRetryAfterMs;
      if (last) {
        const tries = `${attempt} ${attempt === 1 ? 'attempt' : 'attempts'}`;
        throw new SlackApiError(
          `Slack ${method} failed for ${what} after ${tries}: ${outcome.detail.split(token).join('<token>')}`,
          { method, code: outcome.code, status: outcome.status, attempts: attempt },
          outcome.kind === 'retry' && outcome.cause !== undefined ? { cause: redacted(outcome.cause, token) } : undefined,
        );
      }
      await this.sleep(outcome.delayMs);
    }
  }

  private async attempt(method: string, token: string, body: string, attempt: number): Promise<Outcome> {
    let response: Response;
    try {
      response = await this.fetch(`${this.apiUrl}/${method}`, {
        method: 'POST',
        headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json; charset=utf-8' },
        body,
        signal: AbortSignal.timeout(this.requestTimeoutMs),
      });
    } catch (error) {
      const what = error instanceof Error && (error.name === 'TimeoutError' || error.name === 'AbortError') ? 'request timed out' : 'network error';
      return { kind: 'retry', delayMs: this.backoff(attempt), status: null, code: null, detail: what, cause: error };
    }
    const text = await responseText(response);
    const retryAfter = retryAfterMs(response.headers.get('retry-after'));
    if (response.status === 429) {
      return { kind: 'retry', delayMs: retryAfter ?? this.backoff(attempt), status: 429, code: 'ratelimited', detail: `HTTP 429 ${oneLine(text)}`.trim() };
    }
    if (response.status >= 500) return { kind: 'retry', delayMs: this.backoff(attempt), status: response.status, code: null, detail: `HTTP ${response.status} ${oneLine(text)}`.trim() };
    if (!response.ok) return { kind: 'fail', status: response.status, code: null, detail: `HTTP ${response.status} ${oneLine(text)}`.trim() };
    let parsed: unknown;
    try {
      parsed = JSON.parse(text);
    } catch {
      return { kind: 'fail', status: response.status, code: null, detail: `HTTP ${response.status} with a body that is not JSON: ${oneLine(text)}`.trim() };
    }
    if (!isRecord(parsed)) return { kind: 'fail', status: response.status, code: null, detail: `HTTP ${response.status} with a body that is not a JSON object` };
    if (parsed.ok === true) return { kind: 'ok', body: parsed };
    const code = typeof parsed.error === 'string' && /^[a-z0-9_]{1,80}$/u.test(parsed.error) ? parsed.error : 'unknown_error';
    // Slack explains invalid_blocks and friends in `response_metadata.messages`; a line of it helps whoever reads the log.
    const explained = explanation(parsed);
    const detail = `${code}${explained === '' ? '' : ` (${explained})`}`;
    if (RATE_LIMITED.has(code)) return { kind: 'retry', delayMs: retryAfter ?? this.backoff(attempt), status: response.status, code, detail };
    if (TRANSIENT.has(code)) return { kind: 'retry', delayMs: this.backoff(attempt), status: response.status, code, detail };
    return { kind: 'fail', status: response.status, code, detail };
  }

  /** Exponential backoff with "equal jitter": half the delay fixed, half random. */
  private backoff(attempt: number): number {
    const delay = this.baseDelayMs * 2 ** (attempt - 1);
    return Math.round(delay / 2 + (delay / 2) * this.random());
  }
}

function posted(method: string, body: Record<string, unknown>, what: string): SlackPosted {
  if (typeof body.channel !== 'string' || typeof body.ts !== 'string') {
    throw new SlackApiError(`Slack ${method} for ${what} answered ok without a channel and ts`, { method, code: null, status: 200, attempts: 1 });
  }
  return { channel: body.channel, ts: body.ts };
}

function explanation(body: Record<string, unknown>): string {
  const metadata = body.response_metadata;
  const messages = isRecord(metadata) && Array.isArray(metadata.messages) ? metadata.messages.filter((line): line is string => typeof line === 'string') : [];
  return oneLine(messages.slice(0, 2).join('; '));
}

function oneLine(text: string): string {
  return text.replace(/\s+/gu, ' ').trim().slice(0, 200);
}

async function responseText(response: Response): Promise<string> {
  try {
    return await response.text();
  } catch {
    return '';
  }
}

function safeApiUrl(url: string): boolean {
  try {
    const parsed = new URL(url);
    // The token travels in a header: never in clear over a network, only to a receiver on this machine.
    return parsed.protocol === 'https:' || (parsed.protocol === 'http:' && ['127.0.0.1', 'localhost', '[::1]'].includes(parsed.hostname));
  } catch {
    return false;
  }
}

/** A copy of an error chain with the token replaced wherever it occurs (a network error may quote request headers). */
function redacted(error: unknown, token: string, depth = 0): Error {
  const scrub = (text: string): string => text.split(token).join('<token>');
  if (!(error instanceof Error)) return new Error(scrub(String(error)));
  const copy = new Error(scrub(error.message), depth < 3 && error.cause !== undefined ? { cause: redacted(error.cause, token, depth + 1) } : undefined);
  copy.name = error.name;
  return copy;
}
