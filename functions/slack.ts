import { slackHandler } from '../lib/notify/slack-lambda.ts';

/** Subscribed to the alert topic: posts each alert to Slack through the incoming webhook named by SLACK_WEBHOOK_PARAMETER or SLACK_WEBHOOK_SECRET. */
export const handler = slackHandler();
