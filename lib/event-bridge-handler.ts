import middy from '@middy/core';
import type { Context } from 'aws-lambda';
import { alertOnEvent, flushDue, type AlertDecision, type AlertingDeps } from './alert-on-event.ts';
import { ecsInstanceLookup, ecsTaskLookup } from './aws/instances.ts';
import { ecsServiceLookup } from './aws/services.ts';
import { ecsTaskDefinitionLookup } from './aws/task-definitions.ts';
import { dynamoDocumentClient, ecsClient, snsClient } from './aws/clients.ts';
import type { Classification } from './classify/verdict.ts';
import { alertRepeatHours, alertTableName, alertTopicArn, alertWindowMinutes, trackingConfig } from './env.ts';
import { createLogger, type Logger } from './log.ts';
import { SnsNotifier } from './notify/sns-notifier.ts';
import { processEvent } from './process-event.ts';
import { DynamoDbStore } from './store/dynamodb-store.ts';

/** What one invocation returns (and Lambda records): the verdict and what alerting did with it. */
export interface HandledEvent {
  verdict: Classification;
  decision: AlertDecision;
}

export interface EventHandlerDeps {
  logger: Logger;
  alerting: AlertingDeps;
  /** Wall clock for the flush of due follow-ups; Date by default. */
  now?: () => Date;
}

/** The AWS-backed dependencies, from the environment, built once per container at the first invocation. */
export function awsEventHandlerDeps(): EventHandlerDeps {
  return {
    logger: createLogger(),
    alerting: {
      store: new DynamoDbStore(dynamoDocumentClient(), alertTableName()),
      notifier: new SnsNotifier(snsClient(), alertTopicArn()),
      taskDefinitions: ecsTaskDefinitionLookup(ecsClient()),
      lookups: { services: ecsServiceLookup(ecsClient()), instances: ecsInstanceLookup(ecsClient()), tasks: ecsTaskLookup(ecsClient()) },
      grouping: { windowMinutes: alertWindowMinutes(), repeatHours: alertRepeatHours() },
      tracking: trackingConfig(),
    },
  };
}

/**
 * One EventBridge event through the whole pipeline: parse, classify, alert (dedupe, group, publish), with whatever
 * fell due meanwhile sent before and after. Any failure (unreadable event, store or SNS down) fails the invocation, so Lambda
 * retries the event and finally hands it to the failure destination: nothing is dropped silently.
 */
export async function handleEvent(event: unknown, origin: string, deps: EventHandlerDeps): Promise<HandledEvent> {
  const evaluated = processEvent(event, origin, { logger: deps.logger });
  const now = (): string => (deps.now?.() ?? new Date()).toISOString();
  // What fell due since the last invocation goes out first (a follow-up before the recovery that ends its group),
  // and again after, for what a late event's own group has due.
  const due = await flushDue(now(), deps.alerting);
  const decision = await alertOnEvent(evaluated, deps.alerting);
  due.push(...(await flushDue(now(), deps.alerting)));
  deps.logger.info('alerting done', {
    id: evaluated.envelope.id,
    alertKey: decision.alertKey,
    outcome: decision.outcome.outcome,
    ...(decision.outcome.outcome === 'suppressed' ? { suppressedBecause: decision.outcome.suppressedBecause } : {}),
    published: [...due, ...decision.messages].map((message) => ({ id: message.id, kind: message.kind, key: message.key })),
  });
  return { verdict: evaluated.verdict, decision };
}

/**
 * The middy-wrapped entry point shared by every EventBridge-triggered function; each rule has its own function for
 * its own IAM and limits. The dependencies are built at the first invocation and kept for the container's life.
 */
export function eventBridgeHandler(makeDeps: () => EventHandlerDeps = awsEventHandlerDeps) {
  let deps: EventHandlerDeps | undefined;
  return middy<unknown, HandledEvent, Error, Context>().handler(async (event, context) => {
    deps ??= makeDeps();
    return handleEvent(event, `lambda request ${context.awsRequestId}`, deps);
  });
}

/** The scheduled function: sends follow-ups of grouping windows that have closed and outboxes left by failed publishes. */
export function flushHandler(makeDeps: () => EventHandlerDeps = awsEventHandlerDeps) {
  let deps: EventHandlerDeps | undefined;
  return middy<unknown, { published: number }, Error, Context>().handler(async () => {
    deps ??= makeDeps();
    const sent = await flushDue((deps.now?.() ?? new Date()).toISOString(), deps.alerting);
    deps.logger.info('due alerts sent', { published: sent.map((message) => ({ id: message.id, kind: message.kind, key: message.key })) });
    return { published: sent.length };
  });
}
