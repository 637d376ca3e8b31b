import type { SNSEvent, SNSEventRecord } from 'aws-lambda';

const TOPIC_ARN = 'arn:aws:sns:us-west-2:111122223333:ecs-incident-notifier-alerts';

/**
 * An SNS-to-Lambda event as AWS delivers it (https://docs.aws.amazon.com/lambda/latest/dg/with-sns.html): one record
 * per invocation, `Sns.Message` holding the protocol's body (for a JSON-structured publish, the `lambda` key),
 * message attributes as `{ Type, Value }`.
 */
export function snsEvent(message: string, options: { messageId?: string; subject?: string; attributes?: Record<string, string> } = {}): SNSEvent {
  const messageId = options.messageId ?? '95df01b4-ee98-5cb9-9903-4c221d41eb5e';
  const record: SNSEventRecord = {
    EventVersion: '1.0',
    EventSubscriptionArn: `${TOPIC_ARN}:2fdd994c-f2b7-4c2f-a2f9-da83b590e0fc`,
    EventSource: 'aws:sns',
    Sns: {
      SignatureVersion: '1',
      Timestamp: '2025-03-14T09:26:53.412Z',
      Signature: 'EXAMPLE',
      SigningCertUrl: 'https://sns.us-west-2.amazonaws.com/SimpleNotificationService-9c6465fa7f48f5cacd23014631ec1136.pem',
      MessageId: messageId,
      Message: message,
      MessageAttributes: Object.fromEntries(Object.entries(options.attributes ?? {}).map(([name, value]) => [name, { Type: 'String', Value: value }])),
      Type: 'Notification',
      UnsubscribeUrl: `https://sns.us-west-2.amazonaws.com/?Action=Unsubscribe&SubscriptionArn=${TOPIC_ARN}:2fdd994c-f2b7-4c2f-a2f9-da83b590e0fc`,
      TopicArn: TOPIC_ARN,
      Subject: options.subject ?? 'TestInvoke',
    },
  };
  return { Records: [record] };
}
