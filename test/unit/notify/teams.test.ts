import { describe, expect, it, vi } from 'vitest';
import { DeliveryError } from '../../../lib/errors.ts';
import { TeamsNotifier } from '../../../lib/notify/teams.ts';
import { renderTeams } from '../../../lib/render/teams.ts';
import { sampleAlert } from '../../support/alerts.ts';

const WEBHOOK =
  'https://default0a1b2c3d.14.environment.api.powerplatform.com:443/powerautomate/automations/direct/workflows/0a1b2c3d4e5f/triggers/manual/paths/invoke?api-version=1&sp=%2Ftriggers%2Fmanual%2Frun&sv=1.0&sig=SIGsecretSIGsecretSIGsecret';

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

function notifier(fetch: typeof globalThis.fetch, url = WEBHOOK) {
  const sleeps: number[] = [];
  const teams = new TeamsNotifier(async () => url, {
    fetch,
    sleep: async (ms) => {
      sleeps.push(ms);
    },
    random: () => 1,
  });
  return { teams, sleeps };
}

async function failure(promise: Promise<unknown>): Promise<DeliveryError> {
  const error: unknown = await promise.then(
    () => undefined,
    (rejection: unknown) => rejection,
  );
  if (!(error instanceof DeliveryError)) throw new Error(`expected a DeliveryError, got ${String(error)}`);
  return error;
}

describe('TeamsNotifier', () => {
  it('posts the Teams rendering of the alert to the workflow once when it answers 202', async () => {
    const { fake, calls } = scriptedFetch(new Response(null, { status: 202 }));
    const { teams, sleeps } = notifier(fake);
    const alert = sampleAlert();

    await teams.publish(alert);

    expect(calls).toHaveLength(1);
    expect(calls[0]!.url).toBe(WEBHOOK);
    expect(calls[0]!.init).toMatchObject({ method: 'POST', headers: { 'content-type': 'application/json' } });
    expect(JSON.parse(String(calls[0]!.init?.body))).toEqual(renderTeams(alert));
    expect(sleeps).toEqual([]);
  });

  it('retries a throttled post after Retry-After', async () => {
    const { fake } = scriptedFetch(new Response('', { status: 429, headers: { 'Retry-After': '1' } }), new Response(null, { status: 202 }));
    const { teams, sleeps } = notifier(fake);
    await teams.publish(sampleAlert());
    expect(sleeps).toEqual([1_000]);
  });

  it('fails at once on a 400 with what the workflow answered, naming Teams and the alert', async () => {
    const { fake } = scriptedFetch(new Response('{"error":{"code":"InvalidRequestContent","message":"The input body for trigger is not valid JSON."}}', { status: 400 }));
    const { teams, sleeps } = notifier(fake);
    const alert = sampleAlert();

    const error = await failure(teams.publish(alert));

    expect(fake).toHaveBeenCalledTimes(1);
    expect(sleeps).toEqual([]);
    expect(error).toMatchObject({ name: 'DeliveryError', destination: 'Teams', alertId: alert.id, status: 400, attempts: 1 });
    expect(error.message).toBe(
      `Teams post failed for alert ${alert.id} after 1 attempt: HTTP 400 {"error":{"code":"InvalidRequestContent","message":"The input body for trigger is not valid JSON."}}`,
    );
  });

  it('never lets the workflow URL or its signature into the error or its cause', async () => {
    const leak = () => new TypeError(`fetch failed for ${new URL(WEBHOOK).href}`, { cause: new Error('getaddrinfo ENOTFOUND sig=SIGsecretSIGsecretSIGsecret') });
    const { fake } = scriptedFetch(leak(), leak(), leak());
    const { teams } = notifier(fake);

    const error = await failure(teams.publish(sampleAlert()));

    const chain = JSON.stringify([error.message, String(error.cause), error.cause instanceof Error ? String(error.cause.cause) : '']);
    expect(error.message).toContain('after 3 attempts: network error');
    expect(chain).not.toContain('SIGsecret');
    expect(chain).not.toContain('0a1b2c3d4e5f');
  });

  it('refuses a webhook URL that is not https without sending anything', async () => {
    const { fake } = scriptedFetch();
    const { teams } = notifier(fake, 'http://prod-00.westeurope.logic.azure.com/workflows/x?sig=SIGsecret');
    const error = await failure(teams.publish(sampleAlert()));
    expect(fake).not.toHaveBeenCalled();
    expect(error).toMatchObject({ status: null, attempts: 0 });
    expect(error.message).not.toContain('SIGsecret');
  });
});
