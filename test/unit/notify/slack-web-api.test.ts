import { describe, expect, it } from 'vitest';
import { SlackApiError, SlackWebApi, type SlackWebApiOptions } from '../../../lib/notify/slack-web-api.ts';
import { FakeSlackApi } from '../../support/slack-api.ts';

const TOKEN = 'xoxb-1111-2222-SECRETsecretSECRET';

function client(slack: FakeSlackApi, options: Partial<SlackWebApiOptions> = {}) {
  const sleeps: number[] = [];
  const api = new SlackWebApi({
    token: async () => TOKEN,
    apiUrl: 'https://slack.example/api',
    fetch: slack.fetch,
    sleep: async (ms) => {
      sleeps.push(ms);
    },
    random: () => 0.5,
    ...options,
  });
  return { api, sleeps };
}

async function failure(promise: Promise<unknown>): Promise<SlackApiError> {
  const error: unknown = await promise.then(
    () => undefined,
    (rejection: unknown) => rejection,
  );
  if (!(error instanceof SlackApiError)) throw new Error(`expected a SlackApiError, got ${String(error)}`);
  return error;
}

describe('SlackWebApi', () => {
  it('posts JSON with the bearer token and resolves the channel id and ts Slack answers', async () => {
    const slack = new FakeSlackApi(TOKEN);
    const { api } = client(slack);

    const posted = await api.postMessage({ channel: '#alerts', text: 'hello' }, 'alert 1');

    expect(posted).toEqual({ channel: 'C0ALERTS01', ts: '1700000000.000100' });
    expect(slack.calls).toEqual([{ method: 'chat.postMessage', authorization: `Bearer ${TOKEN}`, contentType: 'application/json; charset=utf-8', body: { channel: '#alerts', text: 'hello' } }]);
  });

  it.each(['invalid_auth', 'channel_not_found', 'not_in_channel', 'msg_too_long', 'invalid_blocks'])('fails at once on %s, with the code and without the token', async (code) => {
    const slack = new FakeSlackApi(TOKEN);
    slack.script('chat.postMessage', { body: { ok: false, error: code } });
    const { api, sleeps } = client(slack);

    const error = await failure(api.postMessage({ channel: 'C1', text: 'x' }, 'alert 1'));

    expect(slack.calls).toHaveLength(1);
    expect(sleeps).toEqual([]);
    expect(error).toMatchObject({ method: 'chat.postMessage', code, status: 200, attempts: 1, message: `Slack chat.postMessage failed for alert 1 after 1 attempt: ${code}` });
    expect(`${String(error)} ${JSON.stringify(error)} ${String(error.cause)}`).not.toContain('SECRET');
  });

  it('quotes the first of Slack’s explanations of invalid_blocks', async () => {
    const slack = new FakeSlackApi(TOKEN);
    slack.script('chat.postMessage', { body: { ok: false, error: 'invalid_blocks', response_metadata: { messages: ['[ERROR] must be less than 3001 characters [json-pointer:/blocks/0/text/text]'] } } });

    const error = await failure(client(slack).api.postMessage({ channel: 'C1', text: 'x' }, 'alert 1'));

    expect(error.message).toBe('Slack chat.postMessage failed for alert 1 after 1 attempt: invalid_blocks ([ERROR] must be less than 3001 characters [json-pointer:/blocks/0/text/text])');
  });

  it('waits the Retry-After of an ok:false ratelimited answer, then tries again', async () => {
    const slack = new FakeSlackApi(TOKEN);
    slack.script('chat.postMessage', { headers: { 'retry-after': '3' }, body: { ok: false, error: 'ratelimited' } });
    const { api, sleeps } = client(slack);

    await api.postMessage({ channel: 'C1', text: 'x' }, 'alert 1');

    expect(sleeps).toEqual([3_000]);
    expect(slack.callsTo('chat.postMessage')).toHaveLength(2);
  });

  it('waits the Retry-After of an HTTP 429, then tries again', async () => {
    const slack = new FakeSlackApi(TOKEN);
    slack.script('chat.update', { status: 429, headers: { 'retry-after': '2' }, body: '' });
    const { api, sleeps } = client(slack);

    expect(await api.update({ channel: 'C1', ts: '1.2', text: 'x' }, 'root')).toEqual({ channel: 'C1', ts: '1.2' });
    expect(sleeps).toEqual([2_000]);
  });

  it('gives up when Slack asks to wait longer than maxRetryAfterMs, so Lambda retries later', async () => {
    const slack = new FakeSlackApi(TOKEN);
    slack.script('chat.postMessage', { status: 429, headers: { 'retry-after': '120' } });
    const { api, sleeps } = client(slack);

    const error = await failure(api.postMessage({ channel: 'C1', text: 'x' }, 'alert 1'));

    expect(error).toMatchObject({ code: 'ratelimited', status: 429, attempts: 1 });
    expect(sleeps).toEqual([]);
  });

  it('backs off with jitter after 5xx answers and transient Slack errors, up to maxAttempts', async () => {
    const slack = new FakeSlackApi(TOKEN);
    slack.script('chat.postMessage', { status: 503, body: 'unavailable' }, { body: { ok: false, error: 'internal_error' } }, { status: 500, body: 'server error' });
    const { api, sleeps } = client(slack, { maxAttempts: 3, baseDelayMs: 100 });

    const error = await failure(api.postMessage({ channel: 'C1', text: 'x' }, 'alert 1'));

    // Equal jitter with random 0.5: 100 → 75, 200 → 150.
    expect(sleeps).toEqual([75, 150]);
    expect(error).toMatchObject({ status: 500, attempts: 3, message: 'Slack chat.postMessage failed for alert 1 after 3 attempts: HTTP 500 server error' });
  });

  it('retries a network error and keeps the token out of the error chain', async () => {
    const slack = new FakeSlackApi(TOKEN);
    const failing: typeof fetch = async () => {
      throw new TypeError(`fetch failed`, { cause: new Error(`socket hang up while sending Bearer ${TOKEN}`) });
    };
    const { api, sleeps } = client(slack, { fetch: failing, maxAttempts: 2, baseDelayMs: 10 });

    const error = await failure(api.postMessage({ channel: 'C1', text: 'x' }, 'alert 1'));

    expect(sleeps).toHaveLength(1);
    expect(error.message).toBe('Slack chat.postMessage failed for alert 1 after 2 attempts: network error');
    const cause = error.cause instanceof Error ? error.cause : null;
    expect(cause?.cause instanceof Error ? cause.cause.message : '').toBe('socket hang up while sending Bearer <token>');
  });

  it('fails at once on a 200 whose body is not JSON (a proxy page)', async () => {
    const slack = new FakeSlackApi(TOKEN);
    slack.script('chat.postMessage', { body: '<html>captive portal</html>' });

    const error = await failure(client(slack).api.postMessage({ channel: 'C1', text: 'x' }, 'alert 1'));

    expect(error.message).toBe('Slack chat.postMessage failed for alert 1 after 1 attempt: HTTP 200 with a body that is not JSON: <html>captive portal</html>');
  });

  it('refuses a token with a line break before sending anything, without quoting it', async () => {
    const slack = new FakeSlackApi(TOKEN);
    const { api } = client(slack, { token: async () => `${TOKEN}\nX-Evil: 1` });

    const error = await failure(api.postMessage({ channel: 'C1', text: 'x' }, 'alert 1'));

    expect(slack.calls).toEqual([]);
    expect(error.message).not.toContain('SECRET');
  });

  it('refuses to send the token over plain http off this machine', () => {
    expect(() => new SlackWebApi({ token: async () => TOKEN, apiUrl: 'http://slack.example/api' })).toThrow(/not an https URL/u);
    expect(() => new SlackWebApi({ token: async () => TOKEN, apiUrl: 'http://127.0.0.1:9/api' })).not.toThrow();
  });
});
