import { CreateTopicCommand, NotFoundException, PublishCommand, SNSClient } from '@aws-sdk/client-sns';
import { SQSClient, type Message } from '@aws-sdk/client-sqs';
import { startFauxqs } from 'fauxqs';
import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import type { Alert } from '../../lib/alerts/alert.ts';
import { snsClient } from '../../lib/aws/clients/sns.ts';
import { PublishError } from '../../lib/errors.ts';
import { SNS_MAX_PUBLISH_BYTES } from '../../lib/notify/sns-message.ts';
import { SnsNotifier } from '../../lib/notify/sns-notifier.ts';
import { renderEmail } from '../../lib/render/email.ts';
import { sampleAlert } from '../support/alerts.ts';
import { delivered, drain, machineBody, subscribedQueue } from '../support/sns.ts';

// SNS to SQS over the wire, against fauxqs (an SNS/SQS emulator) in this process, with the real SDK clients.

type Fauxqs = Awaited<ReturnType<typeof startFauxqs>>;

const REGION = 'us-east-1';
const CREDENTIALS = { accessKeyId: 'test', secretAccessKey: 'test' };

let server: Fauxqs;
let sns: SNSClient;
let sqs: SQSClient;
let topicArn: string;
const queues = { all: '', critical: '', noService: '' };

function alertsIn(messages: Message[]): Alert[] {
  return messages.map((message) => machineBody(delivered(message).sqsBody).alert);
}

beforeAll(async () => {
  server = await startFauxqs({ port: 0, logger: false });
  sns = new SNSClient({ endpoint: server.address, region: REGION, credentials: CREDENTIALS });
  sqs = new SQSClient({ endpoint: server.address, region: REGION, credentials: CREDENTIALS });
  const topic = await sns.send(new CreateTopicCommand({ Name: 'ecs-incident-notifier-alerts' }));
  if (topic.TopicArn === undefined) throw new Error('no topic ARN');
  topicArn = topic.TopicArn;
  queues.all = await subscribedQueue(sns, sqs, topicArn, 'all-alerts');
  queues.critical = await subscribedQueue(sns, sqs, topicArn, 'critical-alerts', { severity: ['critical'] });
  queues.noService = await subscribedQueue(sns, sqs, topicArn, 'alerts-without-service', { service: [{ exists: false }] });
});

afterAll(async () => {
  sns.destroy();
  sqs.destroy();
  await server.stop();
});

beforeEach(() => {
  server.reset();
});

describe('SnsNotifier over SNS to SQS', () => {
  it('delivers the alert text, machine body and attributes to a subscribed queue', async () => {
    const alert = sampleAlert();
    await new SnsNotifier(sns, topicArn).publish(alert);

    const [message, ...rest] = await drain(sqs, queues.all);
    expect(rest).toEqual([]);
    const got = delivered(message!);
    expect(got.subject).toBe(renderEmail(alert).subject);
    expect(machineBody(got.sqsBody)).toEqual({ alert, trimmed: false });
    expect(got.document?.email).toBe(renderEmail(alert).text);
    expect(got.document?.default).toBe(got.sqsBody);
    expect(got.document?.email).toContain('Raise the container or task memory');
    expect(got.attributes).toEqual({
      severity: { Type: 'String', Value: 'warning' },
      category: { Type: 'String', Value: 'oom' },
      status: { Type: 'String', Value: 'firing' },
      kind: { Type: 'String', Value: 'new' },
      spot: { Type: 'String', Value: 'false' },
      cluster: { Type: 'String', Value: 'prod' },
      service: { Type: 'String', Value: 'orders-api' },
      account: { Type: 'String', Value: '111122223333' },
      region: { Type: 'String', Value: 'us-west-2' },
    });
  });

  it('keeps a warning alert out of the queue filtered on severity critical', async () => {
    const warning = sampleAlert();
    const critical = sampleAlert({ id: 'c0ffee00c0ffee00c0ffee00c0ffee00', severity: 'critical', category: 'placement_failure_insufficient_resources' });
    const notifier = new SnsNotifier(sns, topicArn);
    await notifier.publish(warning);
    await notifier.publish(critical);

    expect(alertsIn(await drain(sqs, queues.critical)).map((alert) => alert.id)).toEqual([critical.id]);
    expect(alertsIn(await drain(sqs, queues.all)).map((alert) => alert.id)).toEqual([warning.id, critical.id]);
  });

  it('lets a filter policy match alerts without a service through the missing attribute', async () => {
    const instanceAlert = sampleAlert({ id: 'a1a1a1a1a1a1a1a1a1a1a1a1a1a1a1a1', category: 'container_instance_draining' });
    instanceAlert.facts.service = null;
    const notifier = new SnsNotifier(sns, topicArn);
    await notifier.publish(sampleAlert());
    await notifier.publish(instanceAlert);

    const [message, ...rest] = await drain(sqs, queues.noService);
    expect(rest).toEqual([]);
    expect(machineBody(delivered(message!).sqsBody).alert.id).toBe(instanceAlert.id);
    expect(delivered(message!).attributes).not.toHaveProperty('service');
  });

  it('publishes a huge alert trimmed under 256 KiB, where fauxqs refuses a bigger message', async () => {
    await expect(sns.send(new PublishCommand({ TopicArn: topicArn, Message: 'x'.repeat(SNS_MAX_PUBLISH_BYTES + 1) }))).rejects.toThrow(/too long/i);

    const huge = sampleAlert();
    const template = huge.facts.containers[0]!;
    huge.facts.containers = Array.from({ length: 50 }, (_, index) => ({ ...template, name: `c${index}`, reason: `«${'OutOfMemoryError '.repeat(3_000)}»` }));
    await new SnsNotifier(sns, topicArn).publish(huge);

    const [message] = await drain(sqs, queues.all);
    const got = delivered(message!);
    const { alert, trimmed } = machineBody(got.sqsBody);
    expect(trimmed).toBe(true);
    expect(alert.id).toBe(huge.id);
    expect(alert.facts.containers.length).toBeLessThan(50);
    expect(got.document?.email).toContain(huge.id);
  });

  it('fails with a PublishError naming the topic and alert when the topic does not exist', async () => {
    const missing = topicArn.replace(/[^:]+$/, 'no-such-topic');
    const alert = sampleAlert();
    const error: unknown = await new SnsNotifier(sns, missing).publish(alert).catch((rejection: unknown) => rejection);
    expect(error).toBeInstanceOf(PublishError);
    expect(error).toMatchObject({ topicArn: missing, alertId: alert.id, message: `SNS publish failed for topic ${missing}, alert ${alert.id}` });
    expect(error).toHaveProperty('cause', expect.any(NotFoundException));
  });

  it('reaches the emulator through AWS_ENDPOINT_URL_SNS with the shared client, no endpoint in code', async () => {
    vi.stubEnv('AWS_ENDPOINT_URL_SNS', server.address);
    vi.stubEnv('AWS_REGION', REGION);
    vi.stubEnv('AWS_ACCESS_KEY_ID', 'test');
    vi.stubEnv('AWS_SECRET_ACCESS_KEY', 'test');
    const alert = sampleAlert();

    await new SnsNotifier(snsClient(), topicArn).publish(alert);

    expect(alertsIn(await drain(sqs, queues.all))).toEqual([alert]);
  });
});
