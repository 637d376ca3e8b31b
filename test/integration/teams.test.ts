import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { DeliveryError } from '../../lib/errors.ts';
import { TeamsNotifier } from '../../lib/notify/teams.ts';
import { renderTeams } from '../../lib/render/teams.ts';
import { adaptiveCardProblems } from '../support/adaptive-card.ts';
import { hostileAlert, sampleAlert } from '../support/alerts.ts';
import { recordingSleep, startReceiver, type Receiver } from '../support/http-receiver.ts';

// The Teams poster over real HTTP, against a local server standing in for a Workflows webhook trigger.

const PATH = '/workflows/0a1b2c3d4e5f/triggers/manual/paths/invoke?api-version=1&sp=%2Ftriggers%2Fmanual%2Frun&sv=1.0&sig=XXXXsecretXXXX';

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

function teams() {
  const { sleep, waits } = recordingSleep();
  return { notifier: new TeamsNotifier(async () => `${receiver.origin}${PATH}`, { sleep, random: () => 1 }), waits };
}

describe('TeamsNotifier over HTTP', () => {
  it('delivers a valid Adaptive Card message, with escaped text, in one POST the workflow accepts with 202', async () => {
    const alert = hostileAlert();
    const { notifier, waits } = teams();

    await notifier.publish(alert);

    expect(receiver.requests).toHaveLength(1);
    const [request] = receiver.requests;
    expect(request).toMatchObject({ method: 'POST', path: PATH });
    expect(request!.headers['content-type']).toBe('application/json');
    const message: unknown = JSON.parse(request!.body);
    expect(message).toEqual(renderTeams(alert));
    expect(message).toMatchObject({ type: 'message', attachments: [{ contentType: 'application/vnd.microsoft.card.adaptive', contentUrl: null }] });
    expect(adaptiveCardProblems(renderTeams(alert).attachments[0].content)).toEqual([]);
    expect(request!.body).toContain('\\\\<!channel\\\\>');
    expect(waits).toEqual([]);
  });

  it('waits the Retry-After of a 429 and posts the same message again', async () => {
    receiver.replies.push({ status: 429, headers: { 'retry-after': '2' }, body: '{"error":{"code":"TooManyRequests"}}' });
    const { notifier, waits } = teams();

    await notifier.publish(sampleAlert());

    expect(receiver.requests).toHaveLength(2);
    expect(receiver.requests[1]!.body).toBe(receiver.requests[0]!.body);
    expect(waits).toEqual([2_000]);
  });

  it('backs off after a 500 and delivers on the next try', async () => {
    receiver.replies.push({ status: 500, body: '{"error":{"code":"InternalServerError"}}' });
    const { notifier, waits } = teams();

    await notifier.publish(sampleAlert());

    expect(receiver.requests).toHaveLength(2);
    expect(waits).toEqual([500]);
  });

  it('fails at once on a 400 with what the workflow said, and without the URL or its signature', async () => {
    receiver.replies.push({ status: 400, body: '{"error":{"code":"TriggerInputSchemaMismatch","message":"The input body for trigger \'manual\' of type \'Request\' did not match its schema."}}' });
    const { notifier, waits } = teams();
    const alert = sampleAlert();

    const error: unknown = await notifier.publish(alert).catch((rejection: unknown) => rejection);

    expect(receiver.requests).toHaveLength(1);
    expect(waits).toEqual([]);
    expect(error).toBeInstanceOf(DeliveryError);
    expect(error).toMatchObject({ destination: 'Teams', status: 400, attempts: 1 });
    expect(String(error)).toContain(`Teams post failed for alert ${alert.id} after 1 attempt: HTTP 400 {"error":{"code":"TriggerInputSchemaMismatch"`);
    expect(String(error)).not.toContain('XXXXsecretXXXX');
  });
});
