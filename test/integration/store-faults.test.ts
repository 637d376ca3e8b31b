import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
// The SDK's standard retry strategy with a configurable backoff (a transitive dependency of every client).
import type { Context } from 'aws-lambda';
import { afterEach, describe, expect, it } from 'vitest';
import type { Alert } from '../../lib/alerts/alert.ts';
import type { GroupState } from '../../lib/alerts/group-state.ts';
import { DEFAULT_GROUPING } from '../../lib/alerts/grouping.ts';
import { clientConfig } from '../../lib/aws/clients/config.ts';
import { StoreError } from '../../lib/errors.ts';
import { eventBridgeHandler, flushHandler, type EventHandlerDeps } from '../../lib/pipeline/receive.ts';
import { createLogger } from '../../lib/log.ts';
import type { Notifier } from '../../lib/notify/notifier.ts';
import { DynamoDbStore } from '../../lib/store/dynamodb-store.ts';
import { startDynamoDb, type LocalDynamoDb } from '../support/dynalite.ts';
import { faultedClientOptions, jsonErrorReply, testFaultLayer, type FaultAction, type FaultLayer } from '../support/fault-layer.ts';
import { seededRandom } from '../support/random.ts';
import { alertingTaskEvents } from '../support/generated-events.ts';
import { invokeAsync, type ManualClock } from '../support/lambda.ts';
import { RecordingStore } from '../support/recording-store.ts';

// The alert store failing under the handler: DynamoDB gone (dynalite stopped), and DynamoDB throttling beyond the
// SDK's retries (a fault layer on the real DynamoDB client in front of dynalite). The handler must fail the
// invocation, so Lambda retries it, and never drop an alert nor send one twice for it.

const PASS: FaultAction = { type: 'pass' };
const THROTTLED = jsonErrorReply(400, 'ProvisionedThroughputExceededException', 'The level of configured provisioned throughput for the table was exceeded.');

let db: LocalDynamoDb | undefined;

afterEach(async () => {
  await db?.close();
  db = undefined;
});

function context(awsRequestId: string): Context {
  return { awsRequestId } as Context;
}

/** A notifier that counts what it is handed, by alert id; it may run a hook first (to fail the store mid-invocation). */
function countingNotifier(before?: (alert: Alert) => Promise<void>): Notifier & { sent: Alert[]; copies: Map<string, number> } {
  const sent: Alert[] = [];
  const copies = new Map<string, number>();
  return {
    sent,
    copies,
    async publish(alert) {
      await before?.(alert);
      sent.push(alert);
      copies.set(alert.id, (copies.get(alert.id) ?? 0) + 1);
    },
  };
}

function wiredDeps(store: RecordingStore, notifier: Notifier, clock: ManualClock, lines: Record<string, unknown>[] = []): EventHandlerDeps {
  return {
    logger: createLogger((line) => lines.push(JSON.parse(line) as Record<string, unknown>)),
    alerting: { store, notifier, grouping: DEFAULT_GROUPING, clock: () => clock.now },
    now: () => new Date(clock.now),
  };
}

/** The real DynamoDB client as lib/aws/clients/ builds it (standard retries, maxAttempts), through a fault layer to dynalite. */
function faultyDynamoDb(endpoint: string, decide: (body: string, target: string) => FaultAction): { documentClient: DynamoDBDocumentClient; layer: FaultLayer } {
  const config = clientConfig();
  const layer = testFaultLayer(config, (request, body) => decide(body, String(request.headers['x-amz-target'] ?? '')));
  const client = new DynamoDBClient(faultedClientOptions(endpoint, layer, config));
  return { documentClient: DynamoDBDocumentClient.from(client), layer };
}

const WRITES = ['DynamoDB_20120810.PutItem', 'DynamoDB_20120810.UpdateItem'];

/**
 * A store that also tells which messages' outbox clearing failed: a group write that drops messages from the
 * outbox (they were published) and is refused. Those messages stay in the outbox and are published again after the
 * lease, the documented at-least-once case.
 */
class ClearWatchingStore extends RecordingStore {
  readonly failedClears = new Map<string, number>();
  private readonly outboxes = new Map<string, Set<string>>();

  override async putGroup(state: GroupState, expectedRev: number | null): Promise<boolean> {
    const before = this.outboxes.get(state.key) ?? new Set<string>();
    const after = new Set(state.outbox.map((entry) => entry.message.id));
    try {
      const written = await super.putGroup(state, expectedRev);
      if (written) this.outboxes.set(state.key, after);
      return written;
    } catch (error) {
      for (const id of before) if (!after.has(id)) this.failedClears.set(id, (this.failedClears.get(id) ?? 0) + 1);
      throw error;
    }
  }
}

describe('alerting when DynamoDB fails', () => {
  it('fails every invocation with a StoreError once DynamoDB is gone, logging it and publishing nothing more', { timeout: 30_000 }, async () => {
    db = await startDynamoDb();
    const clock: ManualClock = { now: 0 };
    const notifier = countingNotifier();
    const lines: Record<string, unknown>[] = [];
    const store = new RecordingStore(new DynamoDbStore(db.documentClient, db.tableName));
    const handler = eventBridgeHandler(() => wiredDeps(store, notifier, clock, lines));
    const generated = alertingTaskEvents(30, { prefix: 'store-gone', start: '2025-06-02T00:00:00Z', spacingSeconds: 90 });

    for (const { event, time } of generated.slice(0, 20)) expect((await invokeAsync(handler, event, clock, Date.parse(time) + 2_000, 0)).result).not.toBeNull();
    const sentBefore = notifier.sent.length;
    expect(sentBefore).toBe(store.decided.size);
    await db.stop();

    for (const { event, time } of generated.slice(20)) {
      const { result, errors } = await invokeAsync(handler, event, clock, Date.parse(time) + 2_000);
      expect(result).toBeNull();
      expect(errors).toHaveLength(3);
      for (const error of errors) {
        expect(error).toBeInstanceOf(StoreError);
        expect(error).toHaveProperty('cause', expect.any(Error));
      }
    }
    expect(notifier.sent).toHaveLength(sentBefore);
    // Each failed attempt is one structured error line naming the event, so the dead letter can be traced.
    const failed = lines.filter((line) => line.level === 'error');
    expect(failed).toHaveLength(30);
    expect(new Set(failed.map((line) => [line.message, line.errorName, line.outcome].join()))).toEqual(new Set(['event failed,StoreError,failed']));
    expect(new Set(failed.map((line) => line.id))).toEqual(new Set(generated.slice(20).map(({ event }) => event.id)));
  });

  it('fails the invocation when DynamoDB goes away between the publish and clearing the outbox', { timeout: 30_000 }, async () => {
    db = await startDynamoDb();
    const local = db;
    const clock: ManualClock = { now: 0 };
    // SNS has the alert when the store dies: the invocation must not report success, so Lambda retries it; the
    // alert stays in the outbox (at least once, never lost).
    const notifier = countingNotifier(() => local.stop());
    const lines: Record<string, unknown>[] = [];
    const store = new RecordingStore(new DynamoDbStore(db.documentClient, db.tableName));
    const [{ event, time }] = alertingTaskEvents(1, { prefix: 'store-dies', start: '2025-06-03T00:00:00Z', spacingSeconds: 90 }) as [ReturnType<typeof alertingTaskEvents>[number]];

    const { result, errors } = await invokeAsync(eventBridgeHandler(() => wiredDeps(store, notifier, clock, lines)), event, clock, Date.parse(time) + 2_000, 0);

    expect(result).toBeNull();
    expect(errors).toEqual([expect.any(StoreError)]);
    expect(notifier.sent.map((alert) => alert.kind)).toEqual(['new']);
    expect(lines.filter((line) => line.level === 'error')).toEqual([
      expect.objectContaining({ message: 'event failed', id: event.id, outcome: 'failed', errorName: 'StoreError' }),
    ]);
  });

  it('fails the invocation with the SDK’s ProvisionedThroughputExceededException once its retries are spent', async () => {
    db = await startDynamoDb();
    const { documentClient, layer } = faultyDynamoDb(db.endpoint, () => THROTTLED);
    const clock: ManualClock = { now: 0 };
    const notifier = countingNotifier();
    const store = new RecordingStore(new DynamoDbStore(documentClient, db.tableName));
    const [{ event, time }] = alertingTaskEvents(1, { prefix: 'store-throttled', start: '2025-06-04T00:00:00Z', spacingSeconds: 90 }) as [ReturnType<typeof alertingTaskEvents>[number]];

    const { errors } = await invokeAsync(eventBridgeHandler(() => wiredDeps(store, notifier, clock)), event, clock, Date.parse(time) + 2_000, 0);

    expect(errors).toEqual([expect.any(StoreError)]);
    expect(errors[0]).toHaveProperty('cause.name', 'ProvisionedThroughputExceededException');
    expect(errors[0]).toHaveProperty('message', expect.stringContaining('ProvisionedThroughputExceededException'));
    // The first call of the invocation, tried as often as the SDK is configured to, then given up.
    expect(layer.calls).toHaveLength(clientConfig().maxAttempts);
    expect(notifier.sent).toEqual([]);
    await layer.close();
  });

  it('loses no alert when writes are throttled beyond the SDK’s retries, and sends one twice only when clearing it after its publish failed', { timeout: 60_000 }, async () => {
    db = await startDynamoDb();
    const random = seededRandom(0x5eed_0008);
    const enabled = { value: true };
    const { maxAttempts } = clientConfig();
    let storm = 0;
    const injected = { writes: 0, calls: 0 };
    // About one write in 12 is throttled on every SDK attempt (the write fails), one in 12 once (the SDK's retry absorbs it).
    const { documentClient, layer } = faultyDynamoDb(db.endpoint, (_body, target) => {
      if (!enabled.value || !WRITES.includes(target)) return PASS;
      if (storm > 0) {
        storm -= 1;
        injected.calls += 1;
        return THROTTLED;
      }
      const r = random();
      if (r >= 1 / 6) return PASS;
      injected.calls += 1;
      if (r < 1 / 12) {
        storm = maxAttempts - 1;
        injected.writes += 1;
      }
      return THROTTLED;
    });
    const clock: ManualClock = { now: 0 };
    const notifier = countingNotifier();
    const store = new ClearWatchingStore(new DynamoDbStore(documentClient, db.tableName));
    const deps = wiredDeps(store, notifier, clock);
    const handler = eventBridgeHandler(() => deps);
    const generated = alertingTaskEvents(200, { prefix: 'store-writes', start: '2025-06-05T00:00:00Z', spacingSeconds: 90 });

    const failurePath: Record<string, unknown>[] = [];
    let failedAttempts = 0;
    for (const { event, time } of generated) {
      const { result, errors } = await invokeAsync(handler, event, clock, Date.parse(time) + 2_000);
      expect(errors.filter((error) => !(error instanceof StoreError))).toEqual([]);
      failedAttempts += errors.length;
      if (result === null) failurePath.push(event);
    }
    // DynamoDB recovers: the dead letters are redriven and the scheduled flush sends what outboxes still hold.
    enabled.value = false;
    for (const event of failurePath) expect((await invokeAsync(handler, event, clock, clock.now + 60_000, 0)).result).not.toBeNull();
    clock.now += 10 * 60_000;
    await flushHandler(() => deps)({}, context('flush'));
    expect(await store.pending()).toEqual([]);

    // Every message decided went out; once, unless it was published and clearing it from the outbox then failed.
    expect([failedAttempts, failurePath.length].every((count) => count > 0)).toBe(true);
    const decided = [...store.decided.keys()];
    expect(decided.filter((id) => !notifier.copies.has(id))).toEqual([]);
    expect(decided.filter((id) => notifier.copies.get(id) !== 1 + (store.failedClears.get(id) ?? 0))).toEqual([]);
    const duplicates = notifier.sent.length - notifier.copies.size;
    const failedClears = [...store.failedClears.values()].reduce((total, count) => total + count, 0);
    expect(duplicates).toBe(failedClears);
    // Each of the 200 events is told, in its own alert or the follow-up that folds it in.
    const told = new Set(notifier.sent.flatMap((alert) => [...alert.group.ids, alert.facts.taskArn ?? '']));
    expect(generated.filter(({ taskId, taskArn }) => !told.has(taskId) && !told.has(taskArn))).toEqual([]);

    console.info(
      `200 events, ${injected.calls} throttled DynamoDB calls (${injected.writes} writes failed after ${maxAttempts} attempts), ${failedAttempts} failed invocations, ` +
        `${failurePath.length} on the failure path (redriven), ${decided.length} messages decided, ${notifier.sent.length} sent, 0 lost, ` +
        `${duplicates} duplicates = ${failedClears} failed outbox clears after a publish`,
    );
    await layer.close();
  });
});
