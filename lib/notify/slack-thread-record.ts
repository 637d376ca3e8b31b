import type { Alert, AlertKind } from '../alerts/alert.ts';
import type { Severity } from '../classify/verdict.ts';
import { isRecord } from '../events/schema.ts';
import { advanceThreadRoot, threadRootOf, type ThreadRoot } from '../render/slack-thread.ts';
import type { SlackPosted } from './slack-web-api.ts';

/**
 * What thread mode remembers per channel and alert key, and the pure decisions taken on it. One record per key holds
 * the threads of the key's last few stories (a story is one `firing.since`: from a `new` alert to its resolved
 * notice) and the ids of the last alerts posted, so that:
 *
 * - the first message of a story claims the story with a conditional write before it posts the root (`ts: null`), and
 *   a concurrent message of the same story waits for the root's `ts` instead of opening a second thread;
 * - a claim older than `staleMs` (its writer died between the claim and the post) is taken over;
 * - a redelivered alert (an id already in `posted`) posts nothing.
 */

/** One story's thread. */
export interface SlackThread {
  /** The story: `firing.since` of its messages; null for messages of no firing group (deployment notices). */
  since: string | null;
  /** The channel id Slack answered with once the root is posted (chat.update needs the id); the configured channel before. */
  channel: string;
  /** The root message's `ts`; null while the claimer posts it. */
  ts: string | null;
  /** The alert whose message opened (or is opening) the thread, and when it claimed it (epoch ms). */
  claimedBy: string;
  claimedAt: number;
  /** What the root shows. */
  root: ThreadRoot;
}

export interface SlackThreadRecord {
  /** Oldest story first; at most MAX_THREADS. */
  threads: SlackThread[];
  /** Ids of the alerts posted, newest last; at most MAX_POSTED_IDS. */
  posted: string[];
}

/** Threads kept per key: the current story and a few before it, so that a late message still finds its thread. */
export const MAX_THREADS = 4;
/**
 * Alert ids kept per key. Lambda retries an asynchronous invocation for up to 6 hours
 * (https://docs.aws.amazon.com/lambda/latest/dg/invocation-async-retain-records.html); a story sends a handful of
 * messages in that time (a new alert, a follow-up, a repeat every few hours, a resolved notice), so 30 is ample.
 */
export const MAX_POSTED_IDS = 30;

export const EMPTY_THREAD_RECORD: SlackThreadRecord = { threads: [], posted: [] };

/** What to do with an alert, given the record as read. */
export type ThreadStep =
  /** Already posted: nothing to post; `thread` is its story's thread, when known. */
  | { kind: 'duplicate'; thread: PostedThread | null }
  /** Open (or take over) the story's thread: write `record` conditionally, then post the root of `thread`. */
  | { kind: 'open'; record: SlackThreadRecord; thread: SlackThread }
  /** Another message is posting the story's root right now: read again shortly. */
  | { kind: 'wait'; thread: SlackThread }
  /** Reply in the story's thread. */
  | { kind: 'reply'; thread: PostedThread };

export type PostedThread = SlackThread & { ts: string };

/** The story an alert belongs to: its group's `firing.since`, or null when it belongs to no firing group. */
export function storyOf(alert: Alert): string | null {
  return alert.firing?.since ?? null;
}

/**
 * Decides where `alert` goes. The thread of its story when there is one; otherwise a new thread. A message of no known
 * story (no `firing`, as deployment notices) goes to the key's latest thread, except a `new` alert after a resolved
 * story, which starts a thread of its own.
 *
 * @example threadStep(EMPTY_THREAD_RECORD, alert, { channel: 'C0123', now: Date.now(), staleMs: 60_000 }).kind // 'open'
 */
export function threadStep(record: SlackThreadRecord, alert: Alert, context: { channel: string; now: number; staleMs: number }): ThreadStep {
  const index = threadIndex(record, alert);
  const thread = index < 0 ? undefined : record.threads[index];
  if (record.posted.includes(alert.id)) return { kind: 'duplicate', thread: thread !== undefined && isPosted(thread) ? thread : null };
  if (thread === undefined) {
    const opened: SlackThread = { since: storyOf(alert), channel: context.channel, ts: null, claimedBy: alert.id, claimedAt: context.now, root: threadRootOf(alert) };
    return { kind: 'open', record: { ...record, threads: withThread(record.threads, opened) }, thread: opened };
  }
  if (isPosted(thread)) return { kind: 'reply', thread };
  if (context.now - thread.claimedAt < context.staleMs) return { kind: 'wait', thread };
  // The claimer has had time to post and did not record it: it died, or is far too slow. Take the story over.
  const taken: SlackThread = { ...thread, channel: context.channel, claimedBy: alert.id, claimedAt: context.now, root: advanceThreadRoot(thread.root, alert) };
  return { kind: 'open', record: { ...record, threads: record.threads.map((each, at) => (at === index ? taken : each)) }, thread: taken };
}

function isPosted(thread: SlackThread): thread is PostedThread {
  return thread.ts !== null;
}

function threadIndex(record: SlackThreadRecord, alert: Alert): number {
  const story = storyOf(alert);
  if (story !== null) return record.threads.findLastIndex((thread) => thread.since === story);
  const last = record.threads.at(-1);
  if (last === undefined) return -1;
  if (alert.kind === 'new' && last.root.resolvedAt !== null && !last.root.notice) return -1;
  return record.threads.length - 1;
}

/** The threads with `added` in story order (a late message of an old story goes before newer ones), at most MAX_THREADS. */
function withThread(threads: readonly SlackThread[], added: SlackThread): SlackThread[] {
  const at = added.since === null ? -1 : threads.findIndex((thread) => thread.since !== null && Date.parse(thread.since) > Date.parse(added.since ?? ''));
  const all = at < 0 ? [...threads, added] : [...threads.slice(0, at), added, ...threads.slice(at)];
  while (all.length > MAX_THREADS) all.splice(all[0] === added ? 1 : 0, 1);
  return all;
}

function withPosted(posted: readonly string[], id: string): string[] {
  return [...posted.filter((each) => each !== id), id].slice(-MAX_POSTED_IDS);
}

/**
 * The record once the root that `alertId` claimed is posted: the thread gets its `ts` and channel id, the alert is
 * posted. Null when the claim is no longer there (another message took it over): the root just posted is then an
 * orphan, the one window where a story gets two roots.
 */
export function settleOpen(record: SlackThreadRecord, alertId: string, posted: SlackPosted): SlackThreadRecord | null {
  const index = record.threads.findIndex((thread) => thread.claimedBy === alertId && thread.ts === null);
  if (index < 0) return null;
  const threads = record.threads.map((thread, at) => (at === index ? { ...thread, channel: posted.channel, ts: posted.ts } : thread));
  return { threads, posted: withPosted(record.posted, alertId) };
}

/** The record without the claim of `alertId` (its root could not be posted), so the next message need not wait for it. */
export function releaseClaim(record: SlackThreadRecord, alertId: string): SlackThreadRecord | null {
  const threads = record.threads.filter((thread) => !(thread.claimedBy === alertId && thread.ts === null));
  return threads.length === record.threads.length ? null : { ...record, threads };
}

/** The record once `alert` is posted as a reply in `thread`: its root folds the alert in, the alert is posted. */
export function recordReply(record: SlackThreadRecord, thread: PostedThread, alert: Alert): SlackThreadRecord {
  const threads = record.threads.map((each) => (each.ts === thread.ts && each.channel === thread.channel ? { ...each, root: advanceThreadRoot(each.root, alert) } : each));
  return { threads, posted: withPosted(record.posted, alert.id) };
}

const SEVERITIES: readonly Severity[] = ['critical', 'warning', 'info'];
const KINDS: readonly AlertKind[] = ['new', 'follow-up', 'repeat', 'resolved', 'deployment'];

/**
 * A stored record read back: what is not a record of ours (an older shape, a hand edit) becomes an empty one, and a
 * thread that does not read is dropped; the next message then opens a thread anew instead of failing for ever.
 */
export function parseThreadRecord(value: unknown): SlackThreadRecord {
  if (!isRecord(value) || !Array.isArray(value.threads) || !Array.isArray(value.posted)) return EMPTY_THREAD_RECORD;
  const threads = value.threads.flatMap((thread: unknown) => {
    const parsed = parseThread(thread);
    return parsed === null ? [] : [parsed];
  });
  const posted = value.posted.filter((id: unknown): id is string => typeof id === 'string');
  return { threads: threads.slice(-MAX_THREADS), posted: posted.slice(-MAX_POSTED_IDS) };
}

function parseThread(value: unknown): SlackThread | null {
  if (!isRecord(value)) return null;
  const { since, channel, ts, claimedBy, claimedAt } = value;
  const root = parseRoot(value.root);
  if (since !== null && typeof since !== 'string') return null;
  if (typeof channel !== 'string' || (ts !== null && typeof ts !== 'string') || typeof claimedBy !== 'string') return null;
  if (typeof claimedAt !== 'number' || !Number.isFinite(claimedAt) || root === null) return null;
  return { since, channel, ts, claimedBy, claimedAt, root };
}

function parseRoot(value: unknown): ThreadRoot | null {
  if (!isRecord(value)) return null;
  const { title, titledByNew, severity, since, events, lastUpdate, lastKind, resolvedAt, notice } = value;
  if (typeof title !== 'string' || typeof titledByNew !== 'boolean' || typeof since !== 'string' || typeof lastUpdate !== 'string') return null;
  if (typeof events !== 'number' || !Number.isFinite(events) || typeof notice !== 'boolean') return null;
  if (resolvedAt !== null && typeof resolvedAt !== 'string') return null;
  const knownSeverity = SEVERITIES.find((each) => each === severity);
  const knownKind = KINDS.find((each) => each === lastKind);
  if (knownSeverity === undefined || knownKind === undefined) return null;
  return { title, titledByNew, severity: knownSeverity, since, events, lastUpdate, lastKind: knownKind, resolvedAt, notice };
}
