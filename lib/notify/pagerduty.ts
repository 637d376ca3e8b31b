import type { Alert } from '../alerts/alert.ts';
import { DeliveryError } from '../errors.ts';
import { isChangeEvent, pagerDutyEvent } from '../render/pagerduty.ts';
import { bound } from '../render/text.ts';
import { deliveryFailure, isDeliverableUrl, jsonPoster, type DeliveryOptions } from './http-delivery.ts';
import type { Notifier } from './notifier.ts';

/** The Events API v2 alert endpoint (https://developer.pagerduty.com/docs/events-api-v2/trigger-events/). */
export const PAGERDUTY_EVENTS_URL = 'https://events.pagerduty.com/v2/enqueue';

export interface PagerDutyNotifierOptions extends DeliveryOptions {
  /** The alert endpoint (default PAGERDUTY_EVENTS_URL; an EU account may use `https://events.eu.pagerduty.com/v2/enqueue`). */
  url?: string;
  /** The change endpoint, for deployment notices (default: `url` with `/v2/enqueue` made `/v2/change/enqueue`). */
  changeUrl?: string;
}

/**
 * PagerDuty's first backoff: it rate-limits an integration key to about 120 events a minute and advises waiting
 * before a retry (https://github.com/PagerDuty/developer-docs/blob/main/docs/events-API-v2/05-Rate-Limits.md), so
 * start at two seconds rather than half a second.
 */
const PAGERDUTY_BASE_DELAY_MS = 2_000;

/**
 * Sends alerts to PagerDuty's Events API v2 (`pagerDutyEvent`): a trigger per new alert, follow-up and repeat, a
 * resolve per resolved notice, all with the alert key as `dedup_key`; a change event per deployment notice.
 *
 * PagerDuty answers 202 when it accepts an event. A 429, a 5xx or a network error is retried with backoff; a 400
 * (an invalid event) is not: the error says what PagerDuty answered (`Event object is invalid: …`)
 * (https://developer.pagerduty.com/docs/events-api-v2/overview/#response-codes--retry-logic). A failure is a
 * `DeliveryError` (destination `PagerDuty`) whose message and cause never contain the routing key, which is the
 * credential.
 *
 * The key comes from `routingKey`, asked on every event (it caches; see `routingKeyFrom`).
 *
 * @example
 * const pagerDuty = new PagerDutyNotifier(routingKeyFrom(pagerDutyRoutingKeySource()));
 * await pagerDuty.publish(alert);
 */
export class PagerDutyNotifier implements Notifier {
  private readonly post: ReturnType<typeof jsonPoster>;
  private readonly url: string;
  private readonly changeUrl: string;

  constructor(
    private readonly routingKey: () => Promise<string>,
    options: PagerDutyNotifierOptions = {},
  ) {
    this.post = jsonPoster({ ...options, baseDelayMs: options.baseDelayMs ?? PAGERDUTY_BASE_DELAY_MS });
    this.url = options.url ?? PAGERDUTY_EVENTS_URL;
    this.changeUrl = options.changeUrl ?? this.url.replace(/\/v2\/enqueue$/, '/v2/change/enqueue');
  }

  async publish(alert: Alert): Promise<void> {
    const routingKey = await this.routingKey();
    const event = pagerDutyEvent(alert, routingKey);
    const url = isChangeEvent(event) ? this.changeUrl : this.url;
    const what = isChangeEvent(event) ? 'PagerDuty change event' : `PagerDuty ${event.event_action}`;
    if (!isDeliverableUrl(url)) {
      const details = { destination: 'PagerDuty', alertId: alert.id, status: null, attempts: 0 } as const;
      throw new DeliveryError(`${what} failed for alert ${alert.id}: the Events API URL is not an https URL`, details);
    }
    const result = await this.post({ url, body: JSON.stringify(event), secrets: [{ text: routingKey, as: '<routing key>' }], describe: pagerDutyAnswer });
    if (!result.ok) {
      throw new DeliveryError(
        deliveryFailure(what, alert.id, result),
        { destination: 'PagerDuty', alertId: alert.id, status: result.status, attempts: result.attempts },
        result.cause === undefined ? undefined : { cause: result.cause },
      );
    }
  }
}

/**
 * What PagerDuty said about a refused event: its `message` and `errors`
 * (`{"status":"invalid event","message":"Event object is invalid","errors":["'payload.summary' is missing"]}`),
 * or the first line of whatever else came back.
 */
export function pagerDutyAnswer(body: string): string {
  let parsed: unknown;
  try {
    parsed = JSON.parse(body);
  } catch {
    return bound(body.replace(/\s+/g, ' ').trim(), 300);
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) return bound(body.replace(/\s+/g, ' ').trim(), 300);
  const fields = new Map<string, unknown>(Object.entries(parsed));
  const message = fields.get('message');
  const errors = fields.get('errors');
  const reasons = Array.isArray(errors) ? errors.filter((error): error is string => typeof error === 'string') : [];
  const words = [typeof message === 'string' ? message : '', reasons.join('; ')].filter((part) => part !== '').join(': ');
  return bound(words.replace(/\s+/g, ' ').trim(), 300);
}
