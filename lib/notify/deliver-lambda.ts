import middy from '@middy/core';
import type { Context } from 'aws-lambda';
import { dynamoDocumentClient } from '../aws/clients/dynamodb.ts';
import { snsClient } from '../aws/clients/sns.ts';
import { amazonQTopicArn, optionalAlertTableName } from '../env.ts';
import { createLogger, type Logger } from '../log.ts';
import type { Destination, RoutingConfig } from '../routing/config.ts';
import { routingFromEnvironment } from '../routing/route.ts';
import { DynamoDbStore } from '../store/dynamodb-store.ts';
import { AmazonQNotifier } from './amazon-q.ts';
import { deliverAlerts, type DeliveryOutcome } from './deliver.ts';
import { deliveryLedgerOn, type DeliveryLedger } from './delivery-ledger.ts';
import { destinationNotifiers } from './destination-notifiers.ts';
import type { Notifier } from './notifier.ts';

export interface DeliverHandlerOptions {
  routing?: RoutingConfig;
  notifierFor?: (destination: Destination) => Notifier;
  ledger?: DeliveryLedger | null;
  logger?: Logger;
}

/**
 * The Lambda subscribed to the alert topic that delivers each alert where the routes send it, wrapped in middy. Built
 * once per container: the routes (ALERT_ROUTES, else the Slack webhook and Amazon Q variables) are read and checked
 * here, so a bad configuration fails the first invocation with its reasons; secrets are read at a destination's first
 * alert and kept. With ALERT_TABLE_NAME the deliveries made are remembered, so a retry posts only what it missed.
 */
export function deliverHandler(options: DeliverHandlerOptions = {}) {
  const logger = options.logger ?? createLogger();
  const routing = options.routing ?? routingFromEnvironment();
  const table = optionalAlertTableName();
  const store = table === null ? null : new DynamoDbStore(dynamoDocumentClient(), table);
  const topic = amazonQTopicArn();
  const notifierFor = options.notifierFor ?? destinationNotifiers({ store, amazonQ: topic === null ? null : new AmazonQNotifier(snsClient(), topic) });
  const ledger = options.ledger === undefined ? (store === null ? undefined : deliveryLedgerOn(store)) : (options.ledger ?? undefined);
  return middy<unknown, DeliveryOutcome, Error, Context>().handler(async (event, context) =>
    deliverAlerts(event, `lambda request ${context.awsRequestId}`, { routing, notifierFor, logger, ...(ledger === undefined ? {} : { ledger }) }),
  );
}
