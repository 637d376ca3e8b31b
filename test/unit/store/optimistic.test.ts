import { describe, expect, it } from 'vitest';
import { StoreConflictError } from '../../../lib/errors.ts';
import { conflictStats, withConflictRetry, type RetryClock } from '../../../lib/store/optimistic.ts';

/** A clock that only moves when the code sleeps, and a random fraction fixed per test. */
function fakeClock(random: number): RetryClock & { sleeps: number[] } {
  let now = 1_000;
  const sleeps: number[] = [];
  return {
    sleeps,
    now: () => now,
    random: () => random,
    sleep: async (ms) => {
      sleeps.push(ms);
      now += ms;
    },
  };
}

const RETRY = { maxAttempts: 6, budgetMs: 10_000, baseMs: 10, capMs: 100 };

describe('withConflictRetry', () => {
  it('returns the first attempt that wins, backing off by a random fraction of a doubling wait up to the cap', async () => {
    const clock = fakeClock(0.5);
    let attempts = 0;
    const value = await withConflictRetry('group g', async (number) => ((attempts = number) >= 5 ? { done: true, value: 'written' } : { done: false }), RETRY, clock);

    expect(value).toBe('written');
    expect(attempts).toBe(5);
    expect(clock.sleeps).toEqual([5, 10, 20, 40]);
  });

  it('waits no longer than the cap, however many attempts lost', async () => {
    const clock = fakeClock(0.99);
    await expect(withConflictRetry('group g', async () => ({ done: false }), RETRY, clock)).rejects.toThrow(StoreConflictError);
    expect(clock.sleeps.map(Math.round)).toEqual([10, 20, 40, 79, 99]);
  });

  it('gives up after its attempts, naming what kept changing', async () => {
    const clock = fakeClock(0);
    const error: unknown = await withConflictRetry('record deployments prod/web', async () => ({ done: false }), RETRY, clock).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(StoreConflictError);
    expect(String(error)).toBe('StoreConflictError: record deployments prod/web kept changing under concurrent writers; gave up after 6 attempts in 0 ms');
  });

  it('gives up before a wait would pass its time budget', async () => {
    const clock = fakeClock(1);
    const error: unknown = await withConflictRetry('group g', async () => ({ done: false }), { ...RETRY, maxAttempts: 100, budgetMs: 150 }, clock).catch((caught: unknown) => caught);
    // 10 + 20 + 40 = 70 ms slept; the next wait of 80 would end at 150 ms, still within; the one after would not.
    expect(clock.sleeps).toEqual([10, 20, 40, 80]);
    expect(String(error)).toContain('gave up after 5 attempts in 150 ms');
  });

  it('counts the attempts of each loop that ended, for the burst figures', async () => {
    conflictStats.reset();
    const clock = fakeClock(0);
    await withConflictRetry('a', async (number) => (number === 3 ? { done: true, value: 1 } : { done: false }), RETRY, clock);
    await withConflictRetry('b', async () => ({ done: true, value: 2 }), RETRY, clock);
    expect({ loops: conflictStats.loops, attempts: conflictStats.attempts, maxAttempts: conflictStats.maxAttempts }).toEqual({ loops: 2, attempts: 4, maxAttempts: 3 });
  });
});
