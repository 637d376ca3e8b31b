/**
 * The retrying JSON POST that every HTTP destination (Slack, Teams, PagerDuty) shares: one place decides what is
 * worth another try, how long to wait, and that no credential reaches an error.
 */

export interface DeliveryOptions {
  /** The HTTP client (default: Node's global `fetch`). */
  fetch?: typeof fetch;
  /** Tries per alert, the first included (default 3). */
  maxAttempts?: number;
  /** Waits between tries (default: a timer). */
  sleep?: (ms: number) => Promise<void>;
  /** First backoff after a 5xx, a 429 without `Retry-After`, a timeout or a network error, doubled each time (default 500 ms). */
  baseDelayMs?: number;
  /** Longest `Retry-After` honoured; asking for more fails the delivery so Lambda retries it later (default 30 s). */
  maxRetryAfterMs?: number;
  /** Time allowed for one request (default 10 s). */
  requestTimeoutMs?: number;
  /** A number in [0, 1) for the backoff's jitter (default `Math.random`). */
  random?: () => number;
}

/** A credential to keep out of errors, and what stands in its place. */
export interface Secret {
  text: string;
  as: string;
}

export interface JsonPost {
  url: string;
  /** The JSON document, serialized. */
  body: string;
  /** Every credential the URL or the body holds: replaced wherever it shows up in an error's detail or cause. */
  secrets: readonly Secret[];
  /**
   * Words for the body of a response that is not a success, for the error (default: its first 200 characters, on
   * one line). The result is scrubbed of the secrets like everything else.
   */
  describe?: (body: string) => string;
}

/** What a delivery came to: accepted (any 2xx), or the last failure once no further try is worth it. */
export type DeliveryResult =
  | { ok: true; status: number; attempts: number }
  | { ok: false; status: number | null; attempts: number; detail: string; cause?: Error };

/** What one try came to: done, worth another try after `delayMs`, or a failure no retry will fix. */
type Outcome =
  | { kind: 'ok'; status: number }
  | { kind: 'retry'; delayMs: number; status: number | null; detail: string; cause?: unknown }
  | { kind: 'fail'; status: number | null; detail: string };

const defaultSleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * A function that POSTs JSON and retries what a retry can fix: a 429 after its `Retry-After` (up to
 * `maxRetryAfterMs`; without one, after the backoff), a 5xx, a timeout or a network error after an exponential
 * backoff with jitter, up to `maxAttempts` tries in all. Any other 4xx ends at once: sending the same request again
 * cannot fix it. This is the retry advice of Slack (https://docs.slack.dev/apis/web-api/rate-limits), Teams
 * (https://learn.microsoft.com/en-us/microsoftteams/platform/webhooks-and-connectors/how-to/add-incoming-webhook:
 * "retry logic with exponential backoff") and PagerDuty
 * (https://developer.pagerduty.com/docs/events-api-v2/overview/#response-codes--retry-logic) alike.
 *
 * It never throws: the result says how it went, and the caller words its own error. A failure's detail and cause
 * have every secret of the request replaced.
 *
 * @example
 * const post = jsonPoster({ maxAttempts: 3 });
 * const result = await post({ url, body: JSON.stringify(message), secrets: webhookSecrets(url) });
 * if (!result.ok) throw new DeliveryError(deliveryFailure('Teams post', alert.id, result), …);
 */
export function jsonPoster(options: DeliveryOptions = {}): (post: JsonPost) => Promise<DeliveryResult> {
  const send = options.fetch ?? ((input, init) => fetch(input, init));
  const maxAttempts = Math.max(1, options.maxAttempts ?? 3);
  const sleep = options.sleep ?? defaultSleep;
  const baseDelayMs = options.baseDelayMs ?? 500;
  const maxRetryAfterMs = options.maxRetryAfterMs ?? 30_000;
  const requestTimeoutMs = options.requestTimeoutMs ?? 10_000;
  const random = options.random ?? Math.random;

  /** Exponential backoff with "equal jitter": half the delay fixed, half random. */
  const backoff = (attempt: number): number => {
    const delay = baseDelayMs * 2 ** (attempt - 1);
    return Math.round(delay / 2 + (delay / 2) * random());
  };

  const attempt = async (post: JsonPost, number: number): Promise<Outcome> => {
    let response: Response;
    try {
      response = await send(post.url, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: post.body,
        signal: AbortSignal.timeout(requestTimeoutMs),
      });
    } catch (error) {
      const what = error instanceof Error && (error.name === 'TimeoutError' || error.name === 'AbortError') ? 'request timed out' : 'network error';
      return { kind: 'retry', delayMs: backoff(number), status: null, detail: what, cause: error };
    }
    if (response.ok) {
      // Drain the body so the connection can be reused; what a success says is not needed.
      await responseText(response);
      return { kind: 'ok', status: response.status };
    }
    const text = await responseText(response);
    const words = (post.describe ?? firstLine)(text);
    const detail = `HTTP ${response.status}${words === '' ? '' : ` ${words}`}`;
    if (response.status === 429) {
      const retryAfter = retryAfterMs(response.headers.get('retry-after'));
      return { kind: 'retry', delayMs: retryAfter ?? backoff(number), status: 429, detail };
    }
    if (response.status >= 500) return { kind: 'retry', delayMs: backoff(number), status: response.status, detail };
    return { kind: 'fail', status: response.status, detail };
  };

  return async (post) => {
    for (let number = 1; ; number += 1) {
      const outcome = await attempt(post, number);
      if (outcome.kind === 'ok') return { ok: true, status: outcome.status, attempts: number };
      const last = outcome.kind === 'fail' || number >= maxAttempts || outcome.delayMs > maxRetryAfterMs;
      if (last) {
        const failure: DeliveryResult = { ok: false, status: outcome.status, attempts: number, detail: scrub(outcome.detail, post.secrets) };
        if (outcome.kind === 'retry' && outcome.cause !== undefined) failure.cause = redacted(outcome.cause, post.secrets);
        return failure;
      }
      await sleep(outcome.delayMs);
    }
  };
}

/**
 * The message of a failed delivery, the same for every destination.
 *
 * @example deliveryFailure('Slack post', 'b3a2…', { attempts: 3, detail: 'HTTP 500 oops' })
 *   // 'Slack post failed for alert b3a2… after 3 attempts: HTTP 500 oops'
 */
export function deliveryFailure(what: string, alertId: string, failure: { attempts: number; detail: string }): string {
  const tries = `${failure.attempts} ${failure.attempts === 1 ? 'attempt' : 'attempts'}`;
  return `${what} failed for alert ${alertId} after ${tries}: ${failure.detail}`;
}

/**
 * Whether `url` may carry a credential: https, or http only to a server on this machine (tests, a local proxy);
 * never in clear over a network.
 */
export function isDeliverableUrl(url: string): boolean {
  try {
    const parsed = new URL(url);
    return parsed.protocol === 'https:' || (parsed.protocol === 'http:' && ['127.0.0.1', 'localhost', '[::1]'].includes(parsed.hostname));
  } catch {
    return false;
  }
}

/** Query values shorter than this are not taken for credentials (`api-version=1`, `sv=1.0`). */
const MIN_SECRET_QUERY_VALUE = 8;

/**
 * The secrets of a webhook URL: the URL itself (as given and as `fetch` normalizes it), its path (a Slack webhook's
 * credential) and its query (a Teams Workflows URL's `sig`), so that none of them can reach an error.
 */
export function webhookSecrets(url: string): Secret[] {
  const secrets: Secret[] = [{ text: url, as: '<webhook URL>' }];
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return secrets; // not a URL: only the whole string is redacted
  }
  if (parsed.href !== url) secrets.push({ text: parsed.href, as: '<webhook URL>' });
  if (parsed.pathname.length > 1) secrets.push({ text: parsed.pathname, as: '/<redacted>' });
  if (parsed.search.length > 1) secrets.push({ text: parsed.search, as: '?<redacted>' });
  for (const value of parsed.searchParams.values()) {
    if (value.length >= MIN_SECRET_QUERY_VALUE) secrets.push({ text: value, as: '<redacted>' }, { text: encodeURIComponent(value), as: '<redacted>' });
  }
  return secrets;
}

/** Error bodies are short (Slack's `invalid_payload`); keep at most a line of whatever came back. */
function firstLine(text: string): string {
  return text.replace(/\s+/g, ' ').trim().slice(0, 200);
}

async function responseText(response: Response): Promise<string> {
  try {
    return await response.text();
  } catch {
    return '';
  }
}

/** `Retry-After` as milliseconds: delay-seconds or an HTTP date (RFC 9110 §10.2.3); null when absent or unreadable. */
export function retryAfterMs(header: string | null, now: number = Date.now()): number | null {
  if (header === null) return null;
  const value = header.trim();
  if (/^\d+$/.test(value)) return Number(value) * 1_000;
  const date = Date.parse(value);
  return Number.isNaN(date) ? null : Math.max(0, date - now);
}

/** `text` with every secret replaced, longest first, so a URL goes as a whole before its path does. */
function scrub(text: string, secrets: readonly Secret[]): string {
  let out = text;
  for (const secret of [...secrets].sort((a, b) => b.text.length - a.text.length)) {
    if (secret.text !== '') out = out.split(secret.text).join(secret.as);
  }
  return out;
}

/**
 * A copy of an error chain with every secret replaced: fetch's errors can quote the URL they failed on, and errors
 * end up in logs.
 */
function redacted(error: unknown, secrets: readonly Secret[], depth = 0): Error {
  if (!(error instanceof Error)) return new Error(scrub(String(error), secrets));
  const cause = depth < 3 && error.cause !== undefined ? { cause: redacted(error.cause, secrets, depth + 1) } : undefined;
  const copy = new Error(scrub(error.message, secrets), cause);
  copy.name = error.name;
  return copy;
}
