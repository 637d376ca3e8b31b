import { createWriteStream, type WriteStream } from 'node:fs';
import { once } from 'node:events';
import { resolve } from 'node:path';
import type { Alert } from '../alerts/alert.ts';
import type { Notifier } from '../notify/notifier.ts';
import { snsMessage } from '../notify/sns-message.ts';

/** Where the replay sends messages besides the terminal: a file, an SNS topic, Slack, Teams, PagerDuty. */
export interface Destinations {
  notifier: Notifier;
  /** One line per destination: what it was sent (`posted 4 messages to Slack (webhook)`); none without destinations. */
  confirmations(): string[];
  close(): Promise<void>;
}

export interface DestinationOptions {
  out: string | undefined;
  publish: boolean;
  topicArn: string | undefined;
  slackWebhook: string | undefined;
  teamsWebhook?: string | undefined;
  /** An Events API v2 endpoint (PagerDuty's, or a local receiver) and the routing key sent to it. */
  pagerDuty?: { url: string; routingKey: string } | undefined;
  /** Slack thread mode: a bot token, the channel, and the Web API's base URL (Slack's, or a local receiver). */
  slackBot?: { token: string; channel: string; apiUrl: string } | undefined;
}

/** A notifier that counts what it sent, for the confirmation line. */
class Counted implements Notifier {
  sent = 0;

  constructor(
    private readonly inner: Notifier,
    private readonly confirmation: (sent: number) => string,
  ) {}

  async publish(alert: Alert): Promise<void> {
    await this.inner.publish(alert);
    this.sent += 1;
  }

  line(): string {
    return this.confirmation(this.sent);
  }
}

const messages = (count: number): string => `${count} message${count === 1 ? '' : 's'}`;

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
  const counted: Counted[] = [];
  const closers: (() => Promise<void>)[] = [];
  const add = (notifier: Notifier, confirmation: (sent: number) => string): void => {
    const each = new Counted(notifier, confirmation);
    counted.push(each);
    notifiers.push(each);
  };
  if (options.out !== undefined) {
    const stream = createWriteStream(resolve(io.cwd, options.out), { encoding: 'utf8' });
    await once(stream, 'open');
    add(new FileNotifier(stream, options.topicArn), (sent) => `wrote ${messages(sent)} to ${options.out ?? ''}`);
    closers.push(async () => {
      stream.end();
      await once(stream, 'finish');
    });
  }
  if (options.publish && options.topicArn !== undefined) {
    const [{ SnsNotifier }, { snsClient }] = await Promise.all([import('../notify/sns-notifier.ts'), import('../aws/clients/sns.ts')]);
    const topicArn = options.topicArn;
    add(new SnsNotifier(snsClient(), topicArn), (sent) => `published ${messages(sent)} to ${topicArn}`);
  }
  if (options.slackWebhook !== undefined) {
    const { SlackNotifier } = await import('../notify/slack.ts');
    const url = options.slackWebhook;
    add(new SlackNotifier(async () => url), (sent) => `posted ${messages(sent)} to Slack (webhook)`);
  }
  if (options.slackBot !== undefined) {
    const [{ SlackThreadNotifier }, { threadStoreOn }, { MemoryStore }] = await Promise.all([import('../notify/slack-thread.ts'), import('../notify/slack-thread-store.ts'), import('../store/memory-store.ts')]);
    const { token, channel, apiUrl } = options.slackBot;
    add(new SlackThreadNotifier({ token: async () => token, channel, apiUrl, threads: threadStoreOn(new MemoryStore()) }), (sent) => `posted ${messages(sent)} to Slack channel ${channel} (threads, ${apiUrl})`);
  }
  if (options.teamsWebhook !== undefined) {
    const { TeamsNotifier } = await import('../notify/teams.ts');
    const url = options.teamsWebhook;
    add(new TeamsNotifier(async () => url), (sent) => `posted ${messages(sent)} to Teams`);
  }
  if (options.pagerDuty !== undefined) {
    const { PagerDutyNotifier } = await import('../notify/pagerduty.ts');
    const { url, routingKey } = options.pagerDuty;
    add(new PagerDutyNotifier(async () => routingKey, { url }), (sent) => `sent ${sent} PagerDuty event${sent === 1 ? '' : 's'} to ${url}`);
  }
  return {
    notifier: new FanOut(notifiers),
    confirmations: () => counted.map((each) => each.line()),
    close: async () => {
      for (const close of closers) await close();
    },
  };
}
