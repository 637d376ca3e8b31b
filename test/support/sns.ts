import type { Alert } from '../../lib/alerts/alert.ts';
import { isRecord } from '../../lib/events/schema.ts';
import { parseAlertMessage } from '../../lib/notify/alert-message.ts';
import { SubscribeCommand, type SNSClient } from '@aws-sdk/client-sns';
import { CreateQueueCommand, GetQueueAttributesCommand, ReceiveMessageCommand, type Message, type SQSClient } from '@aws-sdk/client-sqs';

/** Creates an SQS queue subscribed to `topicArn` (with a filter policy on message attributes when given); its URL. */
export async function subscribedQueue(sns: SNSClient, sqs: SQSClient, topicArn: string, name: string, filterPolicy?: object): Promise<string> {
  const { QueueUrl } = await sqs.send(new CreateQueueCommand({ QueueName: name }));
  if (QueueUrl === undefined) throw new Error(`no URL for queue ${name}`);
  const { Attributes } = await sqs.send(new GetQueueAttributesCommand({ QueueUrl, AttributeNames: ['QueueArn'] }));
  await sns.send(
    new SubscribeCommand({ TopicArn: topicArn, Protocol: 'sqs', Endpoint: Attributes?.QueueArn, Attributes: filterPolicy === undefined ? {} : { FilterPolicy: JSON.stringify(filterPolicy) } }),
  );
  return QueueUrl;
}

/** The protocols whose subscribers get the `default` body when the document has no key of their own. */
const SNS_PROTOCOLS = ['sqs', 'lambda', 'https', 'http', 'email', 'email-json', 'sms', 'application', 'firehose'] as const;

/**
 * What each protocol's subscriber receives from a `MessageStructure: 'json'` publish, as SNS decides it: the
 * protocol's own key, else `default` (https://docs.aws.amazon.com/sns/latest/api/API_Publish.html).
 */
export function snsDocument(message: string): Record<string, string> {
  const document = snsKeys(message);
  const resolved: Record<string, string> = { ...document };
  for (const protocol of SNS_PROTOCOLS) {
    const body = document[protocol] ?? document.default;
    if (body !== undefined) resolved[protocol] = body;
  }
  return resolved;
}

/** The JSON document of a `MessageStructure: 'json'` publish as written: one string per key. */
export function snsKeys(message: string): Record<string, string> {
  const value: unknown = JSON.parse(message);
  if (!isRecord(value)) throw new Error('the SNS message is not a JSON object');
  const document: Record<string, string> = {};
  for (const [key, body] of Object.entries(value)) {
    if (typeof body !== 'string') throw new Error(`key ${key} of the SNS message is not a string`);
    document[key] = body;
  }
  return document;
}

/** A machine body `{ version: 1, alert, trimmed? }`, read with the same parser the Slack function uses. */
export function machineBody(body: string | undefined): { alert: Alert; trimmed: boolean } {
  if (body === undefined) throw new Error('no machine body');
  const value: unknown = JSON.parse(body);
  return { alert: parseAlertMessage(body, 'test'), trimmed: isRecord(value) && value.trimmed === true };
}

/** Everything waiting in a queue (fauxqs delivers during Publish, so no long poll is needed). */
export async function drain(sqs: SQSClient, queueUrl: string): Promise<Message[]> {
  const messages: Message[] = [];
  for (;;) {
    const { Messages = [] } = await sqs.send(new ReceiveMessageCommand({ QueueUrl: queueUrl, MaxNumberOfMessages: 10, WaitTimeSeconds: 0 }));
    if (Messages.length === 0) return messages;
    messages.push(...Messages);
  }
}

export interface Delivered {
  subject: unknown;
  attributes: Record<string, unknown>;
  /** The body an SQS subscriber gets for the `sqs` key. */
  sqsBody: string;
  /** The whole document, which only fauxqs delivers. */
  document: Record<string, string> | null;
}

/**
 * Reads one SQS message: the SNS envelope (`Type`, `Subject`, `Message`, `MessageAttributes` as `{Type, Value}`).
 *
 * fauxqs quirk, on purpose: for `MessageStructure: 'json'` AWS delivers to an SQS subscriber only the value of the
 * `sqs` key (else of `default`) as `Message`, but fauxqs 1.9.2 ignores MessageStructure and delivers the whole JSON
 * document. So we parse the document and take what SQS would get; against AWS, `Message` would already be that body.
 */
export function delivered(message: Message): Delivered {
  const envelope: unknown = JSON.parse(message.Body ?? '');
  if (!isRecord(envelope) || envelope.Type !== 'Notification' || typeof envelope.Message !== 'string') throw new Error('not an SNS notification');
  const attributes = isRecord(envelope.MessageAttributes) ? envelope.MessageAttributes : {};
  const inner: unknown = JSON.parse(envelope.Message);
  if (isRecord(inner) && typeof inner.default === 'string') {
    const document = snsDocument(envelope.Message);
    return { subject: envelope.Subject, attributes, sqsBody: document.sqs ?? inner.default, document };
  }
  return { subject: envelope.Subject, attributes, sqsBody: envelope.Message, document: null };
}

