import type { Context } from 'aws-lambda';
import { OUTBOX_LEASE_MS } from '../../lib/pipeline/publish.ts';
import type { HandledEvent } from '../../lib/pipeline/receive.ts';

/** A wall clock the test moves by hand, in epoch milliseconds. */
export interface ManualClock {
  now: number;
}

export type EventHandler = (event: unknown, context: Context) => Promise<HandledEvent>;

export interface Invocation {
  /** What the last attempt returned; null when every attempt failed (the event went to the failure destination). */
  result: HandledEvent | null;
  /** Why each failed attempt failed, in order. */
  errors: unknown[];
}

/** Lambda's asynchronous retries: two after the first attempt (https://docs.aws.amazon.com/lambda/latest/dg/invocation-async-error-handling.html). */
export const ASYNC_RETRIES = 2;

let requests = 0;

/**
 * Invokes a handler as Lambda does an asynchronous (EventBridge) event: at `firstAt` (never before the clock), then,
 * while it fails, again up to `retries` times, each after the outbox lease has passed, so a retry may publish what
 * the failed attempt left in an outbox. Lambda waits a minute or more before a retry; all that matters here is that
 * the lease is over.
 */
export async function invokeAsync(handler: EventHandler, event: unknown, clock: ManualClock, firstAt: number, retries = ASYNC_RETRIES): Promise<Invocation> {
  const errors: unknown[] = [];
  clock.now = Math.max(clock.now, firstAt);
  for (let attempt = 0; attempt <= retries; attempt += 1) {
    if (attempt > 0) clock.now += OUTBOX_LEASE_MS + 1_000;
    requests += 1;
    const context = { awsRequestId: `00000000-0000-4000-8000-${String(requests).padStart(12, '0')}` } as Context;
    try {
      return { result: await handler(event, context), errors };
    } catch (error) {
      errors.push(error);
    }
  }
  return { result: null, errors };
}
