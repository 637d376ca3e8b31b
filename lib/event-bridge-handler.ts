import middy from '@middy/core';
import type { Context } from 'aws-lambda';
import type { Classification } from './classify/verdict.ts';
import { createLogger } from './log.ts';
import { processEvent } from './process-event.ts';

const logger = createLogger();

/** The middy-wrapped entry point shared by every EventBridge-triggered function; each rule has its own function for its own IAM and limits. */
export function eventBridgeHandler() {
  return middy<unknown, Classification, Error, Context>().handler(async (event, context) =>
    processEvent(event, `lambda request ${context.awsRequestId}`, { logger }),
  );
}
