import { describe, expect, it } from 'vitest';
import type { Alert } from '../../../lib/alerts/alert.ts';
import { SlackThreadError, SlackThreadNotifier, type SlackThreadNotifierOptions } from '../../../lib/notify/slack-thread.ts';
import { threadStoreOn, type SlackThreadStore } from '../../../lib/notify/slack-thread-store.ts';
import { SlackApiError } from '../../../lib/notify/slack-web-api.ts';
import { renderSlack } from '../../../lib/render/slack.ts';
import { withMention } from '../../../lib/render/slack-mention.ts';
import { advanceThreadRoot, renderThreadRoot, threadRootOf } from '../../../lib/render/slack-thread.ts';
import { MemoryStore } from '../../../lib/store/memory-store.ts';
import { followUpAlert, resolvedAlert, sampleAlert } from '../../support/alerts.ts';
import { FakeSlackApi, messageProblems, NAMED_CHANNEL_ID } from '../../support/slack-api.ts';

const TOKEN = 'xoxb-1111-2222-SECRETsecretSECRET';
const SINCE = '2025-03-14T09:26:51Z';
const START = Date.parse('2025-03-14T09:27:00Z');
const ONCALL = '<!subteam^S0ONCALL1>';

function story<T extends Alert>(alert: T, events = 1, since = SINCE): T {
  return { ...alert, firing: { since, events } };
}

const newAlert = (): Alert => story(sampleAlert());
const followUp = (): Alert => story(followUpAlert(), 8);
const repeat = (): Alert => story(sampleAlert({ id: 'e6d5c3a9f4b27c8bd0a5f7b9c1d3e4f5', kind: 'repeat', title: 'Still firing: OOM – service orders-api (prod)', time: '2025-03-14T13:31:51Z' }), 12);
const resolved = (): Alert => story(resolvedAlert(), 12);

/** A notifier on a fake Slack (in process) and a memory store, with a clock that sleeping moves forward. */
function setup(options: Partial<SlackThreadNotifierOptions> & { onSleep?: (ms: number) => Promise<void> | void; store?: SlackThreadStore } = {}) {
  const slack = new FakeSlackApi(TOKEN);
  const clock = { now: START };
  const sleeps: number[] = [];
  const threads = options.store ?? threadStoreOn(new MemoryStore(), undefined, () => clock.now);
  const make = (): SlackThreadNotifier =>
    new SlackThreadNotifier({
      token: async () => TOKEN,
      channel: '#alerts',
      threads,
      apiUrl: 'https://slack.example/api',
      fetch: slack.fetch,
      now: () => clock.now,
      random: () => 0.5,
      mention: (alert) => (alert.severity === 'critical' ? '<!here>' : ONCALL),
      ...options,
      sleep: async (ms) => {
        sleeps.push(ms);
        clock.now += ms;
        await options.onSleep?.(ms);
      },
    });
  return { slack, clock, sleeps, threads, notifier: make(), make };
}

describe('SlackThreadNotifier', () => {
  it('opens a thread with the first message: the root, with the mention, posted to the channel', async () => {
    const { slack, notifier, threads } = setup();
    const alert = newAlert();

    await notifier.publish(alert);

    const [root] = slack.callsTo('chat.postMessage');
    expect(slack.calls).toHaveLength(1);
    expect(root!.authorization).toBe(`Bearer ${TOKEN}`);
    expect(root!.contentType).toBe('application/json; charset=utf-8');
    expect(root!.body).toEqual({ channel: '#alerts', ...withMention(renderThreadRoot(alert, threadRootOf(alert)), ONCALL) });
    expect(root!.body.text).toBe(
      `${ONCALL} ⚠️ [FIRING] OOM: service orders-api (prod) – container orders-api killed for using too much memory · 1 event since 2025-03-14 09:26:51 UTC`,
    );
    expect(root!.body).not.toHaveProperty('thread_ts');
    expect(messageProblems(root!.body)).toEqual([]);
    const stored = await threads.get('#alerts', alert.key);
    expect(stored?.value.threads).toMatchObject([{ since: SINCE, channel: NAMED_CHANNEL_ID, ts: '1700000000.000100', claimedBy: alert.id }]);
    expect(stored?.value.posted).toEqual([alert.id]);
  });

  it('replies to the follow-up in the thread, without mention or broadcast, and updates the root', async () => {
    const { slack, notifier } = setup();
    await notifier.publish(newAlert());

    await notifier.publish(followUp());

    const [, reply] = slack.callsTo('chat.postMessage');
    expect(reply!.body).toEqual({ channel: NAMED_CHANNEL_ID, thread_ts: '1700000000.000100', ...renderSlack(followUp()) });
    const [update] = slack.callsTo('chat.update');
    const root = advanceThreadRoot(threadRootOf(newAlert()), followUp());
    expect(update!.body).toEqual({ channel: NAMED_CHANNEL_ID, ts: '1700000000.000100', ...renderThreadRoot(followUp(), root) });
    expect(update!.body.text).toBe('⚠️ [FIRING] OOM: service orders-api (prod) – container orders-api killed for using too much memory · 8 events since 2025-03-14 09:26:51 UTC');
    expect(messageProblems(update!.body)).toEqual([]);
  });

  it('broadcasts a repeat with the mention, and the resolved notice without, and shows the root resolved', async () => {
    const { slack, notifier } = setup();
    for (const alert of [newAlert(), followUp(), repeat(), resolved()]) await notifier.publish(alert);

    const [, , again, over] = slack.callsTo('chat.postMessage');
    expect(again!.body).toEqual({ channel: NAMED_CHANNEL_ID, thread_ts: '1700000000.000100', reply_broadcast: true, ...withMention(renderSlack(repeat()), ONCALL) });
    expect(over!.body).toEqual({ channel: NAMED_CHANNEL_ID, thread_ts: '1700000000.000100', reply_broadcast: true, ...renderSlack(resolved()) });
    const last = slack.callsTo('chat.update').at(-1)!;
    expect(last.body.ts).toBe('1700000000.000100');
    expect(last.body.text).toBe('✅ [RESOLVED] OOM: service orders-api (prod) – container orders-api killed for using too much memory · resolved at 2025-03-14 10:01:40 UTC, 12 events in all');
    expect(last.body.attachments).toMatchObject([{ color: '#2e7d32' }]);
  });

  it('opens a new thread for the next story of the key after the resolved one', async () => {
    const { slack, notifier, threads } = setup();
    for (const alert of [newAlert(), resolved()]) await notifier.publish(alert);
    const again = story(sampleAlert({ id: 'f7e6d4b0a5c38d9ce1b6a8c0d2e4f5a6', time: '2025-03-20T08:00:00Z' }), 1, '2025-03-20T08:00:00Z');

    await notifier.publish(again);

    const roots = slack.callsTo('chat.postMessage').filter((call) => call.body.thread_ts === undefined);
    expect(roots.map((call) => call.body.text)).toHaveLength(2);
    expect(roots[1]!.body.text).toMatch(/^<!subteam\^S0ONCALL1> ⚠️ \[FIRING\]/u);
    expect((await threads.get('#alerts', again.key))?.value.threads.map((thread) => thread.ts)).toEqual(['1700000000.000100', '1700000000.000300']);
  });

  it('posts nothing for a redelivered alert', async () => {
    const { slack, notifier } = setup();
    for (const alert of [newAlert(), followUp()]) await notifier.publish(alert);
    const posts = slack.callsTo('chat.postMessage').length;

    await notifier.publish(newAlert());
    await notifier.publish(followUp());

    expect(slack.callsTo('chat.postMessage')).toHaveLength(posts);
  });

  it('opens one thread when two first messages of a key read the empty record at the same time', async () => {
    const memory = threadStoreOn(new MemoryStore());
    // Both reads answer before either write: the second write loses its condition.
    let reads = 0;
    let bothRead = (): void => undefined;
    const barrier = new Promise<void>((resolve) => (bothRead = resolve));
    const racing: SlackThreadStore = {
      async get(channel, key) {
        const value = await memory.get(channel, key);
        reads += 1;
        if (reads === 2) bothRead();
        if (reads <= 2) await barrier;
        return value;
      },
      put: (channel, key, value, rev) => memory.put(channel, key, value, rev),
    };
    const { slack, notifier } = setup({ store: racing });

    await Promise.all([notifier.publish(newAlert()), notifier.publish(followUp())]);

    const posts = slack.callsTo('chat.postMessage');
    expect(posts.filter((call) => call.body.thread_ts === undefined)).toHaveLength(1);
    expect(posts.filter((call) => call.body.thread_ts === '1700000000.000100')).toHaveLength(1);
  });

  it('waits for the root another message is posting, then replies in its thread', async () => {
    // The waiter's first pause lets the root's answer through and lasts until the first message is done.
    const opener = { release: (): void => undefined, done: Promise.resolve() };
    const { slack, make, sleeps } = setup({
      onSleep: async () => {
        opener.release();
        await opener.done;
      },
    });
    const held = slack.hold('chat.postMessage');
    opener.release = held.release;
    opener.done = make().publish(newAlert());
    await held.reached;

    await make().publish(followUp());

    expect(sleeps).toEqual([500]);
    const posts = slack.callsTo('chat.postMessage');
    expect(posts.map((call) => call.body.thread_ts)).toEqual([undefined, '1700000000.000100']);
  });

  it('gives up waiting after claimWaitMs so that Lambda retries, when the claimer neither posts nor goes stale', async () => {
    const { slack, make, sleeps } = setup({ claimWaitMs: 2_000, claimStaleMs: 60_000 });
    const held = slack.hold('chat.postMessage');
    const first = make().publish(newAlert());
    await held.reached;

    const error: unknown = await make()
      .publish(followUp())
      .catch((rejection: unknown) => rejection);

    expect(error).toBeInstanceOf(SlackThreadError);
    expect(String(error)).toContain(`is still being opened by alert ${newAlert().id} after 2000 ms`);
    expect(sleeps).toEqual([500, 500, 500, 500]);
    held.release();
    await first;
  });

  it('takes over a claim gone stale and opens the thread itself', async () => {
    const { slack, threads, notifier, clock } = setup();
    const alert = newAlert();
    const claim = { since: SINCE, channel: '#alerts', ts: null, claimedBy: 'died-after-claiming', claimedAt: clock.now - 61_000, root: threadRootOf(alert) };
    await threads.put('#alerts', alert.key, { threads: [claim], posted: [] }, null);

    await notifier.publish(followUp());

    const [root] = slack.callsTo('chat.postMessage');
    expect(root!.body.thread_ts).toBeUndefined();
    expect((await threads.get('#alerts', alert.key))?.value.threads).toMatchObject([{ ts: '1700000000.000100', claimedBy: followUp().id }]);
  });

  it('fails on invalid_auth at once, without the token, and releases its claim', async () => {
    const { slack, notifier, threads, sleeps } = setup();
    slack.script('chat.postMessage', { body: { ok: false, error: 'invalid_auth' } });

    const error: unknown = await notifier.publish(newAlert()).catch((rejection: unknown) => rejection);

    expect(error).toBeInstanceOf(SlackApiError);
    expect(error).toMatchObject({ code: 'invalid_auth', attempts: 1 });
    expect(`${String(error)} ${JSON.stringify(error)}`).not.toContain('SECRET');
    expect(slack.calls).toHaveLength(1);
    expect(sleeps).toEqual([]);
    expect((await threads.get('#alerts', newAlert().key))?.value.threads).toEqual([]);
  });

  it('goes on when the root can no longer be edited, and fails (to be retried) on other update errors', async () => {
    const { slack, notifier } = setup();
    await notifier.publish(newAlert());
    slack.script('chat.update', { body: { ok: false, error: 'message_not_found' } });
    await notifier.publish(followUp());

    slack.script('chat.update', { body: { ok: false, error: 'invalid_blocks' } });
    const error: unknown = await notifier.publish(repeat()).catch((rejection: unknown) => rejection);
    expect(error).toMatchObject({ code: 'invalid_blocks', method: 'chat.update' });

    // Lambda's retry: the reply is not posted again, the root update is.
    const posts = slack.callsTo('chat.postMessage').length;
    await notifier.publish(repeat());
    expect(slack.callsTo('chat.postMessage')).toHaveLength(posts);
    expect(slack.callsTo('chat.update').at(-1)!.body).toMatchObject({ ts: '1700000000.000100', text: expect.stringContaining('12 events since') });
  });

  it('keeps a deployment’s notices in one thread, without mention', async () => {
    const { slack, notifier } = setup();
    const started = sampleAlert({ id: 'd-started', key: 'k|deployment-notice:ecs-svc/1', kind: 'deployment', status: 'resolved', severity: 'info', deploymentOutcome: 'started', title: 'Deployment started – service orders-api (prod)' });
    const completed = { ...started, id: 'd-completed', deploymentOutcome: 'completed' as const, title: 'Deployment completed – service orders-api (prod)', time: '2025-03-14T09:40:00Z' };

    await notifier.publish(started);
    await notifier.publish(completed);

    const [root, reply] = slack.callsTo('chat.postMessage');
    expect(root!.body.text).toBe('ℹ️ [NOTICE] Deployment started – service orders-api (prod) · updated 2025-03-14 09:26:51 UTC');
    expect(reply!.body).toEqual({ channel: NAMED_CHANNEL_ID, thread_ts: '1700000000.000100', ...renderSlack(completed) });
    expect(slack.callsTo('chat.update')[0]!.body.text).toBe('ℹ️ [NOTICE] Deployment completed – service orders-api (prod) · updated 2025-03-14 09:40:00 UTC');
  });
});
