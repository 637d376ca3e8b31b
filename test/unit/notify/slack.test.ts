import { describe, expect, it, vi } from 'vitest';
import { SlackPostError } from '../../../lib/errors.ts';
import { retryAfterMs, SlackNotifier } from '../../../lib/notify/slack.ts';
import { renderSlack } from '../../../lib/render/slack.ts';
import { sampleAlert } from '../../support/alerts.ts';

const WEBHOOK = 'https://hooks.slack.example/services/T0000/B0000/SECRETsecretSECRET';

/** A fetch that answers from a script, one response (or thrown error) per call, and records what it was sent. */
function scriptedFetch(...script: (Response | Error)[]) {
  const calls: { url: string; init: RequestInit | undefined }[] = [];
  const fake = vi.fn<typeof fetch>(async (input, init) => {
    calls.push({ url: String(input), init });
    const next = script.shift() ?? new Response('ok', { status: 200 });
    if (next instanceof Error) throw next;
    return next;
  });
  return { fake, calls };
}

function notifier(fetch: typeof globalThis.fetch, options: { maxAttempts?: number; maxRetryAfterMs?: number } = {}) {
  const sleeps: number[] = [];
  const slack = new SlackNotifier(async () => WEBHOOK, {
    fetch,
    sleep: async (ms) => {
      sleeps.push(ms);
    },
    random: () => 1,
    ...options,
  });
  return { slack, sleeps };
}

async function failure(promise: Promise<unknown>): Promise<SlackPostError> {
  const error: unknown = await promise.then(
    () => undefined,
    (rejection: unknown) => rejection,
  );
  if (!(error instanceof SlackPostError)) throw new Error(`expected a SlackPostError, got ${String(error)}`);
  return error;
}

describe('SlackNotifier', () => {
  it('posts the Slack rendering of the alert as JSON to the webhook once when Slack answers 200', async () => {
    const { fake, calls } = scriptedFetch(new Response('ok', { status: 200 }));
    const { slack, sleeps } = notifier(fake);
    const alert = sampleAlert();

    await slack.publish(alert);

    expect(calls).toHaveLength(1);
    expect(calls[0]!.url).toBe(WEBHOOK);
    expect(calls[0]!.init?.method).toBe('POST');
    expect(calls[0]!.init?.headers).toEqual({ 'content-type': 'application/json' });
    expect(JSON.parse(String(calls[0]!.init?.body))).toEqual(renderSlack(alert));
    expect(sleeps).toEqual([]);
  });

  it('waits the Retry-After seconds and tries again when Slack answers 429', async () => {
    const { fake } = scriptedFetch(new Response('rate_limited', { status: 429, headers: { 'Retry-After': '2' } }), new Response('ok'));
    const { slack, sleeps } = notifier(fake);

    await slack.publish(sampleAlert());

    expect(fake).toHaveBeenCalledTimes(2);
    expect(sleeps).toEqual([2_000]);
  });

  it('backs off when Slack answers 429 without Retry-After', async () => {
    const { fake } = scriptedFetch(new Response('rate_limited', { status: 429 }), new Response('ok'));
    const { slack, sleeps } = notifier(fake);
    await slack.publish(sampleAlert());
    expect(sleeps).toEqual([500]);
  });

  it('backs off exponentially on 5xx and succeeds when Slack recovers within the attempts', async () => {
    const { fake } = scriptedFetch(new Response('', { status: 503 }), new Response('', { status: 500 }), new Response('ok'));
    const { slack, sleeps } = notifier(fake);

    await slack.publish(sampleAlert());

    expect(fake).toHaveBeenCalledTimes(3);
    expect(sleeps).toEqual([500, 1_000]);
  });

  it('throws a SlackPostError naming the alert and the last status when every attempt gets a 5xx', async () => {
    const { fake } = scriptedFetch(new Response('', { status: 500 }), new Response('', { status: 502 }), new Response('oops', { status: 500 }));
    const { slack, sleeps } = notifier(fake);
    const alert = sampleAlert();

    const error = await failure(slack.publish(alert));

    expect(fake).toHaveBeenCalledTimes(3);
    expect(sleeps).toHaveLength(2);
    expect(error.message).toBe(`Slack post failed for alert ${alert.id} after 3 attempts: HTTP 500 oops`);
    expect({ alertId: error.alertId, status: error.status, attempts: error.attempts }).toEqual({ alertId: alert.id, status: 500, attempts: 3 });
  });

  it('fails at once on a 4xx other than 429, since sending the same payload again cannot succeed', async () => {
    const { fake } = scriptedFetch(new Response('invalid_payload', { status: 400 }));
    const { slack, sleeps } = notifier(fake);

    const error = await failure(slack.publish(sampleAlert()));

    expect(fake).toHaveBeenCalledTimes(1);
    expect(sleeps).toEqual([]);
    expect(error.status).toBe(400);
    expect(error.message).toContain('after 1 attempt: HTTP 400 invalid_payload');
  });

  it('retries network errors and never lets the webhook URL into the error or its cause', async () => {
    const leak = () => new TypeError(`fetch failed for ${WEBHOOK}`, { cause: new Error('connect ECONNRESET /services/T0000/B0000/SECRETsecretSECRET') });
    const { fake } = scriptedFetch(leak(), leak(), leak());
    const { slack, sleeps } = notifier(fake);

    const error = await failure(slack.publish(sampleAlert()));

    expect(sleeps).toEqual([500, 1_000]);
    expect(error.message).toContain('network error');
    expect(error.status).toBeNull();
    const chain = JSON.stringify([error.message, String(error.cause), error.cause instanceof Error ? String(error.cause.cause) : '']);
    expect(chain).not.toContain('SECRETsecretSECRET');
    expect(chain).toContain('<webhook URL>');
    expect(error.cause).toMatchObject({ name: 'TypeError' });
  });

  it('reports a timed-out request as such and retries it', async () => {
    const timeout = new DOMException('The operation was aborted due to timeout', 'TimeoutError');
    const { fake } = scriptedFetch(timeout, new Response('ok'));
    const { slack, sleeps } = notifier(fake);
    await slack.publish(sampleAlert());
    expect(sleeps).toEqual([500]);

    const { fake: always } = scriptedFetch(timeout, timeout);
    const error = await failure(notifier(always, { maxAttempts: 2 }).slack.publish(sampleAlert()));
    expect(error.message).toContain('after 2 attempts: request timed out');
  });

  it('gives up at once when Slack asks to wait longer than the function can', async () => {
    const { fake } = scriptedFetch(new Response('rate_limited', { status: 429, headers: { 'Retry-After': '120' } }));
    const { slack, sleeps } = notifier(fake);
    const error = await failure(slack.publish(sampleAlert()));
    expect(sleeps).toEqual([]);
    expect(error.status).toBe(429);
  });

  it('refuses a webhook URL that is not https without sending anything', async () => {
    const { fake } = scriptedFetch();
    const slack = new SlackNotifier(async () => 'http://hooks.slack.example/services/T/B/secret', { fetch: fake });
    const error = await failure(slack.publish(sampleAlert()));
    expect(fake).not.toHaveBeenCalled();
    expect(error.message).not.toContain('secret');
  });
});

describe('retryAfterMs', () => {
  it('reads delay-seconds and HTTP dates, and nothing else', () => {
    const now = Date.parse('2025-03-14T09:26:51Z');
    expect(retryAfterMs('0', now)).toBe(0);
    expect(retryAfterMs(' 3 ', now)).toBe(3_000);
    expect(retryAfterMs('Fri, 14 Mar 2025 09:26:55 GMT', now)).toBe(4_000);
    expect(retryAfterMs('Fri, 14 Mar 2025 09:00:00 GMT', now)).toBe(0);
    expect(retryAfterMs('soon', now)).toBeNull();
    expect(retryAfterMs(null, now)).toBeNull();
  });
});
