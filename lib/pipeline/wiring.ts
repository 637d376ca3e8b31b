import { historyRetentionDays } from '../history/retention.ts';
import { dynamoDocumentClient } from '../aws/clients/dynamodb.ts';
import { snsClient } from '../aws/clients/sns.ts';
import { alertRepeatHours, alertTableName, alertTopicArn, alertWindowMinutes, ownerTagKey, runbookTagKey, trackingConfig } from '../env.ts';
import { createLogger } from '../log.ts';
import { createMetrics } from '../metrics.ts';
import { SnsNotifier } from '../notify/sns-notifier.ts';
import { DynamoDbStore } from '../store/dynamodb-store.ts';
import type { AlertingDeps } from './decide.ts';
import type { EventHandlerDeps } from './receive.ts';

/**
 * How the deployed functions are put together from the environment: the store on DynamoDB, the notifier on SNS,
 * the settings from the variables serverless.yml sets. The flush function needs no more than this; the event
 * functions add the ECS lookups (wiring-lookups.ts), so the flush bundle holds no ECS or STS client.
 */

/**
 * EMF lines go straight to standard output, not through console.log: with the Lambda JSON log format console.log
 * wraps each line in a log record of its own and CloudWatch no longer finds the metrics document in it
 * (https://docs.aws.amazon.com/lambda/latest/dg/nodejs-logging.html#nodejs-logging-advanced-emf); a line written
 * to stdout reaches the log group as it is, in the text and the JSON log format alike.
 */
export function writeStdout(line: string): void {
  process.stdout.write(`${line}\n`);
}

/** The store, the notifier and the alerting settings, from the environment; no ECS lookups. */
export function awsAlerting(): AlertingDeps {
  return {
    store: new DynamoDbStore(dynamoDocumentClient(), alertTableName()),
    notifier: new SnsNotifier(snsClient(), alertTopicArn()),
    grouping: { windowMinutes: alertWindowMinutes(), repeatHours: alertRepeatHours() },
    tracking: trackingConfig(),
    tagKeys: { runbook: runbookTagKey(), owner: ownerTagKey() },
    history: { retentionDays: historyRetentionDays() },
  };
}

/**
 * The scheduled flush's dependencies: the store and the notifier, nothing to look up, so its bundle holds no ECS or
 * STS call and its role needs neither.
 */
export function awsFlushDeps(): EventHandlerDeps {
  return { logger: createLogger(), alerting: awsAlerting(), metrics: createMetrics(writeStdout) };
}

