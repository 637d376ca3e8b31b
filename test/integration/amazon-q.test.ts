import { CreateTopicCommand, SNSClient } from '@aws-sdk/client-sns';
import { SQSClient } from '@aws-sdk/client-sqs';
import type { Context } from 'aws-lambda';
import { startFauxqs } from 'fauxqs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createLogger } from '../../lib/log.ts';
import { AmazonQNotifier } from '../../lib/notify/amazon-q.ts';
import { deliverHandler } from '../../lib/notify/deliver-lambda.ts';
import { destinationNotifiers } from '../../lib/notify/destination-notifiers.ts';
import { snsMessage } from '../../lib/notify/sns-message.ts';
import { renderAmazonQ } from '../../lib/render/amazon-q.ts';
import { defaultRouting } from '../../lib/routing/route.ts';
import { sampleAlert } from '../support/alerts.ts';
import { amazonQProblems } from '../support/amazon-q-schema.ts';
import { snsDocument, subscribedQueue, drain } from '../support/sns.ts';
import { snsEvent } from '../support/sns-event.ts';

// The Amazon Q path as deployed: the delivery function, given an alert from the alert topic, publishes Amazon Q's
// custom notification to a topic of its own (fauxqs), where Amazon Q would read it; a queue stands in for Amazon Q.

const REGION = 'us-east-1';
const CREDENTIALS = { accessKeyId: 'test', secretAccessKey: 'test' };
const context = { awsRequestId: 'a11ce000-0000-4000-8000-000000000001' } as Context;

type Fauxqs = Awaited<ReturnType<typeof startFauxqs>>;
let server: Fauxqs;
let sns: SNSClient;
let sqs: SQSClient;
let topicArn: string;
let queueUrl: string;

beforeAll(async () => {
  server = await startFauxqs({ port: 0, logger: false });
  sns = new SNSClient({ endpoint: server.address, region: REGION, credentials: CREDENTIALS });
  sqs = new SQSClient({ endpoint: server.address, region: REGION, credentials: CREDENTIALS });
  topicArn = (await sns.send(new CreateTopicCommand({ Name: 'ecs-incident-notifier-dev-amazon-q' }))).TopicArn ?? '';
  queueUrl = await subscribedQueue(sns, sqs, topicArn, 'amazon-q-stand-in');
});

afterAll(async () => {
  sns.destroy();
  sqs.destroy();
  await server.stop();
});

describe('Amazon Q delivery', () => {
  it('publishes each alert routed to Amazon Q to its own topic, in the custom notification format, threaded by alert key', async () => {
    const handler = deliverHandler({
      routing: defaultRouting(null, true),
      notifierFor: destinationNotifiers({ store: null, amazonQ: new AmazonQNotifier(sns, topicArn) }),
      ledger: null,
      logger: createLogger(() => undefined),
    });
    const alert = sampleAlert();
    const resolved = { ...alert, id: `${alert.id}-resolved`, kind: 'resolved' as const, status: 'resolved' as const };
    for (const each of [alert, resolved]) await handler(snsEvent(snsDocument(snsMessage(each).Message).lambda!), context);

    const arrived = (await drain(sqs, queueUrl)).map((message) => JSON.parse(JSON.parse(message.Body ?? '{}').Message as string) as unknown);
    expect(arrived).toEqual([renderAmazonQ(alert), renderAmazonQ(resolved)]);
    for (const notification of arrived) expect(amazonQProblems(notification)).toEqual([]);
    expect(arrived.map((notification) => (notification as { metadata: { threadId: string } }).metadata.threadId)).toEqual([alert.key, alert.key]);
  });

  it('holds a schema that refuses what Amazon Q does not read', () => {
    const notification = renderAmazonQ(sampleAlert());
    expect(amazonQProblems({ ...notification, version: '2.0' })).toEqual(['/version must be equal to constant']);
    expect(amazonQProblems({ ...notification, content: { ...notification.content, textType: 'markdown' } })).toEqual(['/content/textType must be equal to constant']);
    expect(amazonQProblems({ ...notification, severity: 'critical' })).toEqual(['/ must NOT have additional properties']);
  });
});
