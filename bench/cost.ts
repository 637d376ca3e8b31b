import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { DEFAULT_GROUPING } from '../lib/alerts/grouping.ts';
import { handleEvent, type EventHandlerDeps } from '../lib/pipeline/receive.ts';
import { createLogger } from '../lib/log.ts';
import { createMetrics } from '../lib/metrics.ts';
import { snsMessage } from '../lib/notify/sns-message.ts';
import { MemoryStore } from '../lib/store/memory-store.ts';
import { DEFAULT_TRACKING } from '../lib/trackers/context.ts';
import { generateEvents, progress, ROOT, type Fixture } from './fixtures.ts';

/**
 * AWS Lambda prices, us-east-1, arm64 (https://aws.amazon.com/lambda/pricing/, read 2026-11-25): duration per
 * GB-second (first pricing tier, 0-7.5 billion GB-s a month) and requests. Lambda bills duration rounded up to the
 * millisecond, per invocation.
 */
export const LAMBDA_PRICING = { region: 'us-east-1', architecture: 'arm64', usdPerGbSecond: 0.0000133334, usdPerMillionRequests: 0.2, url: 'https://aws.amazon.com/lambda/pricing/' } as const;

/**
 * Assumed time an event spends waiting on AWS per invocation, which the in-process measurement leaves out: the
 * DynamoDB reads and conditional writes of de-duplication and grouping (3-6 requests at a few ms each in-Region),
 * and for the events that alert an SNS publish and one or two ECS Describe calls (10-30 ms each). 60 ms is a round
 * figure for that mix, not a measurement.
 */
export const ASSUMED_AWS_MS = 60;

export interface CostResult {
  /** Events timed (after the warm-up). */
  events: number;
  /** Mean measured time of one handleEvent, in milliseconds. */
  meanMs: number;
  /** Mean billed duration per event: each event's time rounded up to the millisecond. */
  billedMs: number;
  memoryMb: number;
  architecture: string;
  /** Lambda cost per million events from the measured time alone (AWS calls not included). */
  costPerMillionEventsUsd: number;
  /** The same with ASSUMED_AWS_MS added to each event. */
  withAwsBilledMs: number;
  withAwsCostPerMillionEventsUsd: number;
}

/** `memorySize` and `architecture` of the provider in serverless.yml (two plain lines of that block). */
export function lambdaSettings(serverlessYml: string): { memoryMb: number; architecture: string } {
  const memory = /^ {2}memorySize:\s*(\d+)\s*$/m.exec(serverlessYml)?.[1];
  const architecture = /^ {2}architecture:\s*(\w+)\s*$/m.exec(serverlessYml)?.[1];
  if (memory === undefined || architecture === undefined) throw new Error('serverless.yml does not set provider.memorySize and provider.architecture');
  return { memoryMb: Number(memory), architecture };
}

/** Lambda cost of a million invocations of `billedMs` each at `memoryMb`: duration plus requests. */
export function costPerMillion(billedMs: number, memoryMb: number): number {
  const gbSeconds = (memoryMb / 1024) * (billedMs / 1000) * 1_000_000;
  return gbSeconds * LAMBDA_PRICING.usdPerGbSecond + LAMBDA_PRICING.usdPerMillionRequests;
}

function timeOf(text: string): Date {
  const value: unknown = JSON.parse(text);
  const time = typeof value === 'object' && value !== null && 'time' in value && typeof value.time === 'string' ? Date.parse(value.time) : Number.NaN;
  if (Number.isNaN(time)) throw new Error('a generated event has no time');
  return new Date(time);
}

/**
 * Measures the handler's own time per event: `handleEvent` (lib/pipeline/receive.ts), the path every
 * EventBridge-triggered function runs, over generated events (fresh ids and task ARNs, so none is a duplicate),
 * with the in-memory store, a notifier that builds the SNS message but sends nothing, and the logger and metrics
 * serialising their lines to nowhere. The clock is each event's own time, as events arrive live.
 */
export async function measureCost(fixtures: readonly Fixture[], options: { events: number; warmup: number }): Promise<CostResult> {
  const { memoryMb, architecture } = lambdaSettings(readFileSync(join(ROOT, 'serverless.yml'), 'utf8'));
  const texts = [...generateEvents(fixtures, options.warmup + options.events)];
  const events = texts.map((text): { value: unknown; time: Date } => ({ value: JSON.parse(text), time: timeOf(text) }));
  let now = new Date(0);
  let serialised = 0;
  const deps: EventHandlerDeps = {
    logger: createLogger(() => undefined),
    metrics: createMetrics(() => undefined),
    now: () => now,
    alerting: {
      store: new MemoryStore(),
      notifier: {
        publish: async (alert) => {
          serialised += snsMessage(alert).Message.length;
        },
      },
      grouping: DEFAULT_GROUPING,
      tracking: DEFAULT_TRACKING,
    },
  };
  progress(`cost: handleEvent over ${options.warmup} warm-up and ${options.events} timed events`);
  let totalMs = 0;
  let billedTotal = 0;
  let withAwsBilledTotal = 0;
  for (const [index, event] of events.entries()) {
    now = event.time;
    const started = performance.now();
    await handleEvent(event.value, `bench event ${index}`, deps);
    const ms = performance.now() - started;
    if (index < options.warmup) continue;
    totalMs += ms;
    billedTotal += Math.ceil(ms);
    withAwsBilledTotal += Math.ceil(ms + ASSUMED_AWS_MS);
  }
  if (serialised === 0) throw new Error('cost: no event alerted; the measurement would leave out the SNS message');
  const billedMs = billedTotal / options.events;
  const withAwsBilledMs = withAwsBilledTotal / options.events;
  return {
    events: options.events,
    meanMs: totalMs / options.events,
    billedMs,
    memoryMb,
    architecture,
    costPerMillionEventsUsd: costPerMillion(billedMs, memoryMb),
    withAwsBilledMs,
    withAwsCostPerMillionEventsUsd: costPerMillion(withAwsBilledMs, memoryMb),
  };
}
