import { PublishCommand, SNSClient, SNSServiceException } from '@aws-sdk/client-sns';
import { mockClient } from 'aws-sdk-client-mock';
import 'aws-sdk-client-mock-vitest/extend';
import { describe, expect, it } from 'vitest';
import { PublishError } from '../../../lib/errors.ts';
import { snsMessage } from '../../../lib/notify/sns-message.ts';
import { SnsNotifier } from '../../../lib/notify/sns-notifier.ts';
import { sampleAlert } from '../../support/alerts.ts';

const TOPIC = 'arn:aws:sns:us-west-2:111122223333:ecs-incident-notifier-alerts';

describe('SnsNotifier', () => {
  it('publishes the alert to the topic as one JSON-structured message with its attributes', async () => {
    const client = new SNSClient({ region: 'us-west-2' });
    const sns = mockClient(client);
    sns.on(PublishCommand).resolves({ MessageId: 'm-1' });
    const alert = sampleAlert();

    await new SnsNotifier(client, TOPIC).publish(alert);

    expect(sns).toHaveReceivedCommandTimes(PublishCommand, 1);
    expect(sns).toHaveReceivedCommandWith(PublishCommand, { TopicArn: TOPIC, ...snsMessage(alert) });
  });

  it('throws a PublishError naming the topic and the alert, with the SDK error as cause, when SNS fails', async () => {
    const client = new SNSClient({ region: 'us-west-2' });
    const throttled = new SNSServiceException({ name: 'ThrottledException', $fault: 'client', $metadata: { httpStatusCode: 400 }, message: 'Rate exceeded' });
    mockClient(client).on(PublishCommand).rejects(throttled);
    const alert = sampleAlert();

    const error: unknown = await new SnsNotifier(client, TOPIC).publish(alert).catch((rejection: unknown) => rejection);

    expect(error).toBeInstanceOf(PublishError);
    expect(error).toMatchObject({ message: `SNS publish failed for topic ${TOPIC}, alert ${alert.id}`, topicArn: TOPIC, alertId: alert.id, cause: throttled });
  });
});
