import type { Alert } from '../alerts/alert.ts';
import { BOT_TOKEN_SHAPE, routingKeyFrom, secretFrom, webhookUrlFrom } from '../aws/secrets.ts';
import { ConfigError } from '../errors.ts';
import { toWebhookSource, type Destination } from '../routing/config.ts';
import { mentionFor } from '../routing/route.ts';
import type { AlertStore } from '../store/store.ts';
import type { Notifier } from './notifier.ts';
import { PagerDutyNotifier } from './pagerduty.ts';
import { SlackThreadNotifier } from './slack-thread.ts';
import { threadStoreOn } from './slack-thread-store.ts';
import { SlackNotifier } from './slack.ts';
import { TeamsNotifier } from './teams.ts';

export interface DestinationNotifierOptions {
  /** Keeps Slack threads (bot-token destinations); without it such a destination fails with a ConfigError. */
  store: AlertStore | null;
  /** The notifier of the stack's Amazon Q topic; null when the stack has none (deploy parameter amazonQ). */
  amazonQ: Notifier | null;
}

/** Slack threads: a second message waits this long for the first one's root before Lambda retries it (within 60 s). */
const THREAD_CLAIM_WAIT_MS = 15_000;

/**
 * The notifier of each destination of a routes file, built at its first alert and kept for the container's life, so
 * a secret is read once: Slack (webhook, or bot token with threads), Teams, PagerDuty, Amazon Q. Email has none: SNS
 * delivers it.
 *
 * @example const notifierFor = destinationNotifiers({ store, amazonQ }); await notifierFor(destination).publish(alert);
 */
export function destinationNotifiers(options: DestinationNotifierOptions): (destination: Destination) => Notifier {
  const built = new Map<string, Notifier>();
  return (destination) => {
    let notifier = built.get(destination.name);
    if (notifier === undefined) {
      notifier = notifierOf(destination, options);
      built.set(destination.name, notifier);
    }
    return notifier;
  };
}

function notifierOf(destination: Destination, options: DestinationNotifierOptions): Notifier {
  const mention = (alert: Alert): string | null => mentionFor(destination, alert);
  switch (destination.type) {
    case 'slack': {
      if ('webhook' in destination) return new SlackNotifier(webhookUrlFrom(toWebhookSource(destination.webhook)), { mention });
      if (options.store === null) throw new ConfigError('ALERT_TABLE_NAME', `is not set: Slack destination "${destination.name}" posts in threads, kept in the alert table`);
      return new SlackThreadNotifier({ token: secretFrom(toWebhookSource(destination.token), BOT_TOKEN_SHAPE), channel: destination.channel, threads: threadStoreOn(options.store), mention, claimWaitMs: THREAD_CLAIM_WAIT_MS });
    }
    case 'teams':
      return new TeamsNotifier(webhookUrlFrom(toWebhookSource(destination.webhook), undefined, 'Teams'));
    case 'pagerduty':
      return new PagerDutyNotifier(routingKeyFrom(toWebhookSource(destination.routingKey)));
    case 'amazon-q':
      if (options.amazonQ === null) throw new ConfigError('AMAZON_Q_TOPIC_ARN', `is not set: destination "${destination.name}" needs the stack's Amazon Q topic (deploy with --param amazonQ=true)`);
      return options.amazonQ;
    case 'email':
      throw new Error(`destination "${destination.name}" is email, which SNS delivers: no notifier`);
  }
}
