import { execFile } from 'node:child_process';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { CreateTopicCommand, SNSClient, SubscribeCommand } from '@aws-sdk/client-sns';
import { CreateQueueCommand, GetQueueAttributesCommand, SQSClient } from '@aws-sdk/client-sqs';
import { startFauxqs } from 'fauxqs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { delivered, drain, machineBody } from '../support/sns.ts';

// `npm run replay` sending to real destinations over loopback, as a user testing a setup would: an SNS topic on
// fauxqs read through an SQS queue, and a Slack webhook stood in for by a local server. The command runs as a child
// process (asynchronously: the emulators answer from this process).

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const REGION = 'us-east-1';
const CREDENTIALS = { accessKeyId: 'test', secretAccessKey: 'test' };
const run = promisify(execFile);

type Fauxqs = Awaited<ReturnType<typeof startFauxqs>>;
let fauxqs: Fauxqs;
let sns: SNSClient;
let sqs: SQSClient;
let topicArn: string;
let queueUrl: string;
let slack: Server;
let slackUrl: string;
const slackPosts: string[] = [];

beforeAll(async () => {
  fauxqs = await startFauxqs({ port: 0, logger: false });
  sns = new SNSClient({ endpoint: fauxqs.address, region: REGION, credentials: CREDENTIALS });
  sqs = new SQSClient({ endpoint: fauxqs.address, region: REGION, credentials: CREDENTIALS });
  topicArn = (await sns.send(new CreateTopicCommand({ Name: 'replayed-alerts' }))).TopicArn ?? '';
  queueUrl = (await sqs.send(new CreateQueueCommand({ QueueName: 'replayed-alerts' }))).QueueUrl ?? '';
  const { Attributes } = await sqs.send(new GetQueueAttributesCommand({ QueueUrl: queueUrl, AttributeNames: ['QueueArn'] }));
  await sns.send(new SubscribeCommand({ TopicArn: topicArn, Protocol: 'sqs', Endpoint: Attributes?.QueueArn }));
  slack = createServer((request, response) => {
    let body = '';
    request.on('data', (chunk: Buffer) => (body += chunk.toString('utf8')));
    request.on('end', () => {
      slackPosts.push(body);
      response.writeHead(200).end('ok');
    });
  });
  await new Promise<void>((resolve) => slack.listen(0, '127.0.0.1', resolve));
  slackUrl = `http://127.0.0.1:${(slack.address() as AddressInfo).port}/services/T000/B000/test`;
});

afterAll(async () => {
  sns.destroy();
  sqs.destroy();
  await fauxqs.stop();
  await new Promise((resolve) => slack.close(resolve));
});

describe('npm run replay to real destinations', () => {
  it('publishes the crash loop’s four messages to the SNS topic with --publish, and posts them to Slack', async () => {
    const { stdout } = await run('npm', ['run', '--silent', 'replay', '--', '--publish', '--topic-arn', topicArn, '--slack-webhook', slackUrl, 'events/scenarios/oom-crash-loop.jsonl'], {
      cwd: ROOT,
      env: {
        ...process.env,
        NO_COLOR: '1',
        AWS_ENDPOINT_URL_SNS: fauxqs.address,
        AWS_REGION: REGION,
        AWS_ACCESS_KEY_ID: CREDENTIALS.accessKeyId,
        AWS_SECRET_ACCESS_KEY: CREDENTIALS.secretAccessKey,
      },
      timeout: 60_000,
    });
    expect(stdout).toContain('Sent 4 messages (3 critical, 1 warning, 0 info): 2 new alerts, 1 follow-up, 0 repeats, 1 resolved, 0 deployment notices.');
    const published = (await drain(sqs, queueUrl)).map(delivered);
    expect(published.map((message) => machineBody(message.sqsBody).alert.kind)).toEqual(['new', 'new', 'follow-up', 'resolved']);
    expect(published.map((message) => message.subject)).toEqual([
      '[WARNING] Out of memory - service orders-api (prod)',
      '[CRITICAL] Crash loop - service orders-api (prod): 3 tasks stopped in 10 min',
      '[CRITICAL] Crash loop - service orders-api (prod): 5 more tasks in 5 min',
      '[RESOLVED] Crash loop - service orders-api (prod)',
    ]);
    expect(slackPosts.map((body) => (JSON.parse(body) as { text: string }).text)).toEqual([
      '⚠️ [WARNING] Out of memory – service orders-api (prod)',
      expect.stringMatching(/^\S+ \[CRITICAL\] Crash loop – service orders-api \(prod\): 3 tasks stopped in 10 min$/),
      expect.stringMatching(/^\S+ \[CRITICAL\] Crash loop – service orders-api \(prod\): 5 more tasks in 5 min$/),
      '✅ [RESOLVED] Crash loop – service orders-api (prod)',
    ]);
  });

  it('reports a delivery that fails, goes on, and exits with status 2', async () => {
    const failure = await run('npm', ['run', '--silent', 'replay', '--', '--slack-webhook', 'http://127.0.0.1:9/closed', 'events/scenarios/oom-crash-loop.jsonl'], {
      cwd: ROOT,
      env: { ...process.env, NO_COLOR: '1' },
      timeout: 60_000,
    }).then(
      () => null,
      (error: unknown) => error as { code: number; stderr: string },
    );
    expect(failure?.code).toBe(2);
    expect(failure?.stderr).toMatch(/ERROR {2}events\/scenarios\/oom-crash-loop\.jsonl: events\/scenarios\/oom-crash-loop\.jsonl:1: alerts could not be delivered/);
  });
});
