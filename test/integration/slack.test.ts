import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { Context } from 'aws-lambda';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { AlertMessageError, SlackPostError } from '../../lib/errors.ts';
import { createLogger } from '../../lib/log.ts';
import { SlackNotifier } from '../../lib/notify/slack.ts';
import { deliverHandler } from '../../lib/notify/deliver-lambda.ts';
import type { Notifier } from '../../lib/notify/notifier.ts';
import type { Destination, RoutingConfig } from '../../lib/routing/config.ts';
import { defaultRouting } from '../../lib/routing/route.ts';
import { snsMessage } from '../../lib/notify/sns-message.ts';
import { renderSlack } from '../../lib/render/slack.ts';
import { sampleAlert } from '../support/alerts.ts';
import { snsDocument } from '../support/sns.ts';
import { snsEvent } from '../support/sns-event.ts';

// The Slack poster and the Slack Lambda over real HTTP, against a local server standing in for the webhook.

interface Post {
  path: string;
  headers: IncomingHttpHeaders;
  body: string;
}

interface Reply {
  status: number;
  headers?: Record<string, string>;
  body?: string;
}

const posts: Post[] = [];
let replies: Reply[] = [];
let server: Server;
let webhookUrl: string;

function portOf(listening: Server): number {
  const address = listening.address();
  if (address === null || typeof address === 'string') throw new Error('server is not listening on a TCP port');
  return address.port;
}

beforeAll(async () => {
  server = createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      posts.push({ path: request.url ?? '', headers: request.headers, body: Buffer.concat(chunks).toString('utf8') });
      const reply = replies.shift() ?? { status: 200, body: 'ok' };
      response.writeHead(reply.status, { 'content-type': 'text/plain', ...reply.headers });
      response.end(reply.body ?? '');
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  webhookUrl = `http://127.0.0.1:${portOf(server)}/services/T0000/B0000/XXXXsecretXXXX`;
});

afterAll(async () => {
  await new Promise<void>((resolve, reject) => server.close((error) => (error === undefined ? resolve() : reject(error))));
});

beforeEach(() => {
  posts.length = 0;
  replies = [];
});

/** An alert whose texts carry Slack's control syntax, which must arrive escaped. */
function hostileAlert() {
  const alert = sampleAlert();
  alert.title = 'OOM <!channel> & <https://evil.example|click here>';
  alert.facts.containers[0]!.reason = 'OutOfMemoryError <@U024BE7LH> & more';
  return alert;
}

const context: Context = {
  callbackWaitsForEmptyEventLoop: true,
  functionName: 'ecs-incident-notifier-slack',
  functionVersion: '$LATEST',
  invokedFunctionArn: 'arn:aws:lambda:us-west-2:111122223333:function:ecs-incident-notifier-slack',
  memoryLimitInMB: '256',
  awsRequestId: '0c1f6b5e-2f2f-4e39-9d0b-3c9f2b1f8e11',
  logGroupName: '/aws/lambda/ecs-incident-notifier-slack',
  logStreamName: '2025/03/14/[$LATEST]0123456789abcdef',
  getRemainingTimeInMillis: () => 30_000,
  done: () => undefined,
  fail: () => undefined,
  succeed: () => undefined,
};

describe('SlackNotifier over HTTP', () => {
  it('tries again after a 429 with Retry-After and delivers the escaped Slack rendering', async () => {
    replies = [{ status: 429, headers: { 'retry-after': '0' }, body: 'rate_limited' }];
    const alert = hostileAlert();

    await new SlackNotifier(async () => webhookUrl).publish(alert);

    expect(posts).toHaveLength(2);
    expect(posts[1]!.path).toBe('/services/T0000/B0000/XXXXsecretXXXX');
    expect(posts[1]!.headers['content-type']).toBe('application/json');
    expect(JSON.parse(posts[1]!.body)).toEqual(renderSlack(alert));
    expect(posts[1]!.body).toBe(posts[0]!.body);
    expect(posts[1]!.body).toContain('&lt;!channel&gt; &amp; &lt;https://evil.example|click here&gt;');
    expect(posts[1]!.body).toContain('&lt;@U024BE7LH&gt;');
    expect(posts[1]!.body).not.toMatch(/<!channel>|<@U024BE7LH>|<https:\/\/evil/);
  });

  it('gives up with a SlackPostError after three 500s, without the webhook URL in the error', async () => {
    replies = [{ status: 500 }, { status: 500 }, { status: 500, body: 'internal error' }];
    const alert = sampleAlert();

    const error: unknown = await new SlackNotifier(async () => webhookUrl, { baseDelayMs: 5 }).publish(alert).catch((rejection: unknown) => rejection);

    expect(posts).toHaveLength(3);
    expect(error).toBeInstanceOf(SlackPostError);
    expect(error).toMatchObject({ status: 500, attempts: 3, message: `Slack post failed for alert ${alert.id} after 3 attempts: HTTP 500 internal error` });
    expect(JSON.stringify(error) + String(error)).not.toContain('XXXXsecretXXXX');
  });

  it('reports a connection refused as a network error, without the webhook URL', async () => {
    const closed = createServer();
    await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
    const port = portOf(closed);
    await new Promise<void>((resolve) => closed.close(() => resolve()));

    const error: unknown = await new SlackNotifier(async () => `http://127.0.0.1:${port}/services/T0/B0/XXXXsecretXXXX`, { maxAttempts: 2, baseDelayMs: 5 })
      .publish(sampleAlert())
      .catch((rejection: unknown) => rejection);

    expect(error).toBeInstanceOf(SlackPostError);
    expect(String(error)).toContain('after 2 attempts: network error');
    const chain = error instanceof Error && error.cause instanceof Error ? `${error.cause.message} ${String(error.cause.cause)}` : '';
    expect(chain).not.toContain('XXXXsecretXXXX');
  });
});

describe('delivery Lambda handler, default routing (the Slack webhook)', () => {
  const slackOnly = (): { routing: RoutingConfig; notifierFor: (destination: Destination) => Notifier } => ({
    routing: defaultRouting({ store: 'ssm', name: '/ecs/slack' }),
    notifierFor: () => new SlackNotifier(async () => webhookUrl),
  });

  it('posts the alert of an SNS-to-Lambda event, built from what SNS delivers to a Lambda subscriber', async () => {
    const alert = hostileAlert();
    const published = snsMessage(alert);
    // AWS delivers a Lambda subscriber the `lambda` key of a JSON-structured message, else `default`.
    const event = snsEvent(snsDocument(published.Message).lambda!, {
      subject: published.Subject,
      attributes: Object.fromEntries(Object.entries(published.MessageAttributes).map(([name, value]) => [name, value.StringValue])),
    });
    const lines: string[] = [];
    const handler = deliverHandler({ ...slackOnly(), ledger: null, logger: createLogger((line) => lines.push(line)) });

    expect(await handler(event, context)).toEqual({ delivered: { slack: 1 }, alreadyDelivered: 0 });

    expect(posts).toHaveLength(1);
    expect(JSON.parse(posts[0]!.body)).toEqual(renderSlack(alert));
    expect(lines.map((line): unknown => JSON.parse(line))).toEqual([expect.objectContaining({ level: 'info', message: 'alert delivered', alertId: alert.id, destination: 'slack', route: 'default' })]);
  });

  it('fails the invocation, posting nothing, when the SNS message is not an alert', async () => {
    const handler = deliverHandler({ ...slackOnly(), ledger: null, logger: createLogger(() => undefined) });

    await expect(handler(snsEvent('{"hello":"world"}', { messageId: 'm-bad' }), context)).rejects.toThrow(AlertMessageError);
    expect(posts).toEqual([]);
  });
});
