import { AlertMessageError } from '../errors.ts';
import { isRecord } from '../events/schema.ts';

/** The parts of an SNS-to-Lambda record we use (https://docs.aws.amazon.com/lambda/latest/dg/with-sns.html). */
export interface SnsRecord {
  messageId: string;
  topicArn: string | null;
  message: string;
}

/**
 * The records of an SNS event (`Records[].Sns`), read minimally: an event without them is not for this function.
 * Lambda receives, as `Sns.Message`, the `default` body of the JSON document we publish: the machine body.
 */
export function snsRecords(event: unknown, origin: string): SnsRecord[] {
  const records = isRecord(event) ? event.Records : undefined;
  if (!Array.isArray(records)) throw new AlertMessageError('not an SNS event: no Records array', origin);
  return records.map((record: unknown, index): SnsRecord => {
    const sns = isRecord(record) ? record.Sns : undefined;
    const where = `${origin}, record ${index}`;
    if (!isRecord(sns)) throw new AlertMessageError('not an SNS record: no Sns object', where);
    const messageId = typeof sns.MessageId === 'string' ? sns.MessageId : `#${index}`;
    if (typeof sns.Message !== 'string') throw new AlertMessageError('SNS record without a Message string', `SNS message ${messageId}`);
    return { messageId, topicArn: typeof sns.TopicArn === 'string' ? sns.TopicArn : null, message: sns.Message };
  });
}
