import { describe, expect, it } from 'vitest';
import type { Alert } from '../../../lib/alerts/alert.ts';
import {
  EMPTY_THREAD_RECORD,
  MAX_POSTED_IDS,
  MAX_THREADS,
  parseThreadRecord,
  recordReply,
  releaseClaim,
  settleOpen,
  threadStep,
  type SlackThread,
  type SlackThreadRecord,
} from '../../../lib/notify/slack-thread-record.ts';
import { DEFAULT_THREAD_RETENTION_MS, SLACK_THREAD_KIND, threadStoreOn } from '../../../lib/notify/slack-thread-store.ts';
import { threadRootOf } from '../../../lib/render/slack-thread.ts';
import { MemoryStore } from '../../../lib/store/memory-store.ts';
import { followUpAlert, resolvedAlert, sampleAlert } from '../../support/alerts.ts';

const SINCE = '2025-03-14T09:26:51Z';
const LATER = '2025-03-20T08:00:00Z';
const NOW = Date.parse('2025-03-14T09:27:00Z');
const CONTEXT = { channel: '#alerts', now: NOW, staleMs: 60_000 };

function of<T extends Alert>(alert: T, since = SINCE, events = 1): T {
  return { ...alert, firing: { since, events } };
}

function posted(alert: Alert, ts: string, since: string | null = SINCE): SlackThread {
  return { since, channel: 'C0ALERTS01', ts, claimedBy: alert.id, claimedAt: NOW - 1_000, root: threadRootOf(alert) };
}

describe('threadStep', () => {
  it('opens a thread, claimed and without ts, for the first message of a key', () => {
    const alert = of(sampleAlert());

    const step = threadStep(EMPTY_THREAD_RECORD, alert, CONTEXT);

    expect(step).toEqual({
      kind: 'open',
      thread: { since: SINCE, channel: '#alerts', ts: null, claimedBy: alert.id, claimedAt: NOW, root: threadRootOf(alert) },
      record: { threads: [{ since: SINCE, channel: '#alerts', ts: null, claimedBy: alert.id, claimedAt: NOW, root: threadRootOf(alert) }], posted: [] },
    });
  });

  it('replies in the thread of the same story, whatever the kind', () => {
    const thread = posted(of(sampleAlert()), '1.1');
    const record: SlackThreadRecord = { threads: [thread], posted: [sampleAlert().id] };

    for (const alert of [of(followUpAlert(), SINCE, 8), of(resolvedAlert(), SINCE, 8), of(sampleAlert({ kind: 'repeat', id: 'r1' }))]) {
      expect(threadStep(record, alert, CONTEXT)).toEqual({ kind: 'reply', thread });
    }
  });

  it('opens a new thread for a later story, keeping the earlier one for its late messages', () => {
    const first = posted(of(resolvedAlert()), '1.1');
    const next = of(sampleAlert({ id: 'n2', time: LATER }), LATER);

    const step = threadStep({ threads: [first], posted: ['x'] }, next, CONTEXT);

    expect(step.kind).toBe('open');
    expect(step.kind === 'open' ? step.record.threads.map((thread) => thread.since) : []).toEqual([SINCE, LATER]);
  });

  it('puts the thread of an earlier story before the current one, and keeps at most MAX_THREADS', () => {
    const threads = ['2025-03-15', '2025-03-16', '2025-03-17', '2025-03-18'].map((day, index) => posted(of(sampleAlert({ id: `a${index}` }), `${day}T00:00:00Z`), `${index}.1`, `${day}T00:00:00Z`));
    const late = of(followUpAlert({ id: 'late' }), '2025-03-16T12:00:00Z');

    const step = threadStep({ threads, posted: [] }, late, CONTEXT);

    expect(step.kind === 'open' ? step.record.threads.map((thread) => thread.since) : []).toEqual([
      '2025-03-16T00:00:00Z',
      '2025-03-16T12:00:00Z',
      '2025-03-17T00:00:00Z',
      '2025-03-18T00:00:00Z',
    ]);
    expect(MAX_THREADS).toBe(4);
  });

  it('sends a message of no firing group to the latest thread, but a new alert after a resolved story to a new one', () => {
    const notice = sampleAlert({ kind: 'deployment', severity: 'info', id: 'd1' });
    const deployments = posted(notice, '5.5', null);
    expect(threadStep({ threads: [deployments], posted: ['d1'] }, sampleAlert({ kind: 'deployment', id: 'd2' }), CONTEXT)).toEqual({ kind: 'reply', thread: deployments });

    const resolved = { ...posted(resolvedAlert(), '1.1', null) };
    expect(threadStep({ threads: [resolved], posted: [] }, sampleAlert({ id: 'fresh' }), CONTEXT).kind).toBe('open');
  });

  it('is a duplicate when the alert id was posted, naming its thread', () => {
    const alert = of(sampleAlert());
    const thread = posted(alert, '1.1');

    expect(threadStep({ threads: [thread], posted: [alert.id] }, alert, CONTEXT)).toEqual({ kind: 'duplicate', thread });
  });

  it('waits for a fresh claim and takes over a stale one', () => {
    const claim: SlackThread = { since: SINCE, channel: '#alerts', ts: null, claimedBy: 'other', claimedAt: NOW - 59_999, root: threadRootOf(of(sampleAlert())) };
    const followUp = of(followUpAlert(), SINCE, 8);

    expect(threadStep({ threads: [claim], posted: [] }, followUp, CONTEXT)).toEqual({ kind: 'wait', thread: claim });

    const stale = threadStep({ threads: [{ ...claim, claimedAt: NOW - 60_000 }], posted: [] }, followUp, CONTEXT);
    expect(stale.kind).toBe('open');
    expect(stale.kind === 'open' ? stale.thread : null).toMatchObject({ claimedBy: followUp.id, claimedAt: NOW, ts: null, root: { events: 8, lastKind: 'follow-up' } });
  });
});

describe('record changes', () => {
  it('settles a claim with the channel id and ts, and records the alert as posted', () => {
    const alert = of(sampleAlert());
    const step = threadStep(EMPTY_THREAD_RECORD, alert, CONTEXT);
    const claimed = step.kind === 'open' ? step.record : EMPTY_THREAD_RECORD;

    const settled = settleOpen(claimed, alert.id, { channel: 'C0ALERTS01', ts: '1700000000.000100' });

    expect(settled).toEqual({ threads: [{ ...claimed.threads[0], channel: 'C0ALERTS01', ts: '1700000000.000100' }], posted: [alert.id] });
    expect(settleOpen(claimed, 'someone-else', { channel: 'C', ts: '1' })).toBeNull();
  });

  it('releases a claim that could not be posted, and only that', () => {
    const alert = of(sampleAlert());
    const other = posted(of(resolvedAlert()), '1.1', '2025-03-01T00:00:00Z');
    const step = threadStep({ threads: [other], posted: [] }, alert, CONTEXT);
    const claimed = step.kind === 'open' ? step.record : EMPTY_THREAD_RECORD;

    expect(releaseClaim(claimed, alert.id)).toEqual({ threads: [other], posted: [] });
    expect(releaseClaim({ threads: [other], posted: [] }, alert.id)).toBeNull();
  });

  it('folds a reply into its thread root and keeps the last MAX_POSTED_IDS ids', () => {
    const thread = { ...posted(of(sampleAlert()), '1.1'), ts: '1.1' };
    const many = Array.from({ length: MAX_POSTED_IDS }, (_, index) => `id-${index}`);

    const next = recordReply({ threads: [thread], posted: many }, thread, of(followUpAlert(), SINCE, 8));

    expect(next.threads[0]!.root).toMatchObject({ events: 8, lastKind: 'follow-up', lastUpdate: '2025-03-14T09:31:51Z' });
    expect(next.posted).toHaveLength(MAX_POSTED_IDS);
    expect(next.posted.at(-1)).toBe(followUpAlert().id);
    expect(next.posted[0]).toBe('id-1');
  });
});

describe('parseThreadRecord', () => {
  it('reads back what it wrote', () => {
    const record: SlackThreadRecord = { threads: [posted(of(sampleAlert()), '1.1')], posted: ['a'] };

    expect(parseThreadRecord(JSON.parse(JSON.stringify(record)))).toEqual(record);
  });

  it('reads anything else as empty, dropping threads that do not read', () => {
    expect(parseThreadRecord(null)).toEqual(EMPTY_THREAD_RECORD);
    expect(parseThreadRecord({ ts: '1.1' })).toEqual(EMPTY_THREAD_RECORD);
    const good = posted(of(sampleAlert()), '1.1');
    const bad = { ...good, root: { ...good.root, severity: 'fatal' } };
    expect(parseThreadRecord({ threads: [bad, good, 'x'], posted: ['a', 3] })).toEqual({ threads: [good], posted: ['a'] });
  });
});

describe('threadStoreOn', () => {
  it('keeps records as slack-thread records of the alert store, per channel and key, with conditional writes and an expiry', async () => {
    const store = new MemoryStore();
    const puts: { kind: string; id: string; expiresAt: string }[] = [];
    const spy = Object.assign(Object.create(store) as MemoryStore, {
      putRecord: (kind: string, id: string, value: unknown, rev: number | null, expiresAt: string) => {
        puts.push({ kind, id, expiresAt });
        return store.putRecord(kind, id, value, rev, expiresAt);
      },
    });
    const threads = threadStoreOn(spy, DEFAULT_THREAD_RETENTION_MS, () => NOW);
    const record: SlackThreadRecord = { threads: [posted(of(sampleAlert()), '1.1')], posted: ['a'] };

    expect(await threads.get('C1', 'k')).toBeNull();
    expect(await threads.put('C1', 'k', record, null)).toBe(true);
    expect(await threads.put('C1', 'k', record, null)).toBe(false);
    expect(await threads.get('C1', 'k')).toEqual({ value: record, rev: 1 });
    expect(await threads.get('C2', 'k')).toBeNull();
    expect(puts[0]).toEqual({ kind: SLACK_THREAD_KIND, id: 'C1|k', expiresAt: new Date(NOW + 14 * 24 * 3_600_000).toISOString() });
  });

  it('reads a record that is not one of ours as empty, with its revision, so the next write can replace it', async () => {
    const store = new MemoryStore();
    await store.putRecord(SLACK_THREAD_KIND, 'C1|k', { something: 'else' }, null, LATER);
    const threads = threadStoreOn(store);

    expect(await threads.get('C1', 'k')).toEqual({ value: EMPTY_THREAD_RECORD, rev: 1 });
  });
});
