import { execFile } from 'node:child_process';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { CreateTopicCommand, SNSClient, SubscribeCommand } from '@aws-sdk/client-sns';
import { CreateQueueCommand, GetQueueAttributesCommand, SQSClient } from '@aws-sdk/client-sqs';
import { startFauxqs } from 'fauxqs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SLACK_COLORS } from '../../lib/render/slack.ts';
import { adaptiveCardProblems } from '../support/adaptive-card.ts';
import { startReceiver, type Receiver } from '../support/http-receiver.ts';
import { FakeSlackApi } from '../support/slack-api.ts';
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

describe('npm run replay to Teams, PagerDuty and Slack threads, with routes', () => {
  let teams: Receiver;
  let pagerDuty: Receiver;
  let slackApi: FakeSlackApi;
  let slackApiUrl: string;
  const token = 'xoxb-1111-2222-replaytoken';

  beforeAll(async () => {
    teams = await startReceiver();
    pagerDuty = await startReceiver();
    slackApi = new FakeSlackApi(token);
    slackApiUrl = await slackApi.listen();
  });

  afterAll(async () => {
    await teams.close();
    await pagerDuty.close();
    await slackApi.close();
  });

  it('sends the crash loop to each, one thread in Slack per alert, shows each message’s route, and confirms per destination', async () => {
    const { stdout, stderr } = await run(
      'npm',
      [
        'run', '--silent', 'replay', '--',
        '--teams-webhook', `${teams.origin}/workflows/ecs`,
        '--pagerduty-url', `${pagerDuty.origin}/v2/enqueue`,
        '--slack-token', token, '--slack-channel', 'C0ALERTS01', '--slack-api-url', slackApiUrl,
        '--routes', 'infra/routes.example.yml',
        'events/scenarios/oom-crash-loop.jsonl',
      ],
      { cwd: ROOT, env: { ...process.env, NO_COLOR: '1' }, timeout: 60_000 },
    );
    expect(stderr.trim().split('\n')).toEqual([
      'posted 4 messages to Slack channel C0ALERTS01 (threads, ' + slackApiUrl + ')',
      'posted 4 messages to Teams',
      `sent 4 PagerDuty events to ${pagerDuty.origin}/v2/enqueue`,
    ]);
    // Each message says where the deployed routes would send it (orders-api in prod: no payments route takes it).
    expect(stdout.match(/↳ route "default": slack-ops/g)).toHaveLength(4);

    const cards = teams.requests.map((request) => JSON.parse(request.body) as { type: string; attachments: { contentType: string; content: Record<string, unknown> }[] });
    expect(cards.map((card) => [card.type, card.attachments[0]?.contentType])).toEqual(Array(4).fill(['message', 'application/vnd.microsoft.card.adaptive']));
    for (const card of cards) expect(adaptiveCardProblems(card.attachments[0]!.content)).toEqual([]);

    const events = pagerDuty.requests.map((request) => JSON.parse(request.body) as { event_action: string; dedup_key: string; payload?: { severity: string } });
    expect(events.map((event) => [event.event_action, event.payload?.severity ?? null])).toEqual([
      ['trigger', 'warning'],
      ['trigger', 'critical'],
      ['trigger', 'critical'],
      // A resolve event carries only the key (https://developer.pagerduty.com/docs/events-api-v2/resolve-events/).
      ['resolve', null],
    ]);
    expect(new Set(events.slice(1).map((event) => event.dedup_key)).size).toBe(1);

    // Two alerts, two threads: the crash loop's follow-up and resolved notice reply in its thread.
    const posts = slackApi.callsTo('chat.postMessage').map((call) => call.body);
    expect(posts.map((post) => post.thread_ts === undefined)).toEqual([true, true, false, false]);
    expect(posts[2]?.thread_ts).toBe(posts[3]?.thread_ts);
    // The crash loop's root, edited with each reply, ends resolved: green, and its fallback text says so.
    const updates = slackApi.callsTo('chat.update').map((call) => call.body as { ts?: string; text?: string; attachments?: { color?: string }[] });
    const crashLoopRoot = slackApi.callsTo('chat.postMessage')[1];
    const lastUpdate = updates.at(-1);
    expect(updates.length).toBeGreaterThanOrEqual(2);
    expect(lastUpdate?.text).toMatch(/RESOLVED/);
    expect(lastUpdate?.attachments?.[0]?.color).toBe(SLACK_COLORS.resolved);
    expect(posts[2]?.thread_ts).toBeDefined();
    expect(crashLoopRoot).toBeDefined();
  });

  it('refuses a routes file with a problem, naming its line, before replaying anything', async () => {
    const failure = await run('npm', ['run', '--silent', 'replay', '--', '--routes', 'package.json', 'events/scenarios/oom-crash-loop.jsonl'], {
      cwd: ROOT,
      env: { ...process.env, NO_COLOR: '1' },
      timeout: 60_000,
    }).then(
      () => null,
      (error: unknown) => error as { code: number; stdout: string; stderr: string },
    );
    expect(failure?.code).toBe(2);
    expect(failure?.stdout).toBe('');
    expect(failure?.stderr).toMatch(/^package\.json:\d+:\d+: /m);
  });

  it('explains what a destination option is missing', async () => {
    for (const [args, message] of [
      [['--slack-token', token], '--slack-token needs --slack-channel ID'],
      [['--slack-channel', 'C1'], '--slack-channel and --slack-api-url go with --slack-token'],
      [['--pagerduty-url', 'https://events.pagerduty.com/v2/enqueue'], '--pagerduty-url needs a routing key: --pagerduty-key KEY or PAGERDUTY_ROUTING_KEY'],
      [['--teams-webhook', 'teams.example.com'], '--teams-webhook must be an http(s) URL'],
    ] as const) {
      const failure = await run('npm', ['run', '--silent', 'replay', '--', ...args], { cwd: ROOT, env: { ...process.env, NO_COLOR: '1', PAGERDUTY_ROUTING_KEY: '' }, timeout: 60_000 }).then(
        () => null,
        (error: unknown) => error as { code: number; stderr: string },
      );
      expect({ args, code: failure?.code, first: failure?.stderr.split('\n')[0] }).toEqual({ args, code: 2, first: message });
    }
  });
});
