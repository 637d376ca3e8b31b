import { createServer } from 'node:net';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { Alert } from '../../lib/alerts/alert.ts';
import { SlackThreadNotifier, type SlackThreadNotifierOptions } from '../../lib/notify/slack-thread.ts';
import { threadStoreOn } from '../../lib/notify/slack-thread-store.ts';
import { SlackApiError } from '../../lib/notify/slack-web-api.ts';
import { renderSlack } from '../../lib/render/slack.ts';
import { withMention } from '../../lib/render/slack-mention.ts';
import { advanceThreadRoot, renderThreadRoot, threadRootOf } from '../../lib/render/slack-thread.ts';
import { MemoryStore } from '../../lib/store/memory-store.ts';
import { followUpAlert, hostileAlert, resolvedAlert } from '../support/alerts.ts';
import { FakeSlackApi, messageProblems } from '../support/slack-api.ts';
import { slackTexts } from '../support/slack-message.ts';

// Thread mode over real HTTP, against a local server playing Slack's Web API (test/support/slack-api.ts).

const TOKEN = 'xoxb-4444-5555-SECRETsecretSECRET';
const CHANNEL = 'C0ONCALL99';
const SINCE = '2025-03-14T09:26:51Z';

const slack = new FakeSlackApi(TOKEN);
let apiUrl: string;

beforeAll(async () => {
  apiUrl = await slack.listen();
});

afterAll(async () => {
  await slack.close();
});

beforeEach(() => {
  slack.reset();
});

function story<T extends Alert>(alert: T, events: number): T {
  return { ...alert, firing: { since: SINCE, events } };
}

/** The messages of one story, with Slack's control syntax in the texts that come from events. */
function hostileStory() {
  const opening = story(hostileAlert({ severity: 'critical' }), 1);
  const followUp = story({ ...followUpAlert({ severity: 'critical' }), facts: opening.facts }, 8);
  const repeat = story({ ...opening, id: 'e6d5c3a9f4b27c8bd0a5f7b9c1d3e4f5', kind: 'repeat' as const, title: 'Still firing: OOM – service orders-api (prod)', time: '2025-03-14T13:31:51Z' }, 12);
  const resolved = story({ ...resolvedAlert({ severity: 'critical' }), facts: opening.facts }, 12);
  return { opening, followUp, repeat, resolved };
}

function notifier(options: Partial<SlackThreadNotifierOptions> & { onSleep?: () => Promise<void> } = {}) {
  const sleeps: number[] = [];
  const threads = options.threads ?? threadStoreOn(new MemoryStore());
  const slackThread = new SlackThreadNotifier({
    token: async () => TOKEN,
    channel: CHANNEL,
    threads,
    apiUrl,
    random: () => 0.5,
    mention: (alert) => (alert.severity === 'critical' ? '<!subteam^S0PAGING1>' : null),
    ...options,
    sleep: async (ms) => {
      sleeps.push(ms);
      await options.onSleep?.();
    },
  });
  return { slackThread, sleeps, threads };
}

describe('SlackThreadNotifier over HTTP', () => {
  it('tells a story in one thread: root with the mention, replies, root updates, all escaped and within Block Kit limits', async () => {
    const { opening, followUp, repeat, resolved } = hostileStory();
    const { slackThread } = notifier();

    for (const alert of [opening, followUp, repeat, resolved]) await slackThread.publish(alert);

    const posts = slack.callsTo('chat.postMessage');
    const updates = slack.callsTo('chat.update');
    expect(posts).toHaveLength(4);
    expect(updates).toHaveLength(3);
    for (const call of slack.calls) {
      expect(call.authorization).toBe(`Bearer ${TOKEN}`);
      expect(call.contentType).toBe('application/json; charset=utf-8');
      expect(messageProblems(call.body)).toEqual([]);
    }

    const [root, reply, reminder, notice] = posts;
    expect(root!.body).toEqual({ channel: CHANNEL, ...withMention(renderThreadRoot(opening, threadRootOf(opening)), '<!subteam^S0PAGING1>') });
    expect(reply!.body).toEqual({ channel: CHANNEL, thread_ts: '1700000000.000100', ...renderSlack(followUp) });
    expect(reminder!.body).toEqual({ channel: CHANNEL, thread_ts: '1700000000.000100', reply_broadcast: true, ...withMention(renderSlack(repeat), '<!subteam^S0PAGING1>') });
    expect(notice!.body).toEqual({ channel: CHANNEL, thread_ts: '1700000000.000100', reply_broadcast: true, ...renderSlack(resolved) });

    let state = threadRootOf(opening);
    for (const [index, alert] of [followUp, repeat, resolved].entries()) {
      state = advanceThreadRoot(state, alert);
      expect(updates[index]!.body).toEqual({ channel: CHANNEL, ts: '1700000000.000100', ...renderThreadRoot(alert, state) });
    }
    expect(updates[2]!.body.text).toBe('✅ [RESOLVED] OOM: service orders-api (prod) – container orders-api killed for using too much memory · resolved at 2025-03-14 10:01:40 UTC, 12 events in all');

    // The only live mention is ours; what events said arrives escaped.
    const everything = JSON.stringify(slack.calls.map((call) => call.body));
    expect(new Set(everything.match(/<[!@][^>]*>/gu))).toEqual(new Set(['<!subteam^S0PAGING1>']));
    expect(everything).toContain('&lt;!channel&gt; @here click &lt;https://evil.example|here&gt; &amp;');
    const rootTexts = slackTexts({ text: String(root!.body.text), attachments: renderThreadRoot(opening, threadRootOf(opening)).attachments });
    expect(rootTexts.some((text) => text.includes('&lt;@U024BE7LH&gt;'))).toBe(true);
  });

  it('opens one thread when the first two messages of a key arrive together', async () => {
    const { opening, followUp } = hostileStory();
    const threads = threadStoreOn(new MemoryStore());
    // The second message finds the first one's claim and pauses; the pause lets the root's answer through and lasts
    // until the first message is done, so nothing here depends on how fast the machine is.
    const first = { release: (): void => undefined, done: Promise.resolve() };
    const held = slack.hold('chat.postMessage');
    first.release = held.release;
    first.done = notifier({ threads }).slackThread.publish(opening);
    await held.reached;
    const { slackThread: second, sleeps } = notifier({
      threads,
      onSleep: async () => {
        first.release();
        await first.done;
      },
    });

    await second.publish(followUp);

    expect(sleeps).toEqual([500]);
    expect(slack.callsTo('chat.postMessage').map((call) => call.body.thread_ts)).toEqual([undefined, '1700000000.000100']);
    expect(slack.callsTo('chat.update')).toHaveLength(1);
  });

  it('posts one root when SNS delivers the same first message twice at once, and nothing for a later redelivery', async () => {
    const { opening } = hostileStory();
    const threads = threadStoreOn(new MemoryStore());
    const first = { release: (): void => undefined, done: Promise.resolve() };
    const held = slack.hold('chat.postMessage');
    first.release = held.release;
    first.done = notifier({ threads }).slackThread.publish(opening);
    await held.reached;
    const twin = notifier({
      threads,
      onSleep: async () => {
        first.release();
        await first.done;
      },
    });

    await twin.slackThread.publish(opening);
    await notifier({ threads }).slackThread.publish(structuredClone(opening));

    expect(slack.callsTo('chat.postMessage')).toHaveLength(1);
    expect(slack.callsTo('chat.update')).toEqual([]);
  });

  it('fails on invalid_auth at once, without retrying and without the token in the error', async () => {
    const { slackThread, sleeps } = notifier({ token: async () => 'xoxb-revoked-SECRETsecretSECRET' });

    const error: unknown = await slackThread.publish(hostileStory().opening).catch((rejection: unknown) => rejection);

    expect(slack.calls).toHaveLength(1);
    expect(sleeps).toEqual([]);
    expect(error).toBeInstanceOf(SlackApiError);
    expect(error).toMatchObject({ method: 'chat.postMessage', code: 'invalid_auth', attempts: 1 });
    expect(`${String(error)} ${JSON.stringify(error)} ${String(error instanceof Error ? error.cause : '')}`).not.toContain('SECRET');
  });

  it('waits the Retry-After of a ratelimited answer and of a 429, then delivers', async () => {
    const { opening, followUp } = hostileStory();
    slack.script('chat.postMessage', { headers: { 'Retry-After': '1' }, body: { ok: false, error: 'ratelimited' } });
    slack.script('chat.update', { status: 429, headers: { 'Retry-After': '4' }, body: '' });
    const { slackThread, sleeps } = notifier();

    await slackThread.publish(opening);
    await slackThread.publish(followUp);

    expect(sleeps).toEqual([1_000, 4_000]);
    expect(slack.callsTo('chat.postMessage')).toHaveLength(3);
    expect(slack.callsTo('chat.update')).toHaveLength(2);
    expect(slack.callsTo('chat.update')[1]!.body).toEqual(slack.callsTo('chat.update')[0]!.body);
  });

  it('reports a connection refused as a network error after its tries, and releases the claim', async () => {
    const closed = createServer();
    await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
    const address = closed.address();
    const port = address !== null && typeof address === 'object' ? address.port : 0;
    await new Promise<void>((resolve) => closed.close(() => resolve()));
    const { slackThread, sleeps, threads } = notifier({ apiUrl: `http://127.0.0.1:${port}/api`, maxAttempts: 2, baseDelayMs: 10 });
    const { opening } = hostileStory();

    const error: unknown = await slackThread.publish(opening).catch((rejection: unknown) => rejection);

    expect(error).toBeInstanceOf(SlackApiError);
    expect(String(error)).toContain('after 2 attempts: network error');
    expect(sleeps).toEqual([8]);
    expect((await threads.get(CHANNEL, opening.key))?.value.threads).toEqual([]);
  });
});
