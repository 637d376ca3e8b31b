import type { Alert, AlertKind } from '../alerts/alert.ts';
import { renderSlack, type SlackMessage } from '../render/slack.ts';
import { withMention } from '../render/slack-mention.ts';
import { renderThreadRoot } from '../render/slack-thread.ts';
import { isResolved } from '../render/view.ts';
import type { Notifier } from './notifier.ts';
import {
  EMPTY_THREAD_RECORD,
  recordReply,
  releaseClaim,
  settleOpen,
  threadStep,
  type PostedThread,
  type SlackThread,
  type SlackThreadRecord,
} from './slack-thread-record.ts';
import type { SlackThreadStore } from './slack-thread-store.ts';
import { SlackApiError, SlackWebApi, type SlackPosted, type SlackWebApiOptions } from './slack-web-api.ts';

export type { SlackThreadStore } from './slack-thread-store.ts';
export type { SlackThreadRecord } from './slack-thread-record.ts';

/** Thread mode gave up on the thread record: another message kept it claimed, or writers kept conflicting. */
export class SlackThreadError extends Error {
  override readonly name = 'SlackThreadError';
}

export interface SlackThreadNotifierOptions extends Omit<SlackWebApiOptions, 'token'> {
  /** The bot token (from SSM or Secrets Manager, cached by the source); never logged nor put in an error. */
  token: () => Promise<string>;
  /** The channel to post in: its id (`C0123ABCD`) is best; a name works for posting, replies then use the id Slack answers. */
  channel: string;
  threads: SlackThreadStore;
  /** The mention for an alert (e.g. by severity), in Slack syntax (`<!subteam^S…>`), or null; see `mentionWanted`. */
  mention?: (alert: Alert) => string | null;
  /** Replies also shown in the channel (`reply_broadcast`); default: repeats and resolved notices. */
  broadcast?: readonly AlertKind[];
  /** The clock, epoch ms (default `Date.now`). */
  now?: () => number;
  /** A claim older than this is taken over: its writer died between claiming and posting (default 60 s). */
  claimStaleMs?: number;
  /** How long a message waits for another's root before failing, so Lambda retries it later (default 20 s). */
  claimWaitMs?: number;
  /** How often a waiting message reads the record again (default 500 ms). */
  claimPollMs?: number;
  /** Conditional writes lost in a row before giving up (default 10). */
  maxStoreAttempts?: number;
}

/** chat.update errors that leave the thread usable: the root was deleted or can no longer be edited. Replies go on. */
const ROOT_GONE = new Set(['message_not_found', 'cant_update_message', 'edit_window_closed']);

/**
 * Posts alerts to Slack with a bot token, one thread per alert story, so that a channel shows one message per problem
 * instead of one per update (and people do not mute it):
 *
 * - the first message of a story (`new`, or whichever arrives first) opens a thread: `chat.postMessage` of the root,
 *   rendered by `renderThreadRoot` (state, count, since, last update, then the alert), with the mention;
 * - follow-ups, repeats and the resolved notice are replies in it (`thread_ts`); repeats and resolved notices are also
 *   broadcast to the channel (`reply_broadcast`), so the channel sees that a problem still fires, and that it is over,
 *   while follow-ups (the noise) stay in the thread; each reply updates the root (`chat.update`);
 * - a message of a later story (another `firing.since`, e.g. a `new` after the resolved notice) opens a new thread.
 *
 * At-least-once delivery and concurrency (SNS → Lambda may deliver two messages of a key at once, or one twice):
 * - the first message claims the story with a conditional write before posting its root; a concurrent message of the
 *   same story reads the claim and waits (up to `claimWaitMs`, polling) for the root's `ts`, then replies; a claim older
 *   than `claimStaleMs` is taken over. A claimer that fails to post releases its claim.
 * - an alert whose id is among the last ids posted posts nothing (a redelivery).
 *
 * What is left, honestly: the post comes before the record of it, so a crash (or a lost answer) between the two posts
 * that message again on Lambda's retry; two deliveries of one reply at the very same moment both post it; a claimer
 * stalled for longer than `claimStaleMs` that then posts leaves a second, orphan root; and a retried `chat.postMessage`
 * whose first answer was lost posts twice (Slack has no idempotency key). Root updates of concurrent replies may land
 * out of order; the next message or a redelivery puts the root right.
 *
 * @example
 * const slack = new SlackThreadNotifier({ token: botToken, channel: 'C0123ABCD', threads: threadStoreOn(store) });
 * await slack.publish(alert);
 */
export class SlackThreadNotifier implements Notifier {
  private readonly api: SlackWebApi;
  private readonly channel: string;
  private readonly threads: SlackThreadStore;
  private readonly mention: (alert: Alert) => string | null;
  private readonly broadcast: ReadonlySet<AlertKind>;
  private readonly now: () => number;
  private readonly sleep: (ms: number) => Promise<void>;
  private readonly random: () => number;
  private readonly claimStaleMs: number;
  private readonly claimWaitMs: number;
  private readonly claimPollMs: number;
  private readonly maxStoreAttempts: number;

  constructor(options: SlackThreadNotifierOptions) {
    this.api = new SlackWebApi(options);
    this.channel = options.channel;
    this.threads = options.threads;
    this.mention = options.mention ?? (() => null);
    this.broadcast = new Set(options.broadcast ?? ['repeat', 'resolved']);
    this.now = options.now ?? Date.now;
    this.sleep = options.sleep ?? ((ms) => new Promise((resolve) => setTimeout(resolve, ms)));
    this.random = options.random ?? Math.random;
    this.claimStaleMs = options.claimStaleMs ?? 60_000;
    this.claimWaitMs = options.claimWaitMs ?? 20_000;
    this.claimPollMs = options.claimPollMs ?? 500;
    this.maxStoreAttempts = Math.max(1, options.maxStoreAttempts ?? 10);
  }

  async publish(alert: Alert): Promise<void> {
    const started = this.now();
    for (let conflicts = 0; ; ) {
      const stored = await this.threads.get(this.channel, alert.key);
      const step = threadStep(stored?.value ?? EMPTY_THREAD_RECORD, alert, { channel: this.channel, now: this.now(), staleMs: this.claimStaleMs });
      switch (step.kind) {
        case 'duplicate':
          // Posted before. A reply's root update may be what failed then, and it is safe to repeat while this alert
          // is still the latest of its story; the root an alert opened already shows it.
          if (step.thread !== null && step.thread.claimedBy !== alert.id && step.thread.root.lastUpdate === alert.time) await this.updateRoot(alert, step.thread);
          return;
        case 'reply':
          return this.reply(alert, step.thread);
        case 'wait': {
          const waited = this.now() - started;
          if (waited >= this.claimWaitMs) {
            throw new SlackThreadError(
              `Slack thread for alert ${alert.id} (key ${alert.key}) is still being opened by alert ${step.thread.claimedBy} after ${waited} ms; try again later`,
            );
          }
          await this.sleep(Math.min(this.claimPollMs, this.claimWaitMs - waited));
          continue;
        }
        case 'open':
          if (await this.threads.put(this.channel, alert.key, step.record, stored?.rev ?? null)) return this.open(alert, step.thread);
          conflicts += 1;
          await this.conflictPause(alert, conflicts);
      }
    }
  }

  /** Posts the root of a thread this alert has claimed, then records its `ts`; releases the claim if the post fails. */
  private async open(alert: Alert, thread: SlackThread): Promise<void> {
    // The root pages people when it tells of a problem (usually a `new` alert; a follow-up whose `new` is late).
    const pages = !isResolved(alert) && alert.kind !== 'deployment';
    const message = withMention(renderThreadRoot(alert, thread.root), pages ? this.mention(alert) : null);
    let posted: SlackPosted;
    try {
      posted = await this.api.postMessage({ channel: this.channel, ...message }, `alert ${alert.id}`);
    } catch (error) {
      // Best effort: if this write fails too, the claim goes stale and the next message takes it over.
      await this.change(alert, (record) => releaseClaim(record, alert.id)).catch(() => undefined);
      throw error;
    }
    await this.change(alert, (record) => settleOpen(record, alert.id, posted));
  }

  /** Posts the alert in its story's thread, records it, and updates the root to show the story as it now stands. */
  private async reply(alert: Alert, thread: PostedThread): Promise<void> {
    // Of the kinds `mentionWanted` names, only a repeat is ever a reply: a late `new` comes after the root paged people.
    const message = withMention(renderSlack(alert), alert.kind === 'repeat' ? this.mention(alert) : null);
    const broadcast = this.broadcast.has(alert.kind) ? { reply_broadcast: true } : {};
    await this.api.postMessage({ channel: thread.channel, thread_ts: thread.ts, ...broadcast, ...message }, `alert ${alert.id}`);
    const written = await this.change(alert, (record) => recordReply(record, thread, alert));
    const now = written?.threads.find((each): each is PostedThread => each.ts === thread.ts && each.channel === thread.channel);
    if (now !== undefined && JSON.stringify(now.root) !== JSON.stringify(thread.root)) await this.updateRoot(alert, now);
  }

  private async updateRoot(alert: Alert, thread: PostedThread): Promise<void> {
    const message: SlackMessage = renderThreadRoot(alert, thread.root);
    try {
      await this.api.update({ channel: thread.channel, ts: thread.ts, ...message }, `the thread root of alert ${alert.id}`);
    } catch (error) {
      if (error instanceof SlackApiError && error.code !== null && ROOT_GONE.has(error.code)) return;
      throw error;
    }
  }

  /** Read, change, conditionally write, until the write wins; resolves the record written, or null when `change` had nothing to write. */
  private async change(alert: Alert, change: (record: SlackThreadRecord) => SlackThreadRecord | null): Promise<SlackThreadRecord | null> {
    for (let conflicts = 0; ; ) {
      const stored = await this.threads.get(this.channel, alert.key);
      const next = change(stored?.value ?? EMPTY_THREAD_RECORD);
      if (next === null) return null;
      if (await this.threads.put(this.channel, alert.key, next, stored?.rev ?? null)) return next;
      conflicts += 1;
      await this.conflictPause(alert, conflicts);
    }
  }

  /** After a lost conditional write: a short random pause (full jitter), or give up after `maxStoreAttempts`. */
  private async conflictPause(alert: Alert, conflicts: number): Promise<void> {
    if (conflicts >= this.maxStoreAttempts) {
      throw new SlackThreadError(`Slack thread record of alert ${alert.id} (key ${alert.key}) kept changing under concurrent writers; gave up after ${conflicts} attempts`);
    }
    await this.sleep(Math.round(this.random() * Math.min(500, 10 * 2 ** conflicts)));
  }
}
