import { describe, expect, it, vi } from 'vitest';
import { DeliveryError } from '../../../lib/errors.ts';
import { PAGERDUTY_EVENTS_URL, pagerDutyAnswer, PagerDutyNotifier, type PagerDutyNotifierOptions } from '../../../lib/notify/pagerduty.ts';
import { pagerDutyEvent } from '../../../lib/render/pagerduty.ts';
import { resolvedAlert, sampleAlert } from '../../support/alerts.ts';

const ROUTING_KEY = 'R0123456789abcdef0123456789abcde';
const ACCEPTED = () => new Response('{"status":"success","message":"Event processed","dedup_key":"k"}', { status: 202 });

function scriptedFetch(...script: (Response | Error)[]) {
  const calls: { url: string; init: RequestInit | undefined }[] = [];
  const fake = vi.fn<typeof fetch>(async (input, init) => {
    calls.push({ url: String(input), init });
    const next = script.shift() ?? ACCEPTED();
    if (next instanceof Error) throw next;
    return next;
  });
  return { fake, calls };
}

function notifier(fetch: typeof globalThis.fetch, options: PagerDutyNotifierOptions = {}) {
  const sleeps: number[] = [];
  const pagerDuty = new PagerDutyNotifier(async () => ROUTING_KEY, {
    fetch,
    sleep: async (ms) => {
      sleeps.push(ms);
    },
    random: () => 1,
    ...options,
  });
  return { pagerDuty, sleeps };
}

async function failure(promise: Promise<unknown>): Promise<DeliveryError> {
  const error: unknown = await promise.then(
    () => undefined,
    (rejection: unknown) => rejection,
  );
  if (!(error instanceof DeliveryError)) throw new Error(`expected a DeliveryError, got ${String(error)}`);
  return error;
}

describe('PagerDutyNotifier', () => {
  it('sends the event to the Events API v2 once when PagerDuty answers 202', async () => {
    const { fake, calls } = scriptedFetch(ACCEPTED());
    const { pagerDuty, sleeps } = notifier(fake);
    const alert = sampleAlert();

    await pagerDuty.publish(alert);

    expect(calls).toHaveLength(1);
    expect(calls[0]!.url).toBe('https://events.pagerduty.com/v2/enqueue');
    expect(calls[0]!.url).toBe(PAGERDUTY_EVENTS_URL);
    expect(calls[0]!.init).toMatchObject({ method: 'POST', headers: { 'content-type': 'application/json' } });
    expect(JSON.parse(String(calls[0]!.init?.body))).toEqual(pagerDutyEvent(alert, ROUTING_KEY));
    expect(sleeps).toEqual([]);
  });

  it('resolves through the same endpoint, and sends deployment notices to the change endpoint', async () => {
    const { fake, calls } = scriptedFetch();
    const { pagerDuty } = notifier(fake, { url: 'https://events.eu.pagerduty.com/v2/enqueue' });

    await pagerDuty.publish(resolvedAlert());
    await pagerDuty.publish(sampleAlert({ kind: 'deployment', status: 'resolved', severity: 'info', deploymentOutcome: 'completed' }));

    expect(calls.map((call) => call.url)).toEqual(['https://events.eu.pagerduty.com/v2/enqueue', 'https://events.eu.pagerduty.com/v2/change/enqueue']);
    expect(JSON.parse(String(calls[0]!.init?.body))).toMatchObject({ event_action: 'resolve' });
    expect(JSON.parse(String(calls[1]!.init?.body))).not.toHaveProperty('event_action');
  });

  it('backs off from two seconds on 429 and 5xx, and delivers when PagerDuty recovers', async () => {
    const { fake } = scriptedFetch(new Response('', { status: 429 }), new Response('', { status: 503 }), ACCEPTED());
    const { pagerDuty, sleeps } = notifier(fake);

    await pagerDuty.publish(sampleAlert());

    expect(fake).toHaveBeenCalledTimes(3);
    expect(sleeps).toEqual([2_000, 4_000]);
  });

  it('never retries a 400, and says what PagerDuty answered without the routing key', async () => {
    const answer = { status: 'invalid event', message: 'Event object is invalid', errors: [`'routing_key' ${ROUTING_KEY} is not a valid integration key`] };
    const { fake } = scriptedFetch(new Response(JSON.stringify(answer), { status: 400 }));
    const { pagerDuty, sleeps } = notifier(fake);
    const alert = sampleAlert();

    const error = await failure(pagerDuty.publish(alert));

    expect(fake).toHaveBeenCalledTimes(1);
    expect(sleeps).toEqual([]);
    expect(error).toMatchObject({ destination: 'PagerDuty', alertId: alert.id, status: 400, attempts: 1 });
    expect(error.message).toBe(
      `PagerDuty trigger failed for alert ${alert.id} after 1 attempt: HTTP 400 Event object is invalid: 'routing_key' <routing key> is not a valid integration key`,
    );
  });

  it('keeps the routing key out of a network error and its cause', async () => {
    const leak = () => new TypeError(`request with ${ROUTING_KEY} failed`, { cause: new Error(`socket hang up ${ROUTING_KEY}`) });
    const { fake } = scriptedFetch(leak(), leak());
    const { pagerDuty } = notifier(fake, { maxAttempts: 2 });

    const error = await failure(pagerDuty.publish(sampleAlert()));

    const chain = JSON.stringify([error.message, String(error.cause), error.cause instanceof Error ? String(error.cause.cause) : '']);
    expect(error.message).toContain('after 2 attempts: network error');
    expect(chain).not.toContain(ROUTING_KEY);
    expect(chain).toContain('<routing key>');
  });

  it('refuses an endpoint that is not https without sending anything', async () => {
    const { fake } = scriptedFetch();
    const { pagerDuty } = notifier(fake, { url: 'http://events.pagerduty.com/v2/enqueue' });
    const error = await failure(pagerDuty.publish(sampleAlert()));
    expect(fake).not.toHaveBeenCalled();
    expect(error.message).toContain('the Events API URL is not an https URL');
  });
});

describe('pagerDutyAnswer', () => {
  it('reads the message and errors of a PagerDuty answer, or the first line of anything else', () => {
    expect(pagerDutyAnswer('{"status":"invalid event","message":"Event object is invalid","errors":["\'payload.summary\' is missing","x"]}')).toBe(
      "Event object is invalid: 'payload.summary' is missing; x",
    );
    expect(pagerDutyAnswer('{"message":"Too many requests"}')).toBe('Too many requests');
    expect(pagerDutyAnswer('<html>\n<body>Bad Gateway</body>\n</html>')).toBe('<html> <body>Bad Gateway</body> </html>');
    expect(pagerDutyAnswer('["odd"]')).toBe('["odd"]');
    expect(pagerDutyAnswer('x'.repeat(1_000))).toHaveLength(300);
  });
});
