import type { Alert } from '../alerts/alert.ts';
import { DeliveryError } from '../errors.ts';
import { renderTeams } from '../render/teams.ts';
import { deliveryFailure, isDeliverableUrl, jsonPoster, webhookSecrets, type DeliveryOptions } from './http-delivery.ts';
import type { Notifier } from './notifier.ts';

/** Retries and HTTP client of a Teams post (see `DeliveryOptions`). */
export type TeamsNotifierOptions = DeliveryOptions;

/**
 * Posts alerts to a Microsoft Teams channel through a Workflows webhook ("Post to a channel when a webhook request is
 * received"), as Adaptive Cards (`renderTeams`). The flow answers 202 Accepted; any 2xx is success.
 *
 * Retries as `jsonPoster` does: Teams throttles a webhook that gets more than four requests a second with 429 and
 * asks for exponential backoff (https://learn.microsoft.com/en-us/microsoftteams/platform/webhooks-and-connectors/how-to/add-incoming-webhook);
 * a 5xx, a timeout or a network error is retried too, any other 4xx fails at once. A failure is a `DeliveryError`
 * (destination `Teams`) whose message and cause never contain the webhook URL: its `sig` query parameter is the
 * credential.
 *
 * The URL comes from `webhookUrl`, asked on every post (it caches; see `webhookUrlFrom`).
 *
 * @example
 * const teams = new TeamsNotifier(webhookUrlFrom(teamsWebhookSource(), undefined, 'Teams'));
 * await teams.publish(alert);
 */
export class TeamsNotifier implements Notifier {
  private readonly post: ReturnType<typeof jsonPoster>;

  constructor(
    private readonly webhookUrl: () => Promise<string>,
    options: TeamsNotifierOptions = {},
  ) {
    this.post = jsonPoster(options);
  }

  async publish(alert: Alert): Promise<void> {
    const url = await this.webhookUrl();
    if (!isDeliverableUrl(url)) {
      const details = { destination: 'Teams', alertId: alert.id, status: null, attempts: 0 } as const;
      throw new DeliveryError(`Teams post failed for alert ${alert.id}: the webhook URL is not an https URL`, details);
    }
    const result = await this.post({ url, body: JSON.stringify(renderTeams(alert)), secrets: webhookSecrets(url) });
    if (!result.ok) {
      throw new DeliveryError(
        deliveryFailure('Teams post', alert.id, result),
        { destination: 'Teams', alertId: alert.id, status: result.status, attempts: result.attempts },
        result.cause === undefined ? undefined : { cause: result.cause },
      );
    }
  }
}
