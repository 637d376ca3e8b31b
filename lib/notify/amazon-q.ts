import { PublishCommand, type SNSClient } from '@aws-sdk/client-sns';
import type { Alert } from '../alerts/alert.ts';
import { PublishError } from '../errors.ts';
import { renderAmazonQ } from '../render/amazon-q.ts';
import type { Notifier } from './notifier.ts';

/**
 * Publishes alerts to the stack's Amazon Q topic in Amazon Q's custom notification format, for Amazon Q Developer in
 * chat applications (ex-AWS Chatbot), which subscribes to a topic over HTTPS and posts to Slack, Microsoft Teams or
 * Chime.
 *
 * Why a topic of its own: Amazon Q reads the `https` body of what it receives, and the alert topic's `default` body
 * (which HTTPS subscribers get) is our machine body, `{ version, alert }`, which other programs read. One topic per
 * format keeps both intact; the delivery function publishes here only the alerts routed to an `amazon-q` destination,
 * so the event functions never render this format.
 *
 * @example await new AmazonQNotifier(snsClient(), amazonQTopicArn()).publish(alert);
 */
export class AmazonQNotifier implements Notifier {
  constructor(
    private readonly client: Pick<SNSClient, 'send'>,
    private readonly topicArn: string,
  ) {}

  async publish(alert: Alert): Promise<void> {
    try {
      await this.client.send(new PublishCommand({ TopicArn: this.topicArn, Message: JSON.stringify(renderAmazonQ(alert)) }));
    } catch (error) {
      throw new PublishError(this.topicArn, alert.id, { cause: error });
    }
  }
}
