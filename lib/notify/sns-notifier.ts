import { PublishCommand, type SNSClient } from '@aws-sdk/client-sns';
import type { Alert } from '../alerts/alert.ts';
import { PublishError } from '../errors.ts';
import type { Notifier } from './notifier.ts';
import { snsMessage } from './sns-message.ts';

/**
 * Publishes alerts to one SNS topic, which fans them out to email, Slack (through its Lambda) and any queue.
 *
 * Retries are the SDK's own (standard retry mode, configured where the client is built, `lib/aws/clients/`). When
 * they are spent the error propagates as a `PublishError` naming the topic and the alert, so the invocation fails and
 * Lambda retries the event: an alert is never dropped silently.
 *
 * @example
 * const notifier = new SnsNotifier(snsClient(), alertTopicArn());
 * await notifier.publish(alert);
 */
export class SnsNotifier implements Notifier {
  constructor(
    private readonly client: SNSClient,
    private readonly topicArn: string,
  ) {}

  async publish(alert: Alert): Promise<void> {
    const message = snsMessage(alert);
    try {
      await this.client.send(new PublishCommand({ TopicArn: this.topicArn, ...message }));
    } catch (error) {
      throw new PublishError(this.topicArn, alert.id, { cause: error });
    }
  }
}
