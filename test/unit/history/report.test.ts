import { describe, expect, it } from 'vitest';
import { historyForReport } from '../../../lib/history/report.ts';
import { MemoryStore } from '../../../lib/store/memory-store.ts';
import { sampleStoppedTask } from '../../support/store-contract.ts';

describe('historyForReport', () => {
  it("reads the stopped tasks of each cluster among the report's services once, as of the replay's clock", async () => {
    const store = new MemoryStore();
    await store.recordStoppedTask(sampleStoppedTask({ task: 'prod-1', time: '2025-03-01T00:00:00.000Z' }), '2025-03-15T00:00:00.000Z');
    await store.recordStoppedTask(sampleStoppedTask({ task: 'prod-2', time: '2025-03-14T00:00:00.000Z', service: null }), '2025-03-28T00:00:00.000Z');
    await store.recordStoppedTask(sampleStoppedTask({ task: 'staging-1', cluster: 'staging' }), '2025-03-28T00:00:00.000Z');
    await store.recordStoppedTask(sampleStoppedTask({ task: 'other-1', cluster: 'other' }), '2025-03-28T00:00:00.000Z');
    const places = [{ cluster: 'prod' }, { cluster: 'prod' }, { cluster: 'staging' }, { cluster: null }];

    const atTheEnd = await historyForReport(store, places, '2025-03-14T12:00:00Z');
    const later = await historyForReport(store, places, '2025-03-16T00:00:00Z');

    expect(atTheEnd.map((entry) => entry.taskArn.split('/').pop()).sort()).toEqual(['prod-1', 'prod-2', 'staging-1']);
    expect(later.map((entry) => entry.taskArn.split('/').pop()).sort()).toEqual(['prod-2', 'staging-1']);
  });
});
