import type { Alert } from '../alerts/alert.ts';
import { DeliveriesFailedError } from '../errors.ts';
import type { Logger } from '../log.ts';
import type { Destination, RoutingConfig } from '../routing/config.ts';
import { routeAlert } from '../routing/route.ts';
import { parseAlertMessage } from './alert-message.ts';
import type { DeliveryLedger } from './delivery-ledger.ts';
import type { Notifier } from './notifier.ts';
import { snsRecords } from './sns-records.ts';

export interface DeliveryDeps {
  routing: RoutingConfig;
  /** The notifier of a destination; built once per destination and kept by the caller. */
  notifierFor: (destination: Destination) => Notifier;
  /** Which destinations a message already reached; without it a retried message is posted again everywhere. */
  ledger?: DeliveryLedger;
  logger: Logger;
}

/** What an invocation did, by destination name; Lambda ignores it for SNS invocations, tests and logs read it. */
export interface DeliveryOutcome {
  delivered: Record<string, number>;
  /** Deliveries skipped because the ledger says an earlier attempt made them. */
  alreadyDelivered: number;
}

/**
 * Delivers the alert of every SNS record to the destinations its route names (`routeAlert`): Slack, Teams, PagerDuty,
 * Amazon Q. Email destinations are left out: SNS delivers them itself through their subscriptions.
 *
 * Every destination of a message is tried, at once; a destination that fails does not keep the others from their
 * message. When any failed, the invocation fails with a `DeliveriesFailedError` naming each one and why: Lambda retries
 * the (asynchronous) SNS invocation, the ledger skips the destinations already reached, and after the retries the
 * message goes to the function's failure destination with that reason. A record that holds no readable alert fails
 * the invocation the same way. SNS sends one record per invocation.
 *
 * @example await deliverAlerts(event, 'lambda request 1', { routing, notifierFor, ledger, logger });
 */
export async function deliverAlerts(event: unknown, origin: string, deps: DeliveryDeps): Promise<DeliveryOutcome> {
  const outcome: DeliveryOutcome = { delivered: {}, alreadyDelivered: 0 };
  for (const record of snsRecords(event, origin)) {
    const where = `SNS message ${record.messageId}`;
    let alert: Alert;
    try {
      alert = parseAlertMessage(record.message, where);
    } catch (error) {
      deps.logger.error('alert not delivered: unreadable message', { snsMessageId: record.messageId, topicArn: record.topicArn, error });
      throw error;
    }
    const decision = routeAlert(alert, deps.routing);
    const targets = decision.destinations.filter((destination) => destination.type !== 'email');
    const fields = { snsMessageId: record.messageId, alertId: alert.id, key: alert.key, kind: alert.kind, severity: alert.severity, route: decision.route };
    if (targets.length === 0) deps.logger.info('alert routed to no chat or paging destination', { ...fields, email: decision.destinations.map((each) => each.name) });
    const results = await Promise.allSettled(targets.map((destination) => deliverOne(alert, destination, deps)));
    const failed: { destination: string; error: unknown }[] = [];
    results.forEach((result, index) => {
      const destination = targets[index]?.name ?? '?';
      if (result.status === 'rejected') {
        failed.push({ destination, error: result.reason });
        deps.logger.error('alert not delivered', { ...fields, destination, error: result.reason });
      } else if (result.value === 'already') {
        outcome.alreadyDelivered += 1;
      } else {
        outcome.delivered[destination] = (outcome.delivered[destination] ?? 0) + 1;
        deps.logger.info('alert delivered', { ...fields, destination });
      }
    });
    if (failed.length > 0) throw new DeliveriesFailedError(alert.id, failed);
  }
  return outcome;
}

async function deliverOne(alert: Alert, destination: Destination, deps: DeliveryDeps): Promise<'sent' | 'already'> {
  if (deps.ledger !== undefined && (await deps.ledger.delivered(alert.id, destination.name))) return 'already';
  await deps.notifierFor(destination).publish(alert);
  await deps.ledger?.remember(alert.id, destination.name);
  return 'sent';
}
