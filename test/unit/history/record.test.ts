import { describe, expect, it } from 'vitest';
import { recordHistory } from '../../../lib/history/record.ts';
import { evaluate } from '../../../lib/pipeline/evaluate.ts';
import { MemoryStore } from '../../../lib/store/memory-store.ts';
import { loadFixture } from '../../support/fixtures.ts';

const OOM = evaluate(loadFixture('task/stopped-oom.json'), 'oom').verdict;
const QUERY = { cluster: 'prod', since: '2025-03-01T00:00:00Z', now: '2025-03-14T10:00:00Z' };

describe('recordHistory', () => {
  it('counts the retention from the clock it is given when that is later than the stop (a replay into a table)', async () => {
    const writes: string[] = [];
    await recordHistory(OOM, { recordStoppedTask: async (_written, expiresAt) => void writes.push(expiresAt) }, { retentionDays: 14, keptFrom: () => new Date('2030-01-01T00:00:00Z') });
    await recordHistory(OOM, { recordStoppedTask: async (_written, expiresAt) => void writes.push(expiresAt) }, { retentionDays: 14, keptFrom: () => new Date('2000-01-01T00:00:00Z') });
    expect(writes[0]).toBe('2030-01-15T00:00:00.000Z');
    expect(Date.parse(writes[1]!)).toBe(Date.parse(OOM.time ?? '') + 14 * 86_400_000);
  });

  it('writes a stopped task with an expiry `retentionDays` after its event time', async () => {
    const writes: [string, string][] = [];
    const entry = await recordHistory(OOM, { recordStoppedTask: async (written, expiresAt) => void writes.push([written.taskArn, expiresAt]) }, { retentionDays: 30 });

    expect(entry?.category).toBe('oom');
    expect(writes).toEqual([['arn:aws:ecs:us-west-2:111122223333:task/prod/77ea7336e48e3a4e63c55244182d37c0', '2025-04-13T09:26:51.000Z']]);
  });

  it('writes nothing for an event that is not a stopped task', async () => {
    const writes: string[] = [];
    const store = { recordStoppedTask: async () => void writes.push('write') };

    expect(await recordHistory(evaluate(loadFixture('task/lifecycle-running.json'), 'running').verdict, store, { retentionDays: 14 })).toBeNull();
    expect(await recordHistory(evaluate(loadFixture('service-action/steady-state.json'), 'steady').verdict, store, { retentionDays: 14 })).toBeNull();
    expect(writes).toEqual([]);
  });

  it('makes a redelivered event change nothing: the history still holds the task once', async () => {
    const store = new MemoryStore();
    await recordHistory(OOM, store, { retentionDays: 14 });
    await recordHistory(OOM, store, { retentionDays: 14 });

    const entries = await store.stoppedTasks(QUERY);

    expect(entries.map((entry) => [entry.time, entry.category, entry.taskDefinition])).toEqual([['2025-03-14T09:26:51.000Z', 'oom', 'orders-api:212']]);
  });

  it('keeps the task for exactly the retention, counted from its stop', async () => {
    const store = new MemoryStore();
    await recordHistory(OOM, store, { retentionDays: 1 });

    expect(await store.stoppedTasks({ ...QUERY, now: '2025-03-15T09:26:50Z' })).toHaveLength(1);
    expect(await store.stoppedTasks({ ...QUERY, now: '2025-03-15T09:26:51Z' })).toEqual([]);
  });
});
