import { readFileSync } from 'node:fs';
import { CreateTopicCommand, SNSClient } from '@aws-sdk/client-sns';
import { SQSClient } from '@aws-sdk/client-sqs';
import type { Context } from 'aws-lambda';
import { startFauxqs } from 'fauxqs';
import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { handler as serviceHandler } from '../../functions/service-events.ts';
import { DEFAULT_GROUPING } from '../../lib/alerts/grouping.ts';
import { DEFAULT_TRACKING } from '../../lib/trackers/context.ts';
import { eventBridgeHandler, flushHandler, type EventHandlerDeps } from '../../lib/pipeline/receive.ts';
import { createLogger } from '../../lib/log.ts';
import { SnsNotifier } from '../../lib/notify/sns-notifier.ts';
import { DynamoDbStore } from '../../lib/store/dynamodb-store.ts';
import { startDynamoDb, type LocalDynamoDb } from '../support/dynalite.ts';
import { EVENTS_DIR, loadFixture } from '../support/fixtures.ts';
import { deploymentEvent } from '../support/events.ts';
import { delivered, drain, machineBody, subscribedQueue } from '../support/sns.ts';

// The Lambda handlers end to end over the wire: the DynamoDB store on dynalite, SNS and SQS on fauxqs, all through
// the real AWS SDK clients, fed with recorded events.

type Fauxqs = Awaited<ReturnType<typeof startFauxqs>>;

const REGION = 'us-east-1';
const CREDENTIALS = { accessKeyId: 'test', secretAccessKey: 'test' };
const context = { awsRequestId: 'a11ce000-0000-4000-8000-000000000001' } as Context;

let fauxqs: Fauxqs;
let dynamo: LocalDynamoDb;
let sns: SNSClient;
let sqs: SQSClient;
let topicArn: string;
const queues = { all: '', critical: '', pipeline: '' };


function scenario(): Record<string, unknown>[] {
  return readFileSync(`${EVENTS_DIR}scenarios/oom-crash-loop.jsonl`, 'utf8')
    .trim()
    .split('\n')
    .map((line) => JSON.parse(line) as Record<string, unknown>);
}

beforeAll(async () => {
  [fauxqs, dynamo] = await Promise.all([startFauxqs({ port: 0, logger: false }), startDynamoDb()]);
  sns = new SNSClient({ endpoint: fauxqs.address, region: REGION, credentials: CREDENTIALS });
  sqs = new SQSClient({ endpoint: fauxqs.address, region: REGION, credentials: CREDENTIALS });
  const topic = await sns.send(new CreateTopicCommand({ Name: 'ecs-incident-notifier-dev-alerts' }));
  if (topic.TopicArn === undefined) throw new Error('no topic ARN');
  topicArn = topic.TopicArn;
  queues.all = await subscribedQueue(sns, sqs, topicArn, 'every-alert');
  queues.critical = await subscribedQueue(sns, sqs, topicArn, 'email-critical-only', { severity: ['critical'] });
  // A CI pipeline's queue: deployment notices only.
  queues.pipeline = await subscribedQueue(sns, sqs, topicArn, 'ci-deployments', { kind: ['deployment'] });
});

afterAll(async () => {
  sns.destroy();
  sqs.destroy();
  await Promise.all([fauxqs.stop(), dynamo.close()]);
});

beforeEach(async () => {
  await Promise.all([drain(sqs, queues.all), drain(sqs, queues.critical), drain(sqs, queues.pipeline)]);
});

/** The handler's dependencies with real clients pointed at the emulators, and a wall clock that follows the events. */
function wiredDeps(clock: { now: Date }): EventHandlerDeps {
  return {
    logger: createLogger(() => undefined),
    alerting: {
      store: new DynamoDbStore(dynamo.documentClient, dynamo.tableName),
      notifier: new SnsNotifier(sns, topicArn),
      grouping: DEFAULT_GROUPING,
      clock: () => clock.now.getTime(),
    },
    now: () => clock.now,
  };
}

describe('the task handler over DynamoDB, SNS and SQS', () => {
  it('turns a crash loop into a warning, one critical crash-loop alert, its follow-up and one resolved notice, with their text and attributes', async () => {
    const clock = { now: new Date(0) };
    const deps = wiredDeps(clock);
    const handler = eventBridgeHandler(() => deps);
    const flush = flushHandler(() => deps);
    for (const event of scenario()) {
      // The flush function runs every minute: its latest run came just before the event.
      clock.now = new Date(Date.parse(String(event.time)));
      await flush({}, context);
      // Lambda runs moments after the event happened.
      clock.now = new Date(Date.parse(String(event.time)) + 2_000);
      await handler(event, context);
    }
    const messages = (await drain(sqs, queues.all)).map(delivered);
    expect(messages.map((message) => message.subject)).toEqual([
      '[WARNING] Out of memory - service orders-api (prod)',
      '[CRITICAL] Crash loop - service orders-api (prod): 3 tasks stopped in 10 min',
      '[CRITICAL] Crash loop - service orders-api (prod): 5 more tasks in 5 min',
      '[RESOLVED] Crash loop - service orders-api (prod)',
    ]);
    const value = (attribute: unknown): unknown => (attribute as { Value?: unknown } | undefined)?.Value;
    expect(messages.map((message) => [value(message.attributes.severity), value(message.attributes.status), value(message.attributes.kind), value(message.attributes.service)])).toEqual([
      ['warning', 'firing', 'new', 'orders-api'],
      ['critical', 'firing', 'new', 'orders-api'],
      ['critical', 'firing', 'follow-up', 'orders-api'],
      ['critical', 'resolved', 'resolved', 'orders-api'],
    ]);
    // The email wraps its text at 76 columns; read it as one line.
    const email = (messages[2]!.document?.email ?? '').replace(/\s+/g, ' ');
    expect(email).toContain('5 more tasks of service orders-api (prod) stopped within 5 minutes of the first alert: OutOfMemoryError in container orders-api.');
    expect(machineBody(messages[2]!.sqsBody).alert.group.count).toBe(5);
    // The critical-only subscription gets the crash loop, not the first warning.
    expect((await drain(sqs, queues.critical)).map((message) => delivered(message).subject)).toEqual(messages.slice(1).map((message) => message.subject));
  });

  it('alerts once for a duplicate delivery, even from a fresh container (state is in DynamoDB)', async () => {
    const clock = { now: new Date('2025-03-14T09:27:00Z') };
    const event = loadFixture('task/stopped-app-error-exit-1.json');
    await eventBridgeHandler(() => wiredDeps(clock))(event, context);
    const again = await eventBridgeHandler(() => wiredDeps(clock))(event, context);
    expect(again.decision.outcome).toEqual({ outcome: 'suppressed', suppressedBecause: 'duplicate' });
    expect((await drain(sqs, queues.all)).map((message) => delivered(message).subject)).toEqual([expect.stringMatching(/^\[WARNING\] Container exited with an error/)]);
  });

  it('sends the follow-up from the scheduled flush when no later event comes', async () => {
    const clock = { now: new Date('2025-08-01T10:00:02Z') };
    const deps = wiredDeps(clock);
    const handler = eventBridgeHandler(() => deps);
    // Tasks of their own: the crash loop's tasks already have their detail.version recorded in the table.
    const [first, second] = scenario().map((event, index) => {
      const taskArn = `arn:aws:ecs:us-west-2:111122223333:task/prod/f1a5f1a5f1a5f1a5f1a5f1a5f1a5f1a${index}`;
      return { ...event, id: `flush-${index}`, time: `2025-08-01T10:0${index}:00Z`, resources: [taskArn], detail: { ...(event.detail as object), taskArn } };
    });
    await handler(first, context);
    clock.now = new Date('2025-08-01T10:01:02Z');
    await handler(second, context);
    expect((await drain(sqs, queues.all)).map((message) => delivered(message).attributes.kind)).toEqual([{ Type: 'String', Value: 'new' }]);
    clock.now = new Date('2025-08-01T10:06:00Z');
    expect(await flushHandler(() => deps)({}, context)).toEqual({ published: 1 });
    expect((await drain(sqs, queues.all)).map((message) => delivered(message).attributes.kind)).toEqual([{ Type: 'String', Value: 'follow-up' }]);
  });
});

describe('tracking across events with its state in DynamoDB', () => {
  it('tells a failed deployment as one trouble alert, one rollback update and one resolved notice', async () => {
    const clock = { now: new Date(0) };
    const events = readFileSync(`${EVENTS_DIR}scenarios/deployment-rollback.jsonl`, 'utf8').trim().split('\n').map((line) => JSON.parse(line) as Record<string, unknown>);
    for (const event of events) {
      clock.now = new Date(Date.parse(String(event.time)) + 2_000);
      // A fresh container for every event: what is remembered lives in the table.
      await eventBridgeHandler(() => wiredDeps(clock))(event, context);
    }
    const delivered_ = (await drain(sqs, queues.all)).map(delivered);
    expect(delivered_.map((message) => message.subject)).toEqual([
      '[CRITICAL] Deployment in trouble - service checkout (shop-prod): 3 tasks failed',
      '[INFO] Deployment failed - service checkout (shop-prod)',
      '[CRITICAL] Deployment rolling back - service checkout (shop-prod) to ecs-svc/4715832049917311442',
      '[INFO] Deployment rolled back - service checkout (shop-prod)',
      '[RESOLVED] Deployment in trouble - service checkout (shop-prod)',
    ]);
    expect(await drain(sqs, queues.critical)).toHaveLength(3);
    // The pipeline's queue gets the outcome of the release, and nothing else (notifyDeployments=failures, the default).
    const value = (attribute: unknown): unknown => (attribute as { Value?: unknown } | undefined)?.Value;
    const notices = (await drain(sqs, queues.pipeline)).map(delivered);
    expect(notices.map((message) => [value(message.attributes.kind), value(message.attributes.outcome), value(message.attributes.service), value(message.attributes.severity)])).toEqual([
      ['deployment', 'failed', 'checkout', 'info'],
      ['deployment', 'rolled-back', 'checkout', 'info'],
    ]);
    expect(machineBody(notices[1]!.sqsBody).alert).toMatchObject({ kind: 'deployment', deploymentOutcome: 'rolled-back', facts: { deploymentId: 'ecs-svc/5830265113750824417' } });
  });

  it('tells a pipeline every deployment that starts and completes with notifyDeployments=all', async () => {
    const clock = { now: new Date(0) };
    const started = { ...deploymentEvent({ deploymentId: 'ecs-svc/7000000000000000001' }), id: 'deploy-started', time: '2025-04-01T08:00:00Z' };
    const completed = { ...deploymentEvent({ deploymentId: 'ecs-svc/7000000000000000001', eventName: 'SERVICE_DEPLOYMENT_COMPLETED' }), id: 'deploy-completed', time: '2025-04-01T08:06:00Z' };
    for (const event of [started, completed, completed]) {
      clock.now = new Date(Date.parse(String(event.time)) + 2_000);
      const deps = wiredDeps(clock);
      await eventBridgeHandler(() => ({ ...deps, alerting: { ...deps.alerting, tracking: { ...DEFAULT_TRACKING, notifyDeployments: 'all' } } }))(event, context);
    }
    const value = (attribute: unknown): unknown => (attribute as { Value?: unknown } | undefined)?.Value;
    const notices = (await drain(sqs, queues.pipeline)).map(delivered);
    expect(notices.map((message) => [message.subject, value(message.attributes.outcome)])).toEqual([
      ['[INFO] Deployment started - service api (prod)', 'started'],
      ['[INFO] Deployment completed - service api (prod)', 'completed'],
    ]);
    expect(await drain(sqs, queues.critical)).toEqual([]);
  });
});

describe('the deployed handler configured from its environment', () => {
  it('publishes a critical service alert that the critical-only subscription receives', async () => {
    vi.stubEnv('ALERT_TOPIC_ARN', topicArn);
    vi.stubEnv('ALERT_TABLE_NAME', dynamo.tableName);
    vi.stubEnv('AWS_REGION', REGION);
    // The monitoring account is the event's (the template sets it from AWS::AccountId): its own lookups, no STS.
    vi.stubEnv('MONITOR_ACCOUNT_ID', '111122223333');
    vi.stubEnv('AWS_ACCESS_KEY_ID', CREDENTIALS.accessKeyId);
    vi.stubEnv('AWS_SECRET_ACCESS_KEY', CREDENTIALS.secretAccessKey);
    vi.stubEnv('AWS_ENDPOINT_URL_SNS', fauxqs.address);
    vi.stubEnv('AWS_ENDPOINT_URL_DYNAMODB', dynamo.endpoint);
    // No ECS emulator exists: a closed port makes the task definition lookup fail at once, as offline.
    vi.stubEnv('AWS_ENDPOINT_URL_ECS', 'http://127.0.0.1:9');
    const result = await serviceHandler(loadFixture('service-action/task-start-impaired.json'), context);
    expect(result.decision.outcome).toEqual({ outcome: 'alert' });
    const [message, ...rest] = (await drain(sqs, queues.critical)).map(delivered);
    expect(rest).toEqual([]);
    expect(message?.subject).toBe('[CRITICAL] Service cannot start tasks - service servicetest (default)');
    expect((message?.document?.email ?? '').replace(/\s+/g, ' ')).toContain('What to do: Fix the cause in the stopped tasks');
  });
});
