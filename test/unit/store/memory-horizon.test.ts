import { describe, expect, it } from 'vitest';
import { MemoryStore } from '../../../lib/store/memory-store.ts';
import { sampleStoppedTask } from '../../support/store-contract.ts';

// The replay's store forgets, by event time, what the table's TTL forgets: memory stays flat over millions of events.
describe('MemoryStore with a horizon', () => {
  const DAY = 86_400_000;

  it('forgets event ids and resource versions older than the horizon before the latest event, and keeps the rest', async () => {
    const store = new MemoryStore({ horizonMs: DAY });
    await store.rememberEvent('old', '2025-03-01T00:00:00Z');
    await store.recordVersion('task/old', 3, 'old', '2025-03-01T00:00:00Z');
    await store.rememberEvent('recent', '2025-03-01T20:00:00Z');
    expect(await store.hasSeenEvent('old')).toBe(true);
    await store.rememberEvent('latest', '2025-03-02T12:00:01Z');
    expect([await store.hasSeenEvent('old'), await store.hasSeenEvent('recent'), await store.hasSeenEvent('latest')]).toEqual([false, true, true]);
    // The old task's version is gone too: a delivery of it now is not stale (as after the table's TTL).
    expect(await store.recordVersion('task/old', 2, 'other', '2025-03-02T12:00:02Z')).toBe('current');
    expect(store.size()).toEqual({ events: 2, versions: 1 });
  });

  it('holds a bounded number of ids over a long replay', async () => {
    const store = new MemoryStore({ horizonMs: DAY });
    for (let index = 0; index < 5_000; index += 1) await store.rememberEvent(`e-${index}`, new Date(Date.parse('2025-03-01T00:00:00Z') + index * 60_000).toISOString());
    // One event a minute: a day holds 1,440 of them, and one more at the edge.
    expect(store.size().events).toBe(1_441);
  });

  it('keeps everything without a horizon (tests and the Lambda-shaped fakes)', async () => {
    const store = new MemoryStore();
    await store.rememberEvent('old', '2020-01-01T00:00:00Z');
    await store.rememberEvent('new', '2025-01-01T00:00:00Z');
    expect(await store.hasSeenEvent('old')).toBe(true);
  });
});

describe('MemoryStore records and tallies with a horizon', () => {
  it('drops a record and a tally once the event clock has passed their expiry, as TTL would', async () => {
    const store = new MemoryStore({ horizonMs: 86_400_000 });
    await store.putRecord('spot-task', 'task/a', { warnedAt: '2025-03-01T00:00:00Z' }, null, '2025-03-15T00:00:00Z');
    await store.addToTally('deployment-failures', 'scope|ecs-svc/1', 'task-a', 'oom', '2025-03-15T00:00:00Z');
    await store.rememberEvent('before-expiry', '2025-03-14T23:00:00Z');
    expect([await store.getRecord('spot-task', 'task/a'), await store.getTally('deployment-failures', 'scope|ecs-svc/1')].map((value) => value !== null)).toEqual([true, true]);
    await store.rememberEvent('after-expiry', '2025-03-15T01:00:01Z');
    expect(await store.getRecord('spot-task', 'task/a')).toBeNull();
    expect(await store.getTally('deployment-failures', 'scope|ecs-svc/1')).toBeNull();
  });
});

describe('MemoryStore stopped-task history with a horizon', () => {
  const entry = (task: string, time: string) => sampleStoppedTask({ task, time });
  const asOfThen = { cluster: 'prod', since: '2025-03-01T00:00:00Z', now: '2025-03-14T12:00:00Z' };

  it('drops an entry once the event clock has passed its expiry, as TTL would: memory stays bounded', async () => {
    const store = new MemoryStore({ horizonMs: 86_400_000 });
    await store.recordStoppedTask(entry('a', '2025-03-14T09:00:00.000Z'), '2025-03-15T09:00:00.000Z');
    await store.recordStoppedTask(entry('b', '2025-03-14T10:00:00.000Z'), '2025-03-28T10:00:00.000Z');

    await store.rememberEvent('before-expiry', '2025-03-15T08:00:00Z');
    expect(await store.stoppedTasks(asOfThen)).toHaveLength(2);

    // Asked as of a time before the expiry, it is still gone: dropped, not only hidden.
    await store.recordStoppedTask(entry('c', '2025-03-15T10:00:01.000Z'), '2025-03-29T10:00:01.000Z');
    expect((await store.stoppedTasks(asOfThen)).map((stopped) => stopped.taskArn.split('/').pop())).toEqual(['c', 'b']);
  });

  it('keeps every entry without a horizon, hiding expired ones on read only', async () => {
    const store = new MemoryStore();
    await store.recordStoppedTask(entry('a', '2025-03-14T09:00:00.000Z'), '2025-03-15T09:00:00.000Z');
    await store.rememberEvent('much-later', '2026-01-01T00:00:00Z');

    expect(await store.stoppedTasks(asOfThen)).toHaveLength(1);
    expect(await store.stoppedTasks({ ...asOfThen, now: '2025-03-16T00:00:00Z' })).toEqual([]);
  });
});
