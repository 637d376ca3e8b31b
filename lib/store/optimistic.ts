import { StoreConflictError } from '../errors.ts';

/**
 * How a read-decide-write loop on one item backs off when a concurrent writer got there first. A burst (a whole
 * service failing at once: hundreds of invocations on one deployment record and one alert group) makes most
 * conditional writes lose at first; retrying at once would make them lose again together. Full jitter spreads the
 * retries (https://aws.amazon.com/blogs/architecture/exponential-backoff-and-jitter/), and the budget keeps the
 * invocation well inside the function's timeout, so a write that cannot win fails the invocation and Lambda retries it.
 * The figures are sized from the burst test on dynalite (README, "Reliability").
 */
export interface ConflictRetry {
  /** Attempts at most (default 60). */
  maxAttempts: number;
  /** Time spent retrying at most, in ms (default 15 000: half the function's 30 s timeout). */
  budgetMs: number;
  /** The backoff of the first retry, doubled at each next one (default 10 ms) ... */
  baseMs: number;
  /** ... up to this (default 500 ms); the wait is a random fraction of it. */
  capMs: number;
}

export const DEFAULT_CONFLICT_RETRY: ConflictRetry = { maxAttempts: 60, budgetMs: 15_000, baseMs: 10, capMs: 500 };

export interface RetryClock {
  now: () => number;
  sleep: (ms: number) => Promise<void>;
  /** In [0, 1). */
  random: () => number;
}

const realClock: RetryClock = { now: () => Date.now(), sleep: (ms) => new Promise((resolve) => setTimeout(resolve, ms)), random: Math.random };

/** What an attempt says: done with a result, or lost its conditional write and must read again. */
export type Attempt<T> = { done: true; value: T } | { done: false };

/** Counts of attempts per loop, for the burst test and the bench (attempts per invocation). */
export const conflictStats = { loops: 0, attempts: 0, maxAttempts: 0, reset(): void {
  this.loops = 0;
  this.attempts = 0;
  this.maxAttempts = 0;
} };

/**
 * Runs `attempt` until it is done, backing off with full jitter after each lost write, within `retry`'s attempts and
 * time budget; then throws a `StoreConflictError` naming `what`.
 *
 * @example
 * await withConflictRetry('record deployments prod/web', async () => ((await write()) ? { done: true, value: 1 } : { done: false }));
 */
export async function withConflictRetry<T>(what: string, attempt: (attemptNumber: number) => Promise<Attempt<T>>, retry: ConflictRetry = DEFAULT_CONFLICT_RETRY, clock: RetryClock = realClock): Promise<T> {
  const started = clock.now();
  for (let number = 1; ; number += 1) {
    const outcome = await attempt(number);
    if (outcome.done) {
      conflictStats.loops += 1;
      conflictStats.attempts += number;
      conflictStats.maxAttempts = Math.max(conflictStats.maxAttempts, number);
      return outcome.value;
    }
    const backoff = clock.random() * Math.min(retry.capMs, retry.baseMs * 2 ** (number - 1));
    if (number >= retry.maxAttempts || clock.now() - started + backoff > retry.budgetMs) {
      throw new StoreConflictError(`${what} kept changing under concurrent writers; gave up after ${number} attempts in ${clock.now() - started} ms`);
    }
    await clock.sleep(backoff);
  }
}
