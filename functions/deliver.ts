import { deliverHandler } from '../lib/notify/deliver-lambda.ts';

/** Subscribed to the alert topic: delivers each alert to the Slack, Teams, PagerDuty and Amazon Q destinations its route names. */
export const handler = deliverHandler();
