import type { Context } from 'aws-lambda';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { Alert } from '../../../lib/alerts/alert.ts';
import { DEFAULT_GROUPING } from '../../../lib/alerts/grouping.ts';
import * as errors from '../../../lib/errors.ts';
import { eventBridgeHandler, type HandledEvent } from '../../../lib/pipeline/receive.ts';
import { createLogger } from '../../../lib/log.ts';
import { publishBytes, SNS_MAX_PUBLISH_BYTES, snsMessage } from '../../../lib/notify/sns-message.ts';
import { MemoryStore } from '../../../lib/store/memory-store.ts';
import { anyJson, DETAIL_TYPES, materialize, mutated, mutation, replacement, seeds } from '../../support/arbitraries.ts';
import { machineBody, snsDocument, snsKeys } from '../../support/sns.ts';

// Random and mutated events through the whole Lambda handler (middy, parse, classify, alert, publish) with a real
// MemoryStore, a notifier that records and a logger that keeps its lines: an input either resolves with a decision
// or rejects with one of the project's typed errors, logged as a structured error line, so Lambda retries it and
// dead-letters it; none is dropped silently, and every message published is one SNS accepts.

const ERROR_CLASSES: readonly (new (...args: never[]) => Error)[] = Object.values(errors);
const OUTCOMES = ['alert', 'grouped', 'resolved', 'suppressed'];
const REQUEST_ID = 'f0221e00-0000-4000-8000-000000000005';
const ORIGIN = `lambda request ${REQUEST_ID}`;
const context = { awsRequestId: REQUEST_ID } as Context;

interface Container {
  handler: (event: unknown, context: Context) => Promise<HandledEvent>;
  lines: Record<string, unknown>[];
  sent: Alert[];
  clock: { now: number };
}

/** One Lambda container: the handler with its dependencies, built once, as in AWS. */
function container(): Container {
  const lines: Record<string, unknown>[] = [];
  const sent: Alert[] = [];
  const clock = { now: Date.parse('2025-03-14T09:30:00Z') };
  const handler = eventBridgeHandler(() => ({
    logger: createLogger((line) => lines.push(JSON.parse(line) as Record<string, unknown>)),
    alerting: { store: new MemoryStore(), notifier: { publish: async (alert) => void sent.push(alert) }, grouping: DEFAULT_GROUPING, clock: () => clock.now },
    now: () => new Date(clock.now),
  }));
  return { handler, lines, sent, clock };
}

/** What SNS would be given for an alert: it builds, fits the limit, has a one-line ASCII subject and round-trips. */
function expectPublishable(alert: Alert): void {
  const message = snsMessage(alert);
  expect(publishBytes(message)).toBeLessThanOrEqual(SNS_MAX_PUBLISH_BYTES);
  expect(message.Subject).toMatch(/^[\x20-\x7e]{1,99}$/u);
  const document = snsDocument(message.Message);
  expect(Object.keys(snsKeys(message.Message)).sort()).toEqual(['default', 'email', 'sms']);
  const { alert: read, trimmed } = machineBody(document.sqs);
  expect(read.id).toBe(alert.id);
  expect(read.key).toBe(alert.key);
  if (!trimmed) expect(read).toEqual(JSON.parse(JSON.stringify(alert)));
}

/**
 * One invocation: it settles, either with a decision logged as 'alerting done', or with a typed error logged as one
 * structured error line (an unreadable event: 'event rejected' with its origin and the offending field).
 */
async function expectHandled(box: Container, input: unknown): Promise<void> {
  const linesBefore = box.lines.length;
  const sentBefore = box.sent.length;
  let result: HandledEvent | undefined;
  let failure: unknown;
  try {
    result = await box.handler(input, context);
  } catch (error) {
    failure = error;
  }
  const lines = box.lines.slice(linesBefore);
  if (result !== undefined) {
    expect(OUTCOMES).toContain(result.decision.outcome.outcome);
    expect(lines.filter((line) => line.level === 'error')).toEqual([]);
    expect(lines.at(-1)).toMatchObject({ level: 'info', message: 'alerting done', outcome: result.decision.outcome.outcome });
  } else {
    expect(ERROR_CLASSES.some((errorClass) => failure instanceof errorClass)).toBe(true);
    const errorLines = lines.filter((line) => line.level === 'error');
    expect(errorLines).toHaveLength(1);
    const [line] = errorLines;
    expect(line).toMatchObject({ errorName: (failure as Error).name, errorMessage: (failure as Error).message });
    if (failure instanceof errors.EventParseError) {
      expect(line).toEqual({ level: 'error', message: 'event rejected', origin: ORIGIN, field: failure.field, errorName: 'EventParseError', errorMessage: failure.message });
      expect(failure.message.startsWith(`${ORIGIN}: `)).toBe(true);
    } else {
      expect(line).toMatchObject({ message: 'event failed', outcome: 'failed' });
    }
  }
  for (const alert of box.sent.slice(sentBefore)) expectPublishable(alert);
}

describe('the EventBridge handler under random and mutated events', () => {
  const events = seeds();

  it('settles every arbitrary JSON value with a decision or a logged EventParseError', { timeout: 120_000 }, async () => {
    await fc.assert(
      fc.asyncProperty(anyJson, async (input) => expectHandled(container(), input)),
      { numRuns: 500 },
    );
  });

  it('settles any object with a detail-type and a random detail and envelope', { timeout: 120_000 }, async () => {
    await fc.assert(
      fc.asyncProperty(fc.constantFrom(...DETAIL_TYPES), anyJson, fc.dictionary(fc.constantFrom('id', 'time', 'account', 'region', 'source', 'resources', 'version'), replacement), async (detailType, detail, envelope) => {
        const fields = Object.fromEntries(Object.entries(envelope).map(([name, value]) => [name, materialize(value)]));
        await expectHandled(container(), { ...fields, 'detail-type': detailType, detail });
      }),
      { numRuns: 500 },
    );
  });

  it('settles recorded events with fields changed, removed, made huge, deep, unicode or unknown', { timeout: 120_000 }, async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(mutation, { minLength: 1, maxLength: 4 }), async (mutations) => {
        await expectHandled(container(), mutated(events, mutations));
      }),
      { numRuns: 1_000 },
    );
  });

  it('settles every event of a random sequence through one container, with grouping and follow-ups along the way', { timeout: 120_000 }, async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(fc.array(mutation, { minLength: 0, maxLength: 2 }), { minLength: 1, maxLength: 25 }), fc.nat(), async (sequence, start) => {
        const box = container();
        for (const [index, mutations] of sequence.entries()) {
          box.clock.now += 60_000;
          const event = mutations.length === 0 ? structuredClone(events[(start + index) % events.length]) : mutated(events, mutations);
          await expectHandled(box, event);
        }
      }),
      { numRuns: 100 },
    );
  });

  // Inputs the properties above found, kept as examples: each used to reject with an untyped error (RangeError from
  // an unreadable time, TypeError from a name found on Object.prototype) on every retry.
  it.each<[string, Record<string, unknown>, Record<string, unknown>]>([
    ['a time that is not a time', { time: 'UNKNOWN' }, {}],
    ['a lone surrogate as the time', { time: '\ud800' }, {}],
    ['a 300,000-character time', { time: 'y'.repeat(300_000) }, {}],
    ['an eventName found on Object.prototype', {}, { eventName: 'constructor' }],
    ['an eventName of __proto__', {}, { eventName: '__proto__' }],
  ])('settles a service action with %s', async (_name, envelope, detail) => {
    const box = container();
    const event = { ...seeds().find((seed) => seed['detail-type'] === 'ECS Service Action'), ...envelope };
    event.detail = { ...(event.detail as object), ...detail };
    await expectHandled(box, event);
    expect(box.lines.filter((line) => line.level === 'error')).toEqual([]);
  });

  it('reads a time in another ISO 8601 form as UTC, and drops one that is not a time, with a warning each', async () => {
    const box = container();
    const [first, second] = [
      { ...seeds()[0], id: 'offset', time: '2025-03-14T11:26:51+02:00' },
      { ...seeds()[0], id: 'garbage', time: '"><script>alert(1)</script>' },
    ];
    expect((await box.handler(first, context)).verdict.time).toBe('2025-03-14T09:26:51Z');
    expect((await box.handler(second, context)).verdict.time).toBeNull();
    expect(box.lines.filter((line) => line.level === 'warn').map((line) => line.warnings)).toEqual([
      ['envelope field "time" is not in ISO 8601 UTC ("2025-03-14T11:26:51+02:00"); read as 2025-03-14T09:26:51Z'],
      ['envelope field "time" is not a time ("\\"><script>alert(1)</script>"); ignored'],
    ]);
  });
});
