import middy from '@middy/core';
import type { Context } from 'aws-lambda';
import { webhookUrlFrom } from '../aws/secrets.ts';
import { slackWebhookSource } from '../env.ts';
import { AlertMessageError } from '../errors.ts';
import { isRecord } from '../events/schema.ts';
import { createLogger, type Logger } from '../log.ts';
import { parseAlertMessage } from './alert-message.ts';
import type { Notifier } from './notifier.ts';
import { SlackNotifier, type SlackNotifierOptions } from './slack.ts';

/** The parts of an SNS-to-Lambda record we use (https://docs.aws.amazon.com/lambda/latest/dg/with-sns.html). */
export interface SnsRecord {
  messageId: string;
  topicArn: string | null;
  message: string;
}

/**
 * The records of an SNS event (`Records[].Sns`), read minimally: an event without them is not for this function.
 * Lambda receives, as `Sns.Message`, only the `lambda` key of the JSON document we publish: the machine body.
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

/** What an invocation did; Lambda ignores it for asynchronous (SNS) invocations, tests and logs read it. */
export interface SlackDeliveryResult {
  posted: number;
}

export interface SlackDeliveryDeps {
  notifier: Notifier;
  logger: Logger;
}

/**
 * Posts the alert of every SNS record to Slack, in order. A record that holds no readable alert, or a post that fails
 * after its retries, fails the whole invocation: Lambda then retries the (asynchronous) SNS delivery and finally
 * hands it to the function's on-failure destination, so no alert is dropped silently. SNS sends one record per
 * invocation, so a retry never posts an earlier record twice.
 */
export async function deliverToSlack(event: unknown, origin: string, deps: SlackDeliveryDeps): Promise<SlackDeliveryResult> {
  const records = snsRecords(event, origin);
  for (const record of records) {
    const where = `SNS message ${record.messageId}`;
    try {
      const alert = parseAlertMessage(record.message, where);
      await deps.notifier.publish(alert);
      deps.logger.info('alert posted to Slack', { snsMessageId: record.messageId, alertId: alert.id, key: alert.key, severity: alert.severity, kind: alert.kind });
    } catch (error) {
      deps.logger.error('alert not posted to Slack', { snsMessageId: record.messageId, topicArn: record.topicArn, error });
      throw error;
    }
  }
  return { posted: records.length };
}

export interface SlackHandlerOptions extends Pick<SlackNotifierOptions, 'fetch' | 'sleep' | 'maxAttempts'> {
  /** Where the webhook URL comes from (default: the parameter or secret named by SLACK_WEBHOOK_PARAMETER or SLACK_WEBHOOK_SECRET). */
  webhookUrl?: () => Promise<string>;
  logger?: Logger;
}

/**
 * The Lambda subscribed to the alert topic, wrapped in middy. Built once per container: the environment is read and
 * the webhook source created here (the URL itself is read at the first post and kept).
 */
export function slackHandler(options: SlackHandlerOptions = {}) {
  const logger = options.logger ?? createLogger();
  const webhookUrl = options.webhookUrl ?? webhookUrlFrom(slackWebhookSource());
  const notifier = new SlackNotifier(webhookUrl, { fetch: options.fetch, sleep: options.sleep, maxAttempts: options.maxAttempts });
  return middy<unknown, SlackDeliveryResult, Error, Context>().handler(async (event, context) =>
    deliverToSlack(event, `lambda request ${context.awsRequestId}`, { notifier, logger }),
  );
}
