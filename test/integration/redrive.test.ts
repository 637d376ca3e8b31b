import { InvokeCommand, LambdaClient } from '@aws-sdk/client-lambda';
import { CreateQueueCommand, DeleteQueueCommand, GetQueueAttributesCommand, SendMessageCommand, SQSClient, type MessageAttributeValue } from '@aws-sdk/client-sqs';
import { mockClient } from 'aws-sdk-client-mock';
import { interceptLocalhostDns, startFauxqs } from 'fauxqs';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { lambdaClient } from '../../lib/aws/clients/lambda.ts';
import { sqsClient } from '../../lib/aws/clients/sqs.ts';
import { runRedrive } from '../../lib/redrive/redrive.ts';
import { fixturePaths, loadFixture } from '../support/fixtures.ts';
import { drain } from '../support/sns.ts';
import { CapturedOutput } from '../support/output.ts';

// Dead letters in a real SQS queue (fauxqs, over the wire, with the real SDK client), re-driven to a Lambda client
// mocked at the SDK (no Lambda emulator exists): the queue must end empty and Lambda get exactly the original events.

type Fauxqs = Awaited<ReturnType<typeof startFauxqs>>;

const REGION = 'us-east-1';
const CREDENTIALS = { accessKeyId: 'test', secretAccessKey: 'test' };
const FUNCTION_ARN = 'arn:aws:lambda:us-east-1:000000000000:function:ecs-incident-notifier-dev-taskEvents';

let server: Fauxqs;
let sqs: SQSClient;
let queueUrl: string;
const lambda = mockClient(LambdaClient);

/** How Lambda's on-failure destination writes a failed asynchronous invocation: the event is the requestPayload. */
function destinationRecord(event: unknown): string {
  return JSON.stringify({
    version: '1.0',
    timestamp: '2025-03-14T09:31:05.568Z',
    requestContext: { requestId: 'e4b46cbf-b738-4f2a-8880-a18cdf61200e', functionArn: `${FUNCTION_ARN}:$LATEST`, condition: 'RetriesExhausted', approximateInvokeCount: 3 },
    requestPayload: event,
    responseContext: { statusCode: 200, executedVersion: '$LATEST', functionError: 'Unhandled' },
    responsePayload: { errorType: 'StoreError', errorMessage: 'DynamoDB unreachable' },
  });
}

/** How an EventBridge rule dead-letters an event it could not deliver: the body is the event, the error in attributes. */
const EVENTBRIDGE_ATTRIBUTES: Record<string, MessageAttributeValue> = {
  RULE_ARN: { DataType: 'String', StringValue: 'arn:aws:events:us-east-1:000000000000:rule/ecs-incident-notifier-task-events' },
  TARGET_ARN: { DataType: 'String', StringValue: FUNCTION_ARN },
  ERROR_CODE: { DataType: 'String', StringValue: 'THROTTLING' },
  ERROR_MESSAGE: { DataType: 'String', StringValue: 'Rate exceeded' },
};

function run(args: string[], clients: { sqs: SQSClient; lambda: LambdaClient } = { sqs, lambda: new LambdaClient({ region: REGION, credentials: CREDENTIALS }) }) {
  const stdout = new CapturedOutput();
  const stderr = new CapturedOutput();
  return runRedrive(args, { stdout, stderr, clients: () => clients }).then((status) => ({ status, stdout: stdout.text, stderr: stderr.text }));
}

/** The payload of an Invoke call as text (the SDK accepts a string or bytes). */
function payloadText(payload: unknown): string {
  if (typeof payload === 'string') return payload;
  if (payload instanceof Uint8Array) return new TextDecoder().decode(payload);
  throw new Error('the Invoke payload is neither text nor bytes');
}

function invokedEvents(): unknown[] {
  return lambda.commandCalls(InvokeCommand).map((call) => JSON.parse(payloadText(call.args[0].input.Payload)) as unknown);
}

async function queueCounts(): Promise<{ visible: string | undefined; hidden: string | undefined }> {
  const { Attributes } = await sqs.send(new GetQueueAttributesCommand({ QueueUrl: queueUrl, AttributeNames: ['ApproximateNumberOfMessages', 'ApproximateNumberOfMessagesNotVisible'] }));
  return { visible: Attributes?.ApproximateNumberOfMessages, hidden: Attributes?.ApproximateNumberOfMessagesNotVisible };
}

/** Every recorded event, half of them as Lambda destination records and half as EventBridge dead letters. */
async function sendRecordedEvents(): Promise<Record<string, unknown>[]> {
  const events = fixturePaths().map((path) => loadFixture(path));
  for (const [index, event] of events.entries()) {
    const body = index % 2 === 0 ? destinationRecord(event) : JSON.stringify(event);
    await sqs.send(new SendMessageCommand({ QueueUrl: queueUrl, MessageBody: body, ...(index % 2 === 0 ? {} : { MessageAttributes: EVENTBRIDGE_ATTRIBUTES }) }));
  }
  return events;
}

const byId = (a: unknown, b: unknown): number => JSON.stringify(a).localeCompare(JSON.stringify(b));

beforeAll(async () => {
  server = await startFauxqs({ port: 0, logger: false });
  sqs = new SQSClient({ endpoint: server.address, region: REGION, credentials: CREDENTIALS });
});

afterAll(async () => {
  sqs.destroy();
  lambda.restore();
  await server.stop();
});

beforeEach(async () => {
  lambda.reset();
  lambda.on(InvokeCommand).resolves({ StatusCode: 202 });
  const { QueueUrl } = await sqs.send(new CreateQueueCommand({ QueueName: 'ecs-incident-notifier-dlq' }));
  if (QueueUrl === undefined) throw new Error('no queue URL');
  queueUrl = QueueUrl;
});

afterEach(async () => {
  await sqs.send(new DeleteQueueCommand({ QueueUrl: queueUrl }));
});

describe('npm run redrive against SQS', () => {
  it('re-drives every recorded event, from destination records and EventBridge dead letters, and empties the queue', async () => {
    const events = await sendRecordedEvents();

    const { status, stdout } = await run(['--queue', queueUrl, '--function', FUNCTION_ARN]);

    expect(status).toBe(0);
    expect(invokedEvents().sort(byId)).toEqual([...events].sort(byId));
    expect(lambda.commandCalls(InvokeCommand).every((call) => call.args[0].input.InvocationType === 'Event')).toBe(true);
    expect(await drain(sqs, queueUrl)).toEqual([]);
    expect(await queueCounts()).toEqual({ visible: '0', hidden: '0' });
    expect(stdout).toContain(`${events.length} messages: ${events.length} re-driven`);
  });

  it('leaves an unreadable message and every message of a dry run in the queue, visible again at once', async () => {
    await sqs.send(new SendMessageCommand({ QueueUrl: queueUrl, MessageBody: 'not an event' }));
    await sqs.send(new SendMessageCommand({ QueueUrl: queueUrl, MessageBody: destinationRecord(loadFixture('task/stopped-oom.json')) }));

    const dryRun = await run(['--queue', queueUrl, '--function', FUNCTION_ARN, '--dry-run']);
    expect(dryRun.status).toBe(2);
    expect(lambda.commandCalls(InvokeCommand)).toEqual([]);
    expect(await queueCounts()).toEqual({ visible: '2', hidden: '0' });

    const real = await run(['--queue', queueUrl, '--function', FUNCTION_ARN]);
    expect(real.status).toBe(2);
    expect(real.stdout).toMatch(/ unreadable \(the message body is not JSON\)\n/);
    expect(invokedEvents()).toEqual([loadFixture('task/stopped-oom.json')]);
    expect((await drain(sqs, queueUrl)).map((message) => message.Body)).toEqual(['not an event']);
  });

  it('reaches the queue through AWS_ENDPOINT_URL_SQS with the shared clients, no endpoint in code', async () => {
    vi.stubEnv('AWS_ENDPOINT_URL_SQS', server.address);
    vi.stubEnv('AWS_REGION', REGION);
    vi.stubEnv('AWS_ACCESS_KEY_ID', 'test');
    vi.stubEnv('AWS_SECRET_ACCESS_KEY', 'test');
    const event = loadFixture('deployment/failed-circuit-breaker.json');
    await sqs.send(new SendMessageCommand({ QueueUrl: queueUrl, MessageBody: JSON.stringify(event), MessageAttributes: EVENTBRIDGE_ATTRIBUTES }));

    // With the endpoint from the environment, the SQS client sends each call to the host of the queue URL, which
    // fauxqs names sqs.REGION.localhost: resolve that to loopback (fauxqs' own helper) for this test only.
    const restoreDns = interceptLocalhostDns();
    const { status, stderr } = await run(['--queue', queueUrl, '--function', FUNCTION_ARN], { sqs: sqsClient(), lambda: lambdaClient() }).finally(restoreDns);

    expect(stderr).toBe('');
    expect(status).toBe(0);
    expect(invokedEvents()).toEqual([event]);
    expect(await queueCounts()).toEqual({ visible: '0', hidden: '0' });
  });
});
