import type { Alert } from '../alerts/alert.ts';
import { SlackPostError } from '../errors.ts';
import { renderSlack } from '../render/slack.ts';
import type { Notifier } from './notifier.ts';

export interface SlackNotifierOptions {
  /** The HTTP client (default: Node's global `fetch`). */
  fetch?: typeof fetch;
  /** Tries per alert, the first included (default 3). */
  maxAttempts?: number;
  /** Waits between tries (default: a timer). */
  sleep?: (ms: number) => Promise<void>;
  /** First backoff after a 5xx or a network error, doubled each time (default 500 ms). */
  baseDelayMs?: number;
  /** Longest `Retry-After` honoured; Slack asking for more fails the post so Lambda retries it later (default 30 s). */
  maxRetryAfterMs?: number;
  /** Time allowed for one request (default 10 s). */
  requestTimeoutMs?: number;
  /** A number in [0, 1) for the backoff's jitter (default `Math.random`). */
  random?: () => number;
}

const defaultSleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

/** What one try came to: done, worth another try after `delayMs`, or a failure no retry will fix. */
type Outcome = { kind: 'ok' } | { kind: 'retry'; delayMs: number; status: number | null; detail: string; cause?: unknown } | { kind: 'fail'; status: number | null; detail: string };

/**
 * Posts alerts to a Slack incoming webhook as Block Kit messages (`renderSlack`).
 *
 * Retries follow Slack's guidance (https://docs.slack.dev/apis/web-api/rate-limits): a 429 is retried after its
 * `Retry-After` seconds, a 5xx, a timeout or a network error after an exponential backoff with jitter, up to
 * `maxAttempts` tries in all. Any other 4xx (`invalid_payload`, `no_service`, `channel_is_archived`, …) fails at once:
 * sending the same request again cannot fix it. A failure is a `SlackPostError`, whose message and cause never
 * contain the webhook URL, which is the credential.
 *
 * The URL comes from `webhookUrl`, asked on every post (it caches; see `webhookUrlFrom`).
 *
 * @example
 * const slack = new SlackNotifier(webhookUrlFrom({ store: 'ssm', name: '/ecs-incident-notifier/slack-webhook' }));
 * await slack.publish(alert);
 */
export class SlackNotifier implements Notifier {
  private readonly fetch: typeof fetch;
  private readonly maxAttempts: number;
  private readonly sleep: (ms: number) => Promise<void>;
  private readonly baseDelayMs: number;
  private readonly maxRetryAfterMs: number;
  private readonly requestTimeoutMs: number;
  private readonly random: () => number;

  constructor(
    private readonly webhookUrl: () => Promise<string>,
    options: SlackNotifierOptions = {},
  ) {
    this.fetch = options.fetch ?? ((input, init) => fetch(input, init));
    this.maxAttempts = Math.max(1, options.maxAttempts ?? 3);
    this.sleep = options.sleep ?? defaultSleep;
    this.baseDelayMs = options.baseDelayMs ?? 500;
    this.maxRetryAfterMs = options.maxRetryAfterMs ?? 30_000;
    this.requestTimeoutMs = options.requestTimeoutMs ?? 10_000;
    this.random = options.random ?? Math.random;
  }

  async publish(alert: Alert): Promise<void> {
    const url = await this.webhookUrl();
    if (!isWebhookUrl(url)) {
      throw new SlackPostError(`Slack post failed for alert ${alert.id}: the webhook URL is not an https URL`, { alertId: alert.id, status: null, attempts: 0 });
    }
    const body = JSON.stringify(renderSlack(alert));
    for (let attempt = 1; ; attempt += 1) {
      const outcome = await this.attempt(url, body, attempt);
      if (outcome.kind === 'ok') return;
      const last = outcome.kind === 'fail' || attempt >= this.maxAttempts || outcome.delayMs > this.maxRetryAfterMs;
      if (last) {
        const tries = `${attempt} ${attempt === 1 ? 'attempt' : 'attempts'}`;
        throw new SlackPostError(
          `Slack post failed for alert ${alert.id} after ${tries}: ${outcome.detail}`,
          { alertId: alert.id, status: outcome.status, attempts: attempt },
          outcome.kind === 'retry' && outcome.cause !== undefined ? { cause: redacted(outcome.cause, url) } : undefined,
        );
      }
      await this.sleep(outcome.delayMs);
    }
  }

  private async attempt(url: string, body: string, attempt: number): Promise<Outcome> {
    let response: Response;
    try {
      response = await this.fetch(url, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body,
        signal: AbortSignal.timeout(this.requestTimeoutMs),
      });
    } catch (error) {
      const what = error instanceof Error && (error.name === 'TimeoutError' || error.name === 'AbortError') ? 'request timed out' : 'network error';
      return { kind: 'retry', delayMs: this.backoff(attempt), status: null, detail: what, cause: error };
    }
    const text = await responseText(response);
    const detail = `HTTP ${response.status}${text === '' ? '' : ` ${text}`}`;
    if (response.ok) return { kind: 'ok' };
    if (response.status === 429) {
      const retryAfter = retryAfterMs(response.headers.get('retry-after'));
      return { kind: 'retry', delayMs: retryAfter ?? this.backoff(attempt), status: 429, detail };
    }
    if (response.status >= 500) return { kind: 'retry', delayMs: this.backoff(attempt), status: response.status, detail };
    return { kind: 'fail', status: response.status, detail };
  }

  /** Exponential backoff with "equal jitter": half the delay fixed, half random. */
  private backoff(attempt: number): number {
    const delay = this.baseDelayMs * 2 ** (attempt - 1);
    return Math.round(delay / 2 + (delay / 2) * this.random());
  }
}

function isWebhookUrl(url: string): boolean {
  try {
    const parsed = new URL(url);
    // http only for a server on this machine (tests, a local proxy); never send the credential in clear over a network.
    return parsed.protocol === 'https:' || (parsed.protocol === 'http:' && ['127.0.0.1', 'localhost', '[::1]'].includes(parsed.hostname));
  } catch {
    return false;
  }
}

/** Slack's error bodies are short words (`invalid_payload`); keep at most a line of whatever came back. */
async function responseText(response: Response): Promise<string> {
  try {
    const text = await response.text();
    return text.replace(/\s+/g, ' ').trim().slice(0, 200);
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

/**
 * A copy of an error chain with every occurrence of the webhook URL (and of its path, which alone is the secret)
 * replaced: fetch's errors can quote the URL they failed on, and errors end up in logs.
 */
function redacted(error: unknown, url: string, depth = 0): Error {
  let secretPath = '';
  try {
    secretPath = new URL(url).pathname;
  } catch {
    // not a URL: only the whole string is redacted
  }
  const scrub = (text: string): string => {
    let out = text.split(url).join('<webhook URL>');
    if (secretPath.length > 1) out = out.split(secretPath).join('/<redacted>');
    return out;
  };
  if (!(error instanceof Error)) return new Error(scrub(String(error)));
  const copy = new Error(scrub(error.message), depth < 3 && error.cause !== undefined ? { cause: redacted(error.cause, url, depth + 1) } : undefined);
  copy.name = error.name;
  return copy;
}
