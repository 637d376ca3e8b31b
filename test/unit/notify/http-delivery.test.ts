import { describe, expect, it, vi } from 'vitest';
import { deliveryFailure, isDeliverableUrl, jsonPoster, retryAfterMs, webhookSecrets, type DeliveryOptions, type DeliveryResult } from '../../../lib/notify/http-delivery.ts';

const URL_WITH_SIG =
  'https://prod-42.westeurope.logic.azure.com:443/workflows/0a1b2c3d/triggers/manual/paths/invoke?api-version=2016-06-01&sp=%2Ftriggers%2Fmanual%2Frun&sv=1.0&sig=SIGsecretSIGsecretSIG';
const BODY = JSON.stringify({ hello: 'world' });

/** A fetch that answers from a script, one response (or thrown error) per call, and records what it was sent. */
function scriptedFetch(...script: (Response | Error)[]) {
  const calls: { url: string; init: RequestInit | undefined }[] = [];
  const fake = vi.fn<typeof fetch>(async (input, init) => {
    calls.push({ url: String(input), init });
    const next = script.shift() ?? new Response(null, { status: 202 });
    if (next instanceof Error) throw next;
    return next;
  });
  return { fake, calls };
}

function poster(fetch: typeof globalThis.fetch, options: DeliveryOptions = {}) {
  const sleeps: number[] = [];
  const post = jsonPoster({
    fetch,
    sleep: async (ms) => {
      sleeps.push(ms);
    },
    random: () => 1,
    ...options,
  });
  return { post, sleeps };
}

function failed(result: DeliveryResult): Extract<DeliveryResult, { ok: false }> {
  if (result.ok) throw new Error('expected the delivery to fail');
  return result;
}

describe('jsonPoster', () => {
  it('POSTs the body as JSON once, with a timeout, and reports the 202 that accepted it', async () => {
    const { fake, calls } = scriptedFetch(new Response(null, { status: 202 }));
    const { post, sleeps } = poster(fake);

    const result = await post({ url: URL_WITH_SIG, body: BODY, secrets: [] });

    expect(result).toEqual({ ok: true, status: 202, attempts: 1 });
    expect(calls).toHaveLength(1);
    expect(calls[0]!.url).toBe(URL_WITH_SIG);
    expect(calls[0]!.init).toMatchObject({ method: 'POST', headers: { 'content-type': 'application/json' }, body: BODY });
    expect(calls[0]!.init?.signal).toBeInstanceOf(AbortSignal);
    expect(sleeps).toEqual([]);
  });

  it('waits what Retry-After asks after a 429, then delivers', async () => {
    const { fake } = scriptedFetch(new Response('slow down', { status: 429, headers: { 'Retry-After': '3' } }), new Response(null, { status: 202 }));
    const { post, sleeps } = poster(fake);

    expect(await post({ url: URL_WITH_SIG, body: BODY, secrets: [] })).toEqual({ ok: true, status: 202, attempts: 2 });
    expect(sleeps).toEqual([3_000]);
  });

  it('backs off after a 429 without Retry-After, and gives up at once when Retry-After is beyond the cap', async () => {
    const plain = poster(scriptedFetch(new Response('', { status: 429 }), new Response(null, { status: 202 })).fake);
    expect((await plain.post({ url: URL_WITH_SIG, body: BODY, secrets: [] })).ok).toBe(true);
    expect(plain.sleeps).toEqual([500]);

    const capped = poster(scriptedFetch(new Response('later', { status: 429, headers: { 'Retry-After': '31' } })).fake, { maxRetryAfterMs: 30_000 });
    const result = failed(await capped.post({ url: URL_WITH_SIG, body: BODY, secrets: [] }));
    expect(capped.sleeps).toEqual([]);
    expect(result).toMatchObject({ status: 429, attempts: 1, detail: 'HTTP 429 later' });
  });

  it('backs off exponentially with equal jitter on 5xx, up to maxAttempts', async () => {
    const { fake } = scriptedFetch(new Response('', { status: 500 }), new Response('', { status: 502 }), new Response('', { status: 503 }), new Response('down', { status: 503 }));
    const { post, sleeps } = poster(fake, { maxAttempts: 4, baseDelayMs: 100, random: () => 0 });

    const result = failed(await post({ url: URL_WITH_SIG, body: BODY, secrets: [] }));

    // Half the delay is fixed: with random() = 0, 50, 100, 200 of the doubled 100, 200, 400.
    expect(sleeps).toEqual([50, 100, 200]);
    expect(result).toEqual({ ok: false, status: 503, attempts: 4, detail: 'HTTP 503 down' });
    expect(fake).toHaveBeenCalledTimes(4);
  });

  it('fails at once on a 4xx other than 429, with the first line of the answer', async () => {
    const { fake } = scriptedFetch(new Response('Bad\n  Request:\tsomething   wrong', { status: 400 }));
    const { post, sleeps } = poster(fake);

    const result = failed(await post({ url: URL_WITH_SIG, body: BODY, secrets: [] }));

    expect(result).toEqual({ ok: false, status: 400, attempts: 1, detail: 'HTTP 400 Bad Request: something wrong' });
    expect(sleeps).toEqual([]);
  });

  it('words the answer with describe, and scrubs the secrets from it', async () => {
    const { fake } = scriptedFetch(new Response('{"message":"bad key KEY0123"}', { status: 400 }));
    const { post } = poster(fake);

    const result = failed(
      await post({
        url: URL_WITH_SIG,
        body: BODY,
        secrets: [{ text: 'KEY0123', as: '<routing key>' }],
        describe: (body) => `said: ${body}`,
      }),
    );

    expect(result.detail).toBe('HTTP 400 said: {"message":"bad key <routing key>"}');
  });

  it('retries network errors and timeouts, and keeps every part of a webhook URL out of the cause', async () => {
    const leak = () =>
      new TypeError(`fetch failed for ${new URL(URL_WITH_SIG).href}`, {
        cause: new Error('connect ECONNRESET /workflows/0a1b2c3d/triggers/manual/paths/invoke sig=SIGsecretSIGsecretSIG'),
      });
    const timeout = new DOMException('The operation was aborted due to timeout', 'TimeoutError');
    const { fake } = scriptedFetch(leak(), timeout, leak());
    const { post, sleeps } = poster(fake);

    const result = failed(await post({ url: URL_WITH_SIG, body: BODY, secrets: webhookSecrets(URL_WITH_SIG) }));

    expect(sleeps).toEqual([500, 1_000]);
    expect(result).toMatchObject({ status: null, attempts: 3, detail: 'network error' });
    const chain = `${result.cause?.message} ${String(result.cause?.cause)}`;
    expect(chain).not.toContain('SIGsecret');
    expect(chain).not.toContain('0a1b2c3d');
    expect(chain).toContain('<webhook URL>');
    expect(result.cause?.name).toBe('TypeError');
  });

  it('says a request timed out when the last try timed out', async () => {
    const timeout = new DOMException('The operation was aborted due to timeout', 'TimeoutError');
    const { post } = poster(scriptedFetch(timeout, timeout).fake, { maxAttempts: 2 });
    expect(failed(await post({ url: URL_WITH_SIG, body: BODY, secrets: [] })).detail).toBe('request timed out');
  });
});

describe('deliveryFailure', () => {
  it('names what failed, the alert, the attempts and the detail', () => {
    expect(deliveryFailure('Teams post', 'a1', { attempts: 1, detail: 'HTTP 400 x' })).toBe('Teams post failed for alert a1 after 1 attempt: HTTP 400 x');
    expect(deliveryFailure('PagerDuty trigger', 'a1', { attempts: 3, detail: 'network error' })).toBe('PagerDuty trigger failed for alert a1 after 3 attempts: network error');
  });
});

describe('isDeliverableUrl', () => {
  it('takes https anywhere and http only on this machine', () => {
    expect(isDeliverableUrl('https://events.pagerduty.com/v2/enqueue')).toBe(true);
    expect(isDeliverableUrl('http://127.0.0.1:8080/hook')).toBe(true);
    expect(isDeliverableUrl('http://localhost/hook')).toBe(true);
    expect(isDeliverableUrl('http://hooks.example/hook')).toBe(false);
    expect(isDeliverableUrl('ftp://hooks.example/hook')).toBe(false);
    expect(isDeliverableUrl('not a url')).toBe(false);
  });
});

describe('webhookSecrets', () => {
  it('covers the URL as given and normalized, its path, its query and each long query value', () => {
    const texts = webhookSecrets(URL_WITH_SIG).map((secret) => secret.text);
    expect(texts).toEqual(
      expect.arrayContaining([
        URL_WITH_SIG,
        new URL(URL_WITH_SIG).href,
        '/workflows/0a1b2c3d/triggers/manual/paths/invoke',
        '?api-version=2016-06-01&sp=%2Ftriggers%2Fmanual%2Frun&sv=1.0&sig=SIGsecretSIGsecretSIG',
        'SIGsecretSIGsecretSIG',
      ]),
    );
    expect(texts).not.toContain('1.0');
    expect(webhookSecrets('not a url')).toEqual([{ text: 'not a url', as: '<webhook URL>' }]);
  });
});

describe('retryAfterMs', () => {
  it('reads delay-seconds and HTTP dates, and nothing else', () => {
    const now = Date.parse('2025-03-14T09:26:51Z');
    expect(retryAfterMs('2', now)).toBe(2_000);
    expect(retryAfterMs('Fri, 14 Mar 2025 09:26:56 GMT', now)).toBe(5_000);
    expect(retryAfterMs('soon', now)).toBeNull();
    expect(retryAfterMs(null, now)).toBeNull();
  });
});
