import { createWriteStream, type WriteStream } from 'node:fs';
import { once } from 'node:events';
import { resolve } from 'node:path';
import type { Alert } from '../alerts/alert.ts';
import type { Notifier } from '../notify/notifier.ts';
import { snsMessage } from '../notify/sns-message.ts';

/** Where the replay sends messages besides the terminal: a file, an SNS topic, a Slack webhook. */
export interface Destinations {
  notifier: Notifier;
  close(): Promise<void>;
}

export interface DestinationOptions {
  out: string | undefined;
  publish: boolean;
  topicArn: string | undefined;
  slackWebhook: string | undefined;
}

/** Every message to every destination in turn; the first failure stops the message and is reported. */
class FanOut implements Notifier {
  constructor(private readonly notifiers: readonly Notifier[]) {}

  async publish(alert: Alert): Promise<void> {
    for (const notifier of this.notifiers) await notifier.publish(alert);
  }
}

/** Writes each message as the SNS Publish request it would be (topic, subject, message, attributes), one per line. */
class FileNotifier implements Notifier {
  constructor(
    private readonly stream: WriteStream,
    private readonly topicArn: string | undefined,
  ) {}

  async publish(alert: Alert): Promise<void> {
    const line = `${JSON.stringify({ TopicArn: this.topicArn ?? null, ...snsMessage(alert) })}\n`;
    if (!this.stream.write(line)) await once(this.stream, 'drain');
  }
}

/**
 * Opens what the options ask for. The AWS SDK is loaded only for --publish, so a plain replay starts fast and
 * needs no credentials.
 */
export async function openDestinations(options: DestinationOptions, io: { cwd: string }): Promise<Destinations> {
  const notifiers: Notifier[] = [];
  const closers: (() => Promise<void>)[] = [];
  if (options.out !== undefined) {
    const stream = createWriteStream(resolve(io.cwd, options.out), { encoding: 'utf8' });
    await once(stream, 'open');
    notifiers.push(new FileNotifier(stream, options.topicArn));
    closers.push(async () => {
      stream.end();
      await once(stream, 'finish');
    });
  }
  if (options.publish && options.topicArn !== undefined) {
    const [{ SnsNotifier }, { snsClient }] = await Promise.all([import('../notify/sns-notifier.ts'), import('../aws/clients/sns.ts')]);
    notifiers.push(new SnsNotifier(snsClient(), options.topicArn));
  }
  if (options.slackWebhook !== undefined) {
    const { SlackNotifier } = await import('../notify/slack.ts');
    const url = options.slackWebhook;
    notifiers.push(new SlackNotifier(async () => url));
  }
  return {
    notifier: new FanOut(notifiers),
    close: async () => {
      for (const close of closers) await close();
    },
  };
}
