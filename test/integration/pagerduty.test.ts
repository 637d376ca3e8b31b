import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { DeliveryError } from '../../lib/errors.ts';
import { PagerDutyNotifier } from '../../lib/notify/pagerduty.ts';
import { pagerDutyEvent } from '../../lib/render/pagerduty.ts';
import { followUpAlert, resolvedAlert, sampleAlert } from '../support/alerts.ts';
import { recordingSleep, startReceiver, type Receiver } from '../support/http-receiver.ts';

// The PagerDuty sender over real HTTP, against a local server standing in for the Events API v2.

const ROUTING_KEY = 'R0123456789abcdef0123456789abcde';
const PROCESSED = JSON.stringify({ status: 'success', message: 'Event processed', dedup_key: 'k' });

let receiver: Receiver;

beforeAll(async () => {
  receiver = await startReceiver();
});

afterAll(async () => {
  await receiver.close();
});

beforeEach(() => {
  receiver.reset();
});

function pagerDuty() {
  const { sleep, waits } = recordingSleep();
  const notifier = new PagerDutyNotifier(async () => ROUTING_KEY, { url: `${receiver.origin}/v2/enqueue`, sleep, random: () => 1 });
  return { notifier, waits };
}

describe('PagerDutyNotifier over HTTP', () => {
  it('triggers, follows up and resolves one incident by its dedup_key, each accepted with 202', async () => {
    for (let index = 0; index < 3; index += 1) receiver.replies.push({ status: 202, body: PROCESSED });
    const { notifier, waits } = pagerDuty();

    await notifier.publish(sampleAlert());
    await notifier.publish(followUpAlert());
    await notifier.publish(resolvedAlert());

    expect(receiver.requests.map((request) => [request.method, request.path, request.headers['content-type']])).toEqual([
      ['POST', '/v2/enqueue', 'application/json'],
      ['POST', '/v2/enqueue', 'application/json'],
      ['POST', '/v2/enqueue', 'application/json'],
    ]);
    const events = receiver.requests.map((request): unknown => JSON.parse(request.body));
    expect(events).toEqual([pagerDutyEvent(sampleAlert(), ROUTING_KEY), pagerDutyEvent(followUpAlert(), ROUTING_KEY), pagerDutyEvent(resolvedAlert(), ROUTING_KEY)]);
    const key = sampleAlert().key;
    expect(events).toMatchObject([
      { event_action: 'trigger', dedup_key: key },
      { event_action: 'trigger', dedup_key: key },
      { event_action: 'resolve', dedup_key: key },
    ]);
    expect(waits).toEqual([]);
  });

  it('sends a deployment notice to the change endpoint', async () => {
    const { notifier } = pagerDuty();
    await notifier.publish(sampleAlert({ kind: 'deployment', status: 'resolved', severity: 'info', deploymentOutcome: 'completed' }));
    expect(receiver.requests.map((request) => request.path)).toEqual(['/v2/change/enqueue']);
  });

  it('waits the Retry-After of a 429 and sends the same event again', async () => {
    receiver.replies.push({ status: 429, headers: { 'retry-after': '3' } }, { status: 202, body: PROCESSED });
    const { notifier, waits } = pagerDuty();

    await notifier.publish(sampleAlert());

    expect(receiver.requests).toHaveLength(2);
    expect(receiver.requests[1]!.body).toBe(receiver.requests[0]!.body);
    expect(waits).toEqual([3_000]);
  });

  it('backs off after a 500 and delivers on the next try', async () => {
    receiver.replies.push({ status: 500, body: '{"status":"error"}' }, { status: 202, body: PROCESSED });
    const { notifier, waits } = pagerDuty();

    await notifier.publish(sampleAlert());

    expect(receiver.requests).toHaveLength(2);
    expect(waits).toEqual([2_000]);
  });

  it('fails at once on a 400 with the reason PagerDuty gave, and without the routing key', async () => {
    const answer = { status: 'invalid event', message: 'Event object is invalid', errors: ["'payload.severity' is invalid (must be one of the following: 'critical', 'warning', 'error' or 'info')"] };
    receiver.replies.push({ status: 400, body: JSON.stringify(answer) });
    const { notifier, waits } = pagerDuty();
    const alert = sampleAlert();

    const error: unknown = await notifier.publish(alert).catch((rejection: unknown) => rejection);

    expect(receiver.requests).toHaveLength(1);
    expect(waits).toEqual([]);
    expect(error).toBeInstanceOf(DeliveryError);
    expect(error).toMatchObject({
      destination: 'PagerDuty',
      status: 400,
      attempts: 1,
      message: `PagerDuty trigger failed for alert ${alert.id} after 1 attempt: HTTP 400 Event object is invalid: 'payload.severity' is invalid (must be one of the following: 'critical', 'warning', 'error' or 'info')`,
    });
    expect(JSON.stringify(error) + String(error)).not.toContain(ROUTING_KEY);
  });
});
