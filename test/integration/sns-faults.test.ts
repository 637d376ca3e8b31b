import { CreateTopicCommand, SNSClient, SubscribeCommand } from '@aws-sdk/client-sns';
import { CreateQueueCommand, GetQueueAttributesCommand, SQSClient } from '@aws-sdk/client-sqs';
// The SDK's standard retry strategy with a configurable backoff (a transitive dependency of every client).
import { startFauxqs } from 'fauxqs';
import type { Context } from 'aws-lambda';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { Alert } from '../../lib/alerts/alert.ts';
import { DEFAULT_GROUPING } from '../../lib/alerts/grouping.ts';
import { clientConfig } from '../../lib/aws/clients/config.ts';
import { PublishError } from '../../lib/errors.ts';
import { eventBridgeHandler, flushHandler, type EventHandlerDeps } from '../../lib/pipeline/receive.ts';
import { createLogger } from '../../lib/log.ts';
import { SnsNotifier } from '../../lib/notify/sns-notifier.ts';
import { MemoryStore } from '../../lib/store/memory-store.ts';
import { faultedClientOptions, queryErrorReply, testFaultLayer, type FaultAction, type FaultCall, type FaultLayer } from '../support/fault-layer.ts';
import { seededRandom } from '../support/random.ts';
import { alertingTaskEvents } from '../support/generated-events.ts';
import { invokeAsync, type ManualClock } from '../support/lambda.ts';
import { RecordingStore } from '../support/recording-store.ts';
import { delivered, drain, machineBody, snsDocument } from '../support/sns.ts';

// SNS failing under the handler the way it fails in AWS: throttled, 5xx, silent until the request timeout, and the
// worst case, a publish SNS accepted whose reply was lost. A fault layer sits between the SnsNotifier's real SNS
// client and fauxqs (test/support/fault-layer.ts); the SDK's own retries (standard mode, maxAttempts from
// clientConfig) run above it, and Lambda's asynchronous retries above those.
//
// The store is the MemoryStore, the same contract as DynamoDbStore (test/support/store-contract.ts): the run passes
// on DynamoDbStore over dynalite as well, in three times the time, for nothing this test is about (the store's own
// faults are test/integration/store-faults.test.ts).

type Fauxqs = Awaited<ReturnType<typeof startFauxqs>>;

const REGION = 'us-east-1';
const CREDENTIALS = { accessKeyId: 'test', secretAccessKey: 'test' };
const EVENTS = 1_000;
const SEED = 0x5eed_0006;

let server: Fauxqs;
let admin: SNSClient;
let sqs: SQSClient;
let topicArn: string;
let queueUrl: string;

beforeAll(async () => {
  server = await startFauxqs({ port: 0, logger: false });
  admin = new SNSClient({ endpoint: server.address, region: REGION, credentials: CREDENTIALS });
  sqs = new SQSClient({ endpoint: server.address, region: REGION, credentials: CREDENTIALS });
  const topic = await admin.send(new CreateTopicCommand({ Name: 'alerts-under-faults' }));
  if (topic.TopicArn === undefined) throw new Error('no topic ARN');
  topicArn = topic.TopicArn;
  const queue = await sqs.send(new CreateQueueCommand({ QueueName: 'every-alert-under-faults' }));
  if (queue.QueueUrl === undefined) throw new Error('no queue URL');
  queueUrl = queue.QueueUrl;
  const { Attributes } = await sqs.send(new GetQueueAttributesCommand({ QueueUrl: queueUrl, AttributeNames: ['QueueArn'] }));
  await admin.send(new SubscribeCommand({ TopicArn: topicArn, Protocol: 'sqs', Endpoint: Attributes?.QueueArn }));
});

afterAll(async () => {
  admin.destroy();
  sqs.destroy();
  await server.stop();
});

beforeEach(() => {
  server.reset();
});

/** The id of the alert a Publish request carries, read from its form body (SNS speaks the Query protocol). */
function publishedId(body: string): string | null {
  const params = new URLSearchParams(body);
  if (params.get('Action') !== 'Publish') return null;
  return machineBody(snsDocument(params.get('Message') ?? '{}').sqs).alert.id;
}

/**
 * The real SNS client as lib/aws/clients/ builds it (standard retries, `maxAttempts` attempts, a request timeout),
 * pointed at fauxqs through the fault layer. The backoff between the SDK's attempts is cut to a few milliseconds so
 * that a thousand events take seconds; which errors are retried, how often and against which retry quota is the
 * SDK's standard strategy, unchanged.
 */
function faultySns(decide: (body: string) => FaultAction): { sns: SNSClient; layer: FaultLayer } {
  const config = clientConfig();
  const layer = testFaultLayer(config, (_request, body) => decide(body));
  const sns = new SNSClient(faultedClientOptions(server.address, layer, config));
  return { sns, layer };
}

const THROTTLED = queryErrorReply(400, 'Throttling', 'Rate exceeded');
const UNAVAILABLE = queryErrorReply(503, 'ServiceUnavailable', 'Service is unavailable');
const INTERNAL_AFTER_DELIVERY = queryErrorReply(500, 'InternalError', 'Internal error', true);
const SILENT: FaultAction = { type: 'silence', delivered: false };
const SILENT_AFTER_DELIVERY: FaultAction = { type: 'silence', delivered: true };
const PASS: FaultAction = { type: 'pass' };

/**
 * The faults, drawn from a seeded generator for each Publish: about 1 call in 12 fails on its own (throttled, 503,
 * silent; or 500 or silent after SNS delivered), and now and then an outage fails 2 to 13 calls in a row, long
 * enough to exhaust the SDK's attempts and, at its longest, Lambda's retries too.
 */
function randomFaults(seed: number): { decide: (body: string) => FaultAction; enabled: { value: boolean } } {
  const random = seededRandom(seed);
  const enabled = { value: true };
  let outage = 0;
  const outageFault = (): FaultAction => {
    const r = random();
    return r < 0.5 ? THROTTLED : r < 0.9 ? UNAVAILABLE : SILENT;
  };
  const decide = (body: string): FaultAction => {
    if (!enabled.value || publishedId(body) === null) return PASS;
    if (outage > 0) {
      outage -= 1;
      return outageFault();
    }
    const r = random();
    if (r < 0.006) {
      outage = 1 + Math.floor(random() * 12);
      return outageFault();
    }
    if (r < 0.034) return THROTTLED;
    if (r < 0.054) return UNAVAILABLE;
    if (r < 0.064) return INTERNAL_AFTER_DELIVERY;
    if (r < 0.074) return SILENT;
    if (r < 0.084) return SILENT_AFTER_DELIVERY;
    return PASS;
  };
  return { decide, enabled };
}

/** The injected faults by kind, for the summary line. */
function faultKinds(calls: readonly FaultCall[]): string {
  const kinds = new Map<string, number>();
  for (const { action } of calls) {
    if (action.type === 'pass') continue;
    const kind = `${action.type === 'reply' ? `HTTP ${action.statusCode}` : 'timeout'}${action.delivered ? ' after delivery' : ''}`;
    kinds.set(kind, (kinds.get(kind) ?? 0) + 1);
  }
  return [...kinds].map(([kind, count]) => `${count} ${kind}`).join(', ');
}

interface PublishCounts {
  /** Publishes SNS accepted (the emulator answered 200), by alert id: each is one delivery to the queue. */
  accepted: Map<string, number>;
  /** Publishes SNS accepted whose reply the client never got (the injected lost replies), by alert id. */
  lostReplies: Map<string, number>;
  /** Publishes whose success reached the client, by alert id. */
  confirmed: Map<string, number>;
  injected: number;
}

function increment(counts: Map<string, number>, id: string): void {
  counts.set(id, (counts.get(id) ?? 0) + 1);
}

function publishCounts(calls: readonly FaultCall[]): PublishCounts {
  const counts: PublishCounts = { accepted: new Map(), lostReplies: new Map(), confirmed: new Map(), injected: 0 };
  for (const call of calls) {
    const id = publishedId(call.body);
    if (id === null) continue;
    if (call.action.type !== 'pass') counts.injected += 1;
    if (call.serviceStatus !== 200) continue;
    increment(counts.accepted, id);
    increment(call.action.type === 'pass' ? counts.confirmed : counts.lostReplies, id);
  }
  return counts;
}

/** What reached the subscribed queue since the last call: each alert once, and how many copies of it came. */
async function deliveredAlerts(): Promise<{ alerts: Map<string, Alert>; copies: Map<string, number> }> {
  const alerts = new Map<string, Alert>();
  const copies = new Map<string, number>();
  for (const message of await drain(sqs, queueUrl)) {
    const { alert } = machineBody(delivered(message).sqsBody);
    alerts.set(alert.id, alert);
    increment(copies, alert.id);
  }
  return { alerts, copies };
}

function sum(counts: ReadonlyMap<string, number>): number {
  return [...counts.values()].reduce((total, count) => total + count, 0);
}

function context(awsRequestId: string): Context {
  return { awsRequestId } as Context;
}

describe('alerting when SNS fails', () => {
  it('loses no alert of 1,000 events and sends one twice only when SNS accepted it and the reply was lost', { timeout: 120_000 }, async () => {
    const faults = randomFaults(SEED);
    const { sns, layer } = faultySns(faults.decide);
    const clock: ManualClock = { now: 0 };
    const store = new RecordingStore(new MemoryStore());
    const errorLines: Record<string, unknown>[] = [];
    const deps: EventHandlerDeps = {
      logger: createLogger((line) => {
        const parsed = JSON.parse(line) as Record<string, unknown>;
        if (parsed.level === 'error') errorLines.push(parsed);
      }),
      alerting: { store, notifier: new SnsNotifier(sns, topicArn), grouping: DEFAULT_GROUPING, clock: () => clock.now },
      now: () => new Date(clock.now),
    };
    const handler = eventBridgeHandler(() => deps);
    const flush = flushHandler(() => deps);
    const generated = alertingTaskEvents(EVENTS, { prefix: 'sns-fault', start: '2025-06-01T00:00:00Z', spacingSeconds: 90 });

    // Lambda: each event a moment after it happened, retried twice while it fails; what still fails goes to the
    // failure path (the dead-letter queue).
    const failurePath: Record<string, unknown>[] = [];
    const failures: unknown[] = [];
    for (const { event, time } of generated) {
      const { result, errors } = await invokeAsync(handler, event, clock, Date.parse(time) + 2_000);
      failures.push(...errors);
      if (result === null) failurePath.push(event);
    }
    // Every failure is SNS's (a PublishError with the SDK's error as cause), and each failed invocation said so in its log.
    expect(failures.filter((error) => !(error instanceof PublishError))).toEqual([]);
    expect(errorLines.filter((line) => line.message === 'event failed' && line.errorName === 'PublishError')).toHaveLength(failures.length);

    // The scheduled flush, every minute for a few minutes, publishes what failed invocations left in outboxes.
    for (let run = 0; run < 3; run += 1) {
      clock.now += 60_000;
      await flush({}, context(`flush-${run}`)).catch((error: unknown) => expect(error).toBeInstanceOf(PublishError));
    }

    // Nothing lost: every message alerting decided is in the queue or still in an outbox, for the next flush.
    const first = await deliveredAlerts();
    const pending = new Set((await store.pending()).map((message) => message.id));
    expect([...store.decided.keys()].filter((id) => !first.copies.has(id) && !pending.has(id))).toEqual([]);

    // Nothing doubled but by lost replies: each delivery is a publish SNS accepted, a publish whose success reached
    // the client is never repeated, and every other copy is an accepted publish whose reply was lost.
    const counts = publishCounts(layer.calls);
    expect(first.copies).toEqual(counts.accepted);
    expect([...counts.confirmed].filter(([, count]) => count > 1)).toEqual([]);
    for (const [id, copies] of first.copies) expect(copies).toBe((counts.lostReplies.get(id) ?? 0) + (counts.confirmed.get(id) ?? 0));

    // SNS healthy again: the dead-lettered events are redriven, and one more flush empties every outbox.
    faults.enabled.value = false;
    for (const event of failurePath) expect((await invokeAsync(handler, event, clock, clock.now + 60_000, 0)).result).not.toBeNull();
    clock.now += 10 * 60_000;
    await flush({}, context('flush-last'));
    expect(await store.pending()).toEqual([]);

    const last = await deliveredAlerts();
    const alerts = new Map([...first.alerts, ...last.alerts]);
    const copies = new Map(first.copies);
    for (const [id, count] of last.copies) copies.set(id, (copies.get(id) ?? 0) + count);
    const final = publishCounts(layer.calls);
    expect([...store.decided.keys()].filter((id) => !alerts.has(id))).toEqual([]);
    expect([...final.confirmed].filter(([, count]) => count !== 1)).toEqual([]);
    const duplicates = sum(copies) - copies.size;
    expect(duplicates).toBe(sum(final.lostReplies));
    // The seeded faults reach every path: SDK retries, Lambda retries, the failure path, lost replies.
    expect([failures.length, failurePath.length, duplicates].every((count) => count > 0)).toBe(true);

    // Each of the 1,000 events is told: in its own alert, or in the follow-up that folds it in.
    const told = new Set([...alerts.values()].flatMap((alert) => [...alert.group.ids, alert.facts.taskArn ?? '']));
    expect(generated.filter(({ taskId, taskArn }) => !told.has(taskId) && !told.has(taskArn)).map(({ event }) => event.id)).toEqual([]);

    console.info(
      `${EVENTS} events, ${final.injected} faults injected on ${layer.calls.length} publishes (${faultKinds(layer.calls)}), ${failures.length} failed invocations, ` +
        `${failurePath.length} events on the failure path (redriven), ${store.decided.size} messages decided, ${sum(copies)} delivered, 0 lost, ` +
        `${duplicates} duplicates = ${sum(final.lostReplies)} injected lost replies`,
    );
    sns.destroy();
    await layer.close();
  });

  it('does not send a message again when a later message of the same batch fails', async () => {
    // A group whose first alert failed to publish and whose window then closed holds two messages at the next
    // flush: the abandoned alert and the follow-up. The alert goes out, the follow-up fails: the next flush must
    // send the follow-up alone.
    const failures = new Map<Alert['kind'], number>([
      ['new', 1],
      ['follow-up', 1],
    ]);
    const { sns, layer } = faultySns((body) => {
      const id = publishedId(body);
      if (id === null) return PASS;
      const { kind } = machineBody(snsDocument(new URLSearchParams(body).get('Message') ?? '{}').sqs).alert;
      const left = failures.get(kind) ?? 0;
      if (left === 0) return PASS;
      failures.set(kind, left - 1);
      // Not retried by the SDK: one call, one failure.
      return queryErrorReply(403, 'AuthorizationError', 'User is not authorized to perform SNS:Publish');
    });
    const clock: ManualClock = { now: 0 };
    const deps: EventHandlerDeps = {
      logger: createLogger(() => undefined),
      alerting: { store: new MemoryStore(), notifier: new SnsNotifier(sns, topicArn), grouping: DEFAULT_GROUPING, clock: () => clock.now },
      now: () => new Date(clock.now),
    };
    const handler = eventBridgeHandler(() => deps);
    const [first, second] = alertingTaskEvents(2, { prefix: 'batch', start: '2025-06-01T00:00:00Z', spacingSeconds: 10, joinEvery: 2 });
    const t0 = Date.parse(first!.time);

    expect((await invokeAsync(handler, first!.event, clock, t0 + 2_000, 0)).errors).toEqual([expect.any(PublishError)]);
    expect((await invokeAsync(handler, second!.event, clock, t0 + 12_000, 0)).result?.decision.outcome).toEqual({ outcome: 'grouped' });
    clock.now = t0 + 6 * 60_000;
    await expect(flushHandler(() => deps)({}, context('flush-1'))).rejects.toThrow(PublishError);
    clock.now = t0 + 7 * 60_000;
    expect(await flushHandler(() => deps)({}, context('flush-2'))).toEqual({ published: 1 });

    const { copies, alerts } = await deliveredAlerts();
    expect([...alerts.values()].map((alert) => [alert.kind, copies.get(alert.id)])).toEqual([
      ['new', 1],
      ['follow-up', 1],
    ]);
    sns.destroy();
    await layer.close();
  });
});
