import { describe, expect, it } from 'vitest';
import { DEFAULT_GROUPING, openGroup } from '../../../lib/alerts/grouping.ts';
import { rememberRecovery, resolvedIfRecovered } from '../../../lib/pipeline/recoveries.ts';
import { MemoryStore } from '../../../lib/store/memory-store.ts';
import { sampleAlert } from '../../support/alerts.ts';

// A recovery seen before the failure it ends: remembered per scope, the latest one kept, and applied when the late
// failure opens its group.

const SCOPE = '111122223333|us-west-2|prod|service:orders-api';

function recovery(time: string) {
  return { what: 'Service orders-api reached steady state', time, eventId: `steady-${time}` };
}

function opening(time: string) {
  return openGroup(null, sampleAlert({ time }), SCOPE, `e-${time}`, DEFAULT_GROUPING);
}

describe('rememberRecovery', () => {
  it('keeps the latest recovery of a scope, whatever order they come in', async () => {
    const store = new MemoryStore();
    await rememberRecovery(SCOPE, recovery('2025-06-02T14:12:00Z'), store);
    await rememberRecovery(SCOPE, recovery('2025-06-02T14:05:00Z'), store);
    expect((await store.getRecord('recovery', SCOPE))?.value).toEqual(recovery('2025-06-02T14:12:00Z'));
    await rememberRecovery(SCOPE, { ...recovery('2025-06-02T14:12:00Z'), eventId: 'same-time' }, store);
    expect((await store.getRecord('recovery', SCOPE))?.rev).toBe(1);
    await rememberRecovery(SCOPE, recovery('2025-06-02T15:00:00Z'), store);
    expect((await store.getRecord('recovery', SCOPE))?.value).toEqual(recovery('2025-06-02T15:00:00Z'));
  });
});

describe('resolvedIfRecovered', () => {
  it('tells a group opened by a failure from before the recovery as resolved in the same step', async () => {
    const store = new MemoryStore();
    await rememberRecovery(SCOPE, recovery('2025-06-02T14:12:00Z'), store);
    const step = await resolvedIfRecovered(null, opening('2025-06-02T14:03:00Z'), store);
    expect(step.messages.map((message) => message.kind)).toEqual(['new', 'resolved']);
    expect(step.state).toMatchObject({ status: 'resolved', resolvedAt: '2025-06-02T14:12:00Z' });
  });

  it('resolves at the same second too, and leaves a failure after the recovery firing', async () => {
    const store = new MemoryStore();
    await rememberRecovery(SCOPE, recovery('2025-06-02T14:12:00Z'), store);
    expect((await resolvedIfRecovered(null, opening('2025-06-02T14:12:00Z'), store)).state?.status).toBe('resolved');
    const after = opening('2025-06-02T14:12:01Z');
    expect(await resolvedIfRecovered(null, after, store)).toBe(after);
  });

  it('changes nothing without a recovery, for a step that opens nothing, or for a group already firing', async () => {
    const store = new MemoryStore();
    const opened = opening('2025-06-02T14:03:00Z');
    expect(await resolvedIfRecovered(null, opened, store)).toBe(opened);
    await rememberRecovery(SCOPE, recovery('2025-06-02T14:12:00Z'), store);
    const nothing = { state: null, messages: [] };
    expect(await resolvedIfRecovered(null, nothing, store)).toBe(nothing);
    const firing = opened.state!;
    const fold = { state: { ...firing, eventCount: 2 }, messages: [] };
    expect(await resolvedIfRecovered(firing, fold, store)).toBe(fold);
    const resolvedStep = { state: { ...firing, status: 'resolved' as const }, messages: [] };
    expect(await resolvedIfRecovered(null, resolvedStep, store)).toBe(resolvedStep);
  });
});
