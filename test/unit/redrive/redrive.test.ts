import { InvokeCommand, LambdaClient, ResourceNotFoundException } from '@aws-sdk/client-lambda';
import { ChangeMessageVisibilityBatchCommand, DeleteMessageCommand, QueueDoesNotExist, ReceiveMessageCommand, SQSClient, type Message } from '@aws-sdk/client-sqs';
import { mockClient } from 'aws-sdk-client-mock';
import 'aws-sdk-client-mock-vitest/extend';
import { describe, expect, it } from 'vitest';
import { functionName, readDeadLetter, runRedrive } from '../../../lib/redrive/redrive.ts';
import { loadFixture } from '../../support/fixtures.ts';
import { CapturedOutput } from '../../support/output.ts';

const QUEUE_URL = 'https://sqs.us-west-2.amazonaws.com/111122223333/ecs-incident-notifier-task-events-dlq';
const FUNCTION_ARN = 'arn:aws:lambda:us-west-2:111122223333:function:ecs-incident-notifier-dev-taskEvents';
const OOM = loadFixture('task/stopped-oom.json');
const STEADY = loadFixture('service-action/steady-state.json');

/** A record of Lambda's on-failure destination, as in https://docs.aws.amazon.com/lambda/latest/dg/invocation-async-retain-records.html */
function destinationRecord(event: unknown, functionArn = `${FUNCTION_ARN}:$LATEST`): Record<string, unknown> {
  return {
    version: '1.0',
    timestamp: '2025-03-14T09:31:05.568Z',
    requestContext: { requestId: 'e4b46cbf-b738-4f2a-8880-a18cdf61200e', functionArn, condition: 'RetriesExhausted', approximateInvokeCount: 3 },
    requestPayload: event,
    responseContext: { statusCode: 200, executedVersion: '$LATEST', functionError: 'Unhandled' },
    responsePayload: { errorType: 'PublishError', errorMessage: 'SNS publish failed for topic arn:aws:sns:us-west-2:111122223333:alerts, alert 1' },
  };
}

/** The attributes EventBridge adds to a dead-lettered event (https://docs.aws.amazon.com/eventbridge/latest/userguide/eb-rule-dlq.html). */
function eventBridgeAttributes(targetArn = FUNCTION_ARN): Message['MessageAttributes'] {
  const string = (value: string) => ({ DataType: 'String', StringValue: value });
  return {
    RULE_ARN: string('arn:aws:events:us-west-2:111122223333:rule/ecs-incident-notifier-task-events'),
    TARGET_ARN: string(targetArn),
    ERROR_CODE: string('NO_PERMISSIONS'),
    ERROR_MESSAGE: string('Lambda function is not allowed to be invoked by EventBridge'),
  };
}

function message(id: string, body: string, attributes?: Message['MessageAttributes']): Message {
  return { MessageId: id, ReceiptHandle: `handle-${id}`, Body: body, ...(attributes === undefined ? {} : { MessageAttributes: attributes }) };
}

function setup(...batches: Message[][]) {
  const sqsClient = new SQSClient({ region: 'us-west-2' });
  const lambdaClient = new LambdaClient({ region: 'us-west-2' });
  const sqs = mockClient(sqsClient);
  const lambda = mockClient(lambdaClient);
  let receive = sqs.on(ReceiveMessageCommand);
  for (const batch of batches) receive = receive.resolvesOnce({ Messages: batch });
  receive.resolves({});
  sqs.on(DeleteMessageCommand).resolves({});
  sqs.on(ChangeMessageVisibilityBatchCommand).resolves({ Successful: [], Failed: [] });
  lambda.on(InvokeCommand).resolves({ StatusCode: 202 });
  const stdout = new CapturedOutput();
  const stderr = new CapturedOutput();
  const run = (...args: string[]) => runRedrive(args, { stdout, stderr, clients: () => ({ sqs: sqsClient, lambda: lambdaClient }) });
  return { sqs, lambda, stdout, stderr, run };
}

/** The payload of an Invoke call as text (the SDK accepts a string or bytes). */
function payloadText(payload: unknown): string {
  if (typeof payload === 'string') return payload;
  if (payload instanceof Uint8Array) return new TextDecoder().decode(payload);
  throw new Error('the Invoke payload is neither text nor bytes');
}

/** The events Lambda was invoked with, in order. */
function invokedEvents(lambda: ReturnType<typeof setup>['lambda']): unknown[] {
  return lambda.commandCalls(InvokeCommand).map((call) => JSON.parse(payloadText(call.args[0].input.Payload)) as unknown);
}

describe('runRedrive', () => {
  it('invokes the function asynchronously with the requestPayload of a Lambda destination record, then deletes the message', async () => {
    const { sqs, lambda, stdout, run } = setup([message('m-1', JSON.stringify(destinationRecord(OOM)))]);

    expect(await run('--queue', QUEUE_URL, '--function', FUNCTION_ARN)).toBe(0);

    expect(lambda).toHaveReceivedCommandWith(InvokeCommand, { FunctionName: FUNCTION_ARN, InvocationType: 'Event' });
    expect(invokedEvents(lambda)).toEqual([OOM]);
    expect(sqs).toHaveReceivedCommandWith(DeleteMessageCommand, { QueueUrl: QUEUE_URL, ReceiptHandle: 'handle-m-1' });
    expect(sqs).toHaveReceivedCommandWith(ReceiveMessageCommand, { QueueUrl: QUEUE_URL, MaxNumberOfMessages: 10, WaitTimeSeconds: 2, MessageAttributeNames: ['All'] });
    expect(stdout.lines()).toEqual([
      `m-1  ${String(OOM.id)}  ECS Task State Change  re-driven (Lambda RetriesExhausted after 3 attempts: PublishError: SNS publish failed for topic arn:aws:sns:us-west-2:111122223333:alerts, alert 1)`,
      '1 message: 1 re-driven',
    ]);
  });

  it('invokes the function with the body of an EventBridge dead letter, which is the event itself', async () => {
    const { sqs, lambda, stdout, run } = setup([message('m-1', JSON.stringify(OOM), eventBridgeAttributes()), message('m-2', JSON.stringify(STEADY), eventBridgeAttributes())]);

    expect(await run('--queue', QUEUE_URL, '--function', 'ecs-incident-notifier-dev-taskEvents')).toBe(0);

    expect(invokedEvents(lambda)).toEqual([OOM, STEADY]);
    expect(sqs).toHaveReceivedCommandTimes(DeleteMessageCommand, 2);
    expect(stdout.lines()[1]).toBe(`m-2  ${String(STEADY.id)}  ECS Service Action  re-driven (EventBridge NO_PERMISSIONS: Lambda function is not allowed to be invoked by EventBridge)`);
    expect(stdout.lines().at(-1)).toBe('2 messages: 2 re-driven');
  });

  it('leaves a message that is neither in the queue, visible again, reports it and exits with 2', async () => {
    const { sqs, lambda, stdout, run } = setup([message('m-1', 'not json {'), message('m-2', JSON.stringify({ hello: 'world' })), message('m-3', JSON.stringify(OOM))]);

    expect(await run('--queue', QUEUE_URL, '--function', FUNCTION_ARN)).toBe(2);

    expect(invokedEvents(lambda)).toEqual([OOM]);
    expect(sqs).toHaveReceivedCommandTimes(DeleteMessageCommand, 1);
    expect(sqs).toHaveReceivedCommandWith(ChangeMessageVisibilityBatchCommand, {
      QueueUrl: QUEUE_URL,
      Entries: [
        { Id: '0', ReceiptHandle: 'handle-m-1', VisibilityTimeout: 0 },
        { Id: '1', ReceiptHandle: 'handle-m-2', VisibilityTimeout: 0 },
      ],
    });
    expect(stdout.lines()).toEqual([
      'm-1  -  -  unreadable (the message body is not JSON)',
      'm-2  -  -  unreadable (neither a Lambda destination record nor an EventBridge event)',
      expect.stringMatching(/^m-3 .* re-driven/),
      '3 messages: 2 unreadable, 1 re-driven',
    ]);
  });

  it('keeps a message whose invocation fails or is not accepted with 202', async () => {
    const { sqs, lambda, stdout, run } = setup([message('m-1', JSON.stringify(OOM)), message('m-2', JSON.stringify(destinationRecord(STEADY)))]);
    lambda
      .on(InvokeCommand)
      .rejectsOnce(new ResourceNotFoundException({ $metadata: {}, message: 'Function not found' }))
      .resolvesOnce({ StatusCode: 200 });

    expect(await run('--queue', QUEUE_URL, '--function', FUNCTION_ARN)).toBe(2);

    expect(sqs).toHaveReceivedCommandTimes(DeleteMessageCommand, 0);
    expect(stdout.lines()).toEqual([
      `m-1  ${String(OOM.id)}  ECS Task State Change  invoke failed (ResourceNotFoundException: Function not found)`,
      `m-2  ${String(STEADY.id)}  ECS Service Action  invoke failed (Lambda answered status 200, not 202)`,
      '2 messages: 2 invoke failed',
    ]);
  });

  it('reports a message invoked but not deleted, so that nobody thinks it is gone', async () => {
    const { sqs, run, stdout } = setup([message('m-1', JSON.stringify(OOM))]);
    sqs.on(DeleteMessageCommand).rejects(new Error('AccessDenied'));

    expect(await run('--queue', QUEUE_URL, '--function', FUNCTION_ARN)).toBe(2);
    expect(stdout.lines()[0]).toMatch(/ not deleted \(invoked, but the message could not be deleted: Error: AccessDenied\)$/);
  });

  it('changes nothing in a dry run: no invocation, no deletion, every message visible again', async () => {
    const { sqs, lambda, stdout, run } = setup([message('m-1', JSON.stringify(OOM)), message('m-2', JSON.stringify(destinationRecord(STEADY)))]);

    expect(await run('--queue', QUEUE_URL, '--function', FUNCTION_ARN, '--dry-run')).toBe(0);

    expect(lambda).toHaveReceivedCommandTimes(InvokeCommand, 0);
    expect(sqs).toHaveReceivedCommandTimes(DeleteMessageCommand, 0);
    expect(sqs.commandCalls(ChangeMessageVisibilityBatchCommand)[0]?.args[0].input.Entries?.map((entry) => entry.ReceiptHandle)).toEqual(['handle-m-1', 'handle-m-2']);
    expect(stdout.lines()).toEqual([expect.stringMatching(/^m-1 .* would re-drive \(EventBridge delivery failure\)$/), expect.stringMatching(/^m-2 .* would re-drive/), 'Dry run: 2 messages: 2 would re-drive']);
  });

  it('stops after --max messages, asking for no more than are left', async () => {
    const { sqs, lambda, run } = setup([message('m-1', JSON.stringify(OOM)), message('m-2', JSON.stringify(STEADY))], [message('m-3', JSON.stringify(OOM))]);

    expect(await run('--queue', QUEUE_URL, '--function', FUNCTION_ARN, '--max', '3')).toBe(0);

    expect(sqs.commandCalls(ReceiveMessageCommand).map((call) => call.args[0].input.MaxNumberOfMessages)).toEqual([3, 1]);
    expect(lambda).toHaveReceivedCommandTimes(InvokeCommand, 3);
  });

  it('stops when the queue holds only messages it has already handled', async () => {
    const garbage = message('m-1', 'garbage');
    const { sqs, stdout, run } = setup([garbage], [{ ...garbage, ReceiptHandle: 'handle-m-1-again' }]);

    expect(await run('--queue', QUEUE_URL, '--function', FUNCTION_ARN)).toBe(2);

    expect(sqs).toHaveReceivedCommandTimes(ReceiveMessageCommand, 2);
    expect(sqs).toHaveReceivedCommandWith(ChangeMessageVisibilityBatchCommand, { Entries: [{ Id: '0', ReceiptHandle: 'handle-m-1-again', VisibilityTimeout: 0 }] });
    expect(stdout.lines()).toHaveLength(2);
  });

  it('leaves a record of another function in the queue', async () => {
    const other = 'arn:aws:lambda:us-west-2:111122223333:function:ecs-incident-notifier-dev-slack';
    const { lambda, stdout, run } = setup([message('m-1', JSON.stringify(destinationRecord(OOM, `${other}:$LATEST`))), message('m-2', JSON.stringify(OOM), eventBridgeAttributes(other))]);

    expect(await run('--queue', QUEUE_URL, '--function', FUNCTION_ARN)).toBe(2);

    expect(lambda).toHaveReceivedCommandTimes(InvokeCommand, 0);
    expect(stdout.lines()[0]).toMatch(new RegExp(`other function \\(it failed in ${other.replaceAll('$', '\\$')}:\\$LATEST, not ${FUNCTION_ARN}\\)$`));
    expect(stdout.lines().at(-1)).toBe('2 messages: 2 other function');
  });

  it('says so and exits with 2 when the queue cannot be read', async () => {
    const { sqs, stderr, run } = setup();
    sqs.on(ReceiveMessageCommand).rejects(new QueueDoesNotExist({ $metadata: {}, message: 'The specified queue does not exist.' }));

    expect(await run('--queue', QUEUE_URL, '--function', FUNCTION_ARN)).toBe(2);
    expect(stderr.text).toBe(`could not receive messages from ${QUEUE_URL}: QueueDoesNotExist: The specified queue does not exist.\n`);
  });

  it('reports an empty queue', async () => {
    const { stdout, run } = setup();
    expect(await run('--queue', QUEUE_URL, '--function', FUNCTION_ARN)).toBe(0);
    expect(stdout.lines()).toEqual(['0 messages (the queue is empty)']);
  });

  it('refuses missing or malformed arguments with the usage, and shows the usage on --help', async () => {
    const { sqs, stderr, stdout, run } = setup();
    expect(await run('--function', FUNCTION_ARN)).toBe(2);
    expect(await run('--queue', QUEUE_URL)).toBe(2);
    expect(await run('--queue', QUEUE_URL, '--function', FUNCTION_ARN, '--max', '0')).toBe(2);
    expect(await run('--queue', QUEUE_URL, '--function', FUNCTION_ARN, '--force')).toBe(2);
    expect(stderr.text).toContain('--queue must be the URL of the dead-letter queue');
    expect(stderr.text).toContain('--function is required');
    expect(stderr.text).toContain('--max must be a whole number of at least 1, got "0"');
    expect(stderr.text).toContain("Unknown option '--force'");
    expect(await run('--help')).toBe(0);
    expect(stdout.text).toMatch(/^Usage: npm run redrive -- --queue QUEUE_URL --function FUNCTION/);
    expect(sqs).toHaveReceivedCommandTimes(ReceiveMessageCommand, 0);
  });

  it('shows control characters from an event as escapes', async () => {
    const { stdout, run } = setup([message('m-1', JSON.stringify({ ...OOM, 'detail-type': 'ECS\u001b[2J Task\nState Change' }))]);
    await run('--queue', QUEUE_URL, '--function', FUNCTION_ARN, '--dry-run');
    expect(stdout.lines()[0]).toContain('ECS\\u001b[2J Task State Change');
  });
});

describe('readDeadLetter', () => {
  it('reads a destination record whose payload is not an EventBridge event (an SNS delivery to the Slack function)', () => {
    const sns = { Records: [{ EventSource: 'aws:sns', Sns: { Message: '{}' } }] };
    expect(readDeadLetter(JSON.stringify(destinationRecord(sns)))).toEqual({
      kind: 'lambda-destination',
      event: sns,
      functionArn: `${FUNCTION_ARN}:$LATEST`,
      condition: 'RetriesExhausted',
      attempts: 3,
      error: 'PublishError: SNS publish failed for topic arn:aws:sns:us-west-2:111122223333:alerts, alert 1',
    });
  });

  it('names why a body cannot be re-driven', () => {
    expect(readDeadLetter(undefined)).toEqual({ kind: 'unreadable', reason: 'the message body is empty' });
    expect(readDeadLetter('[1]')).toEqual({ kind: 'unreadable', reason: 'the message body is not a JSON object' });
    expect(readDeadLetter(JSON.stringify({ 'detail-type': 'ECS Task State Change' }))).toMatchObject({ kind: 'unreadable' });
  });
});

describe('functionName', () => {
  it('reads the function name from a name, a partial ARN or an ARN, without qualifier', () => {
    expect(functionName('task-events')).toBe('task-events');
    expect(functionName('task-events:prod')).toBe('task-events');
    expect(functionName('111122223333:function:task-events')).toBe('task-events');
    expect(functionName('arn:aws:lambda:us-west-2:111122223333:function:task-events:$LATEST')).toBe('task-events');
  });
});
