import type { AlertStore } from '../store/store.ts';
import { parseThreadRecord, type SlackThreadRecord } from './slack-thread-record.ts';

/**
 * Where thread mode keeps its record per channel and alert key, with the revision a conditional write must name:
 * `put` writes only if the record is still at `expectedRev` (null: it must not exist yet) and says false, writing
 * nothing, when another writer got there first. That conditional write is what keeps two concurrent first messages
 * of one story from opening two threads.
 */
export interface SlackThreadStore {
  get(channel: string, key: string): Promise<{ value: SlackThreadRecord; rev: number } | null>;
  put(channel: string, key: string, value: SlackThreadRecord, expectedRev: number | null): Promise<boolean>;
}

/** The record kind in the alert table. */
export const SLACK_THREAD_KIND = 'slack-thread';

/**
 * How long a key's threads are remembered after their last message (default 14 days): a story quiet for longer gets
 * a new thread, which is what people expect of an alert that comes back after two weeks.
 */
export const DEFAULT_THREAD_RETENTION_MS = 14 * 24 * 60 * 60 * 1000;

/**
 * Thread records in the alert store's tracker records (`getRecord`/`putRecord`, kind `slack-thread`, id
 * `<channel>|<key>`): DynamoDB in AWS, with its conditional writes and TTL, memory in tests. Each write pushes the
 * expiry to `now + retentionMs`. A record that does not read as one of ours reads as empty (see `parseThreadRecord`).
 *
 * @example new SlackThreadNotifier({ ..., threads: threadStoreOn(new DynamoDbStore(...)) });
 */
export function threadStoreOn(store: AlertStore, retentionMs: number = DEFAULT_THREAD_RETENTION_MS, now: () => number = Date.now): SlackThreadStore {
  const id = (channel: string, key: string): string => `${channel}|${key}`;
  return {
    async get(channel, key) {
      const stored = await store.getRecord(SLACK_THREAD_KIND, id(channel, key));
      return stored === null ? null : { value: parseThreadRecord(stored.value), rev: stored.rev };
    },
    async put(channel, key, value, expectedRev) {
      return store.putRecord(SLACK_THREAD_KIND, id(channel, key), value, expectedRev, new Date(now() + retentionMs).toISOString());
    },
  };
}
