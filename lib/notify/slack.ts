import type { Alert } from '../alerts/alert.ts';
import { SlackPostError } from '../errors.ts';
import { mentionWanted, withMention } from '../render/slack-mention.ts';
import { renderSlack } from '../render/slack.ts';
import { deliveryFailure, isDeliverableUrl, jsonPoster, webhookSecrets, type DeliveryOptions, type DeliveryResult } from './http-delivery.ts';
import type { Notifier } from './notifier.ts';

export { retryAfterMs } from './http-delivery.ts';

/** Retries and HTTP client of a Slack post (see `DeliveryOptions`). */
export interface SlackNotifierOptions extends DeliveryOptions {
  /** Who to notify for an alert (a routes file's mentions by severity), in Slack syntax; put on new and repeat messages only. */
  mention?: (alert: Alert) => string | null;
}

/**
 * Posts alerts to a Slack incoming webhook as Block Kit messages (`renderSlack`).
 *
 * Retries follow Slack's guidance (https://docs.slack.dev/apis/web-api/rate-limits): a 429 is retried after its
 * `Retry-After` seconds, a 5xx, a timeout or a network error after an exponential backoff with jitter, up to
 * `maxAttempts` tries in all. Any other 4xx (`invalid_payload`, `no_service`, `channel_is_archived`, …) fails at once:
 * sending the same request again cannot fix it (see `jsonPoster`). A failure is a `SlackPostError`, whose message
 * and cause never contain the webhook URL, which is the credential.
 *
 * The URL comes from `webhookUrl`, asked on every post (it caches; see `webhookUrlFrom`).
 *
 * @example
 * const slack = new SlackNotifier(webhookUrlFrom({ store: 'ssm', name: '/ecs-incident-notifier/slack-webhook' }));
 * await slack.publish(alert);
 */
export class SlackNotifier implements Notifier {
  private readonly post: ReturnType<typeof jsonPoster>;

  constructor(
    private readonly webhookUrl: () => Promise<string>,
    options: SlackNotifierOptions = {},
  ) {
    this.post = jsonPoster(options);
    this.mention = options.mention;
  }

  private readonly mention: ((alert: Alert) => string | null) | undefined;

  async publish(alert: Alert): Promise<void> {
    const url = await this.webhookUrl();
    if (!isDeliverableUrl(url)) {
      throw new SlackPostError(`Slack post failed for alert ${alert.id}: the webhook URL is not an https URL`, { alertId: alert.id, status: null, attempts: 0 });
    }
    const mention = this.mention !== undefined && mentionWanted(alert) ? this.mention(alert) : null;
    const result: DeliveryResult = await this.post({ url, body: JSON.stringify(withMention(renderSlack(alert), mention)), secrets: webhookSecrets(url) });
    if (!result.ok) {
      throw new SlackPostError(
        deliveryFailure('Slack post', alert.id, result),
        { alertId: alert.id, status: result.status, attempts: result.attempts },
        result.cause === undefined ? undefined : { cause: result.cause },
      );
    }
  }
}
