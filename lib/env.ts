import { ConfigError } from './errors.ts';

/**
 * Every environment variable the functions read, one function each. A function reads its variable when called and
 * throws a `ConfigError` naming the variable when it is missing or malformed; entry points call them once, at cold
 * start (module scope), so a misconfigured function fails on its first invocation instead of mid-way.
 * Tests stub variables with `vi.stubEnv`.
 */

function required(name: string): string {
  const value = process.env[name];
  if (value === undefined || value.trim() === '') throw new ConfigError(name, 'is not set');
  return value.trim();
}

/** `ALERT_TOPIC_ARN`: the SNS topic every alert is published to. */
export function alertTopicArn(): string {
  const value = required('ALERT_TOPIC_ARN');
  if (!/^arn:aws[a-z-]*:sns:[a-z0-9-]+:\d{12}:[A-Za-z0-9_-]{1,256}(\.fifo)?$/.test(value)) {
    throw new ConfigError('ALERT_TOPIC_ARN', `is not an SNS topic ARN: ${value}`);
  }
  return value;
}

/** Where a credential (a webhook URL, a routing key) is kept, never the credential itself: exactly one of the two stores. */
export type SecretSource = { store: 'ssm'; name: string } | { store: 'secretsmanager'; secretId: string };

/** Where the Slack (or Teams) incoming-webhook URL is kept. */
export type WebhookSource = SecretSource;

function optionalText(name: string): string {
  return (process.env[name] ?? '').trim();
}

function refuseUrl(name: string, value: string): void {
  // The URL itself would sit in plain text in the function's configuration. Its value is not echoed.
  if (/^https?:\/\//i.test(value)) throw new ConfigError(name, 'holds a URL; it must name an SSM parameter or a secret that holds the URL');
}

/**
 * A PagerDuty integration key is 32 letters and digits (https://developer.pagerduty.com/docs/events-api-v2/trigger-events/:
 * "the 32 character Integration Key").
 */
const ROUTING_KEY = /^[A-Za-z0-9]{32}$/;

function refuseRoutingKey(name: string, value: string): void {
  // The key itself would sit in plain text in the function's configuration. Its value is not echoed.
  if (ROUTING_KEY.test(value)) throw new ConfigError(name, 'looks like a routing key itself; it must name an SSM parameter or a secret that holds the key');
}

/**
 * The source named by a pair of variables, `parameter` (an SSM SecureString parameter name, starting with `/`) or
 * `secret` (a Secrets Manager secret name or ARN): exactly one is set. `refuse` throws when a value is the credential
 * itself rather than where it is kept.
 */
function secretSource(parameterVariable: string, secretVariable: string, refuse: (name: string, value: string) => void): SecretSource {
  const parameter = optionalText(parameterVariable);
  const secret = optionalText(secretVariable);
  refuse(parameterVariable, parameter);
  refuse(secretVariable, secret);
  if (parameter !== '' && secret !== '') throw new ConfigError(secretVariable, `is set as well as ${parameterVariable}; set only one`);
  if (parameter !== '') {
    if (!parameter.startsWith('/')) throw new ConfigError(parameterVariable, `must be a parameter name starting with "/", got ${JSON.stringify(parameter)}`);
    return { store: 'ssm', name: parameter };
  }
  if (secret !== '') return { store: 'secretsmanager', secretId: secret };
  throw new ConfigError(parameterVariable, `is not set, nor is ${secretVariable}`);
}

/**
 * `SLACK_WEBHOOK_PARAMETER` (an SSM SecureString parameter name, starting with `/`) or `SLACK_WEBHOOK_SECRET` (a
 * Secrets Manager secret name or ARN): exactly one is set, as the template's parameters of the same names are. The
 * store is explicit, never guessed from the name, so the function reads where its role allows it to.
 */
export function slackWebhookSource(): WebhookSource {
  return secretSource('SLACK_WEBHOOK_PARAMETER', 'SLACK_WEBHOOK_SECRET', refuseUrl);
}

/**
 * `TEAMS_WEBHOOK_PARAMETER` or `TEAMS_WEBHOOK_SECRET`: where the Teams Workflows webhook URL is kept, by the same
 * rules as `slackWebhookSource`.
 */
export function teamsWebhookSource(): WebhookSource {
  return secretSource('TEAMS_WEBHOOK_PARAMETER', 'TEAMS_WEBHOOK_SECRET', refuseUrl);
}

/**
 * `PAGERDUTY_ROUTING_KEY_PARAMETER` or `PAGERDUTY_ROUTING_KEY_SECRET`: where the PagerDuty Events API v2 routing
 * (integration) key is kept, by the same rules as `slackWebhookSource`; a value that looks like the key itself is
 * refused.
 */
export function pagerDutyRoutingKeySource(): SecretSource {
  return secretSource('PAGERDUTY_ROUTING_KEY_PARAMETER', 'PAGERDUTY_ROUTING_KEY_SECRET', refuseRoutingKey);
}

/** `ALERT_TABLE_NAME`: the DynamoDB table of alert groups and seen events. */
export function alertTableName(): string {
  const value = required('ALERT_TABLE_NAME');
  if (!/^[A-Za-z0-9_.-]{3,255}$/.test(value)) throw new ConfigError('ALERT_TABLE_NAME', `is not a DynamoDB table name: ${value}`);
  return value;
}

/** Default number of attempts of every AWS SDK call (the first try and two retries), the SDK's own default. */
export const DEFAULT_AWS_MAX_ATTEMPTS = 3;

/**
 * `AWS_MAX_ATTEMPTS` (optional, 1–10, default 3): attempts per AWS SDK call with the standard retry mode. The SDK
 * reads the same variable; we read it to validate it and to pass one value to every client.
 */
export function awsMaxAttempts(): number {
  const value = process.env.AWS_MAX_ATTEMPTS;
  if (value === undefined || value.trim() === '') return DEFAULT_AWS_MAX_ATTEMPTS;
  const attempts = Number(value);
  if (!Number.isInteger(attempts) || attempts < 1 || attempts > 10) {
    throw new ConfigError('AWS_MAX_ATTEMPTS', `must be a whole number from 1 to 10, got ${JSON.stringify(value)}`);
  }
  return attempts;
}

function positive(name: string, fallback: number): number {
  const value = process.env[name];
  if (value === undefined || value.trim() === '') return fallback;
  const number = Number(value);
  if (!Number.isFinite(number) || number <= 0) throw new ConfigError(name, `must be a positive number, got ${JSON.stringify(value)}`);
  return number;
}

/** `ALERT_WINDOW_MINUTES` (optional, default 5): how long after an alert further events of its group are folded into one follow-up. */
export function alertWindowMinutes(): number {
  return positive('ALERT_WINDOW_MINUTES', 5);
}

/** `ALERT_REPEAT_HOURS` (optional, default 4): a still-firing alert is repeated at most this often. */
export function alertRepeatHours(): number {
  return positive('ALERT_REPEAT_HOURS', 4);
}

/** `CRASH_LOOP_THRESHOLD` (optional, default 3): failed tasks of a service within CRASH_LOOP_MINUTES that make a crash loop. */
export function crashLoopThreshold(): number {
  return positive('CRASH_LOOP_THRESHOLD', 3);
}

/** `CRASH_LOOP_MINUTES` (optional, default 10). */
export function crashLoopMinutes(): number {
  return positive('CRASH_LOOP_MINUTES', 10);
}

/** `DEPLOYMENT_FAILURE_THRESHOLD` (optional, default 3): failed tasks that put a deployment in trouble. */
export function deploymentFailureThreshold(): number {
  return positive('DEPLOYMENT_FAILURE_THRESHOLD', 3);
}

/** `SPOT_OUTAGE_MINUTES` (optional, default 15): how long Fargate Spot may fail to place a service's tasks before it pages. */
export function spotOutageMinutes(): number {
  return positive('SPOT_OUTAGE_MINUTES', 15);
}

/** Every tracking setting from the environment, with its default. */
export function trackingConfig(): {
  deployment: { failureThreshold: number };
  crashLoop: { threshold: number; windowMinutes: number };
  spotOutageMinutes: number;
  notifyDeployments: NotifyDeployments;
} {
  return {
    deployment: { failureThreshold: deploymentFailureThreshold() },
    crashLoop: { threshold: crashLoopThreshold(), windowMinutes: crashLoopMinutes() },
    spotOutageMinutes: spotOutageMinutes(),
    notifyDeployments: notifyDeploymentsFrom(),
  };
}

/** An optional variable's trimmed value; null when unset or blank. */
function optionalValue(name: string): string | null {
  const value = process.env[name]?.trim() ?? '';
  return value === '' ? null : value;
}

/** `MONITOR_ACCOUNT_ID`: the monitor's own AWS account (12 digits; the template sets it from `AWS::AccountId`). */
export function monitorAccountId(): string {
  const value = required('MONITOR_ACCOUNT_ID');
  if (!/^\d{12}$/.test(value)) throw new ConfigError('MONITOR_ACCOUNT_ID', `is not a 12-digit AWS account id: ${JSON.stringify(value)}`);
  return value;
}

/** `AWS_REGION`: the function's own Region (Lambda sets it); events of other Regions are looked up there. */
export function monitorRegion(): string {
  const value = required('AWS_REGION');
  if (!/^[a-z]{2}(?:-[a-z]+)+-\d{1,2}$/.test(value)) throw new ConfigError('AWS_REGION', `is not an AWS Region: ${JSON.stringify(value)}`);
  return value;
}

/**
 * `MEMBER_LOOKUP_ROLE_NAME` (optional): the name of the role the functions assume in member accounts for the ECS
 * lookups of their events (`arn:<partition>:iam::<member account>:role/<name>`). Unset or blank: events of other
 * accounts go out not enriched. An IAM role name: 1 to 64 of letters, digits and `+=,.@_-`.
 */
export function memberLookupRoleName(): string | null {
  const value = optionalValue('MEMBER_LOOKUP_ROLE_NAME');
  if (value !== null && !/^[\w+=,.@-]{1,64}$/.test(value)) throw new ConfigError('MEMBER_LOOKUP_ROLE_NAME', `is not an IAM role name: ${JSON.stringify(value)}`);
  return value;
}

/**
 * `MEMBER_LOOKUP_EXTERNAL_ID` (optional): sent as `ExternalId` when assuming the member lookup role, for trust
 * policies that require `sts:ExternalId`. STS accepts 2 to 1224 of letters, digits and `+=,.@:/_-`.
 */
export function memberLookupExternalId(): string | null {
  const value = optionalValue('MEMBER_LOOKUP_EXTERNAL_ID');
  // Not echoed: an external id is not a secret, but it is no one else's business either.
  if (value !== null && !/^[\w+=,.@:/-]{2,1224}$/.test(value)) throw new ConfigError('MEMBER_LOOKUP_EXTERNAL_ID', 'must be 2 to 1224 of letters, digits and +=,.@:/_-');
  return value;
}

/** What the deployment tracker tells people about: only deployments in trouble, or every deployment's start and end too. */
export type NotifyDeployments = 'failures' | 'all';

/**
 * `NOTIFY_DEPLOYMENTS` (optional, `failures` or `all`, default `failures`; deploy parameter notifyDeployments).
 *
 * @example notifyDeploymentsFrom({ NOTIFY_DEPLOYMENTS: 'all' }) // 'all'
 */
export function notifyDeploymentsFrom(env: Readonly<Record<string, string | undefined>> = process.env): NotifyDeployments {
  const value = env.NOTIFY_DEPLOYMENTS?.trim() ?? '';
  if (value === '') return 'failures';
  if (value === 'failures' || value === 'all') return value;
  throw new ConfigError('NOTIFY_DEPLOYMENTS', `must be "failures" or "all", got ${JSON.stringify(value)}`);
}

/** An ECS tag key: 1 to 128 letters, digits, spaces and `+-=._:/@`, not starting with `aws:` (reserved). */
const TAG_KEY = /^[\p{L}\p{N} +\-=._:/@]{1,128}$/u;

function tagKey(name: string, fallback: string, env: Readonly<Record<string, string | undefined>>): string {
  const value = env[name]?.trim() ?? '';
  if (value === '') return fallback;
  if (!TAG_KEY.test(value) || /^aws:/i.test(value)) throw new ConfigError(name, `is not a tag key (1 to 128 letters, digits, spaces and +-=._:/@): ${JSON.stringify(value)}`);
  return value;
}

/** `RUNBOOK_TAG_KEY` (optional, default `runbook`; deploy parameter runbookTagKey): the tag whose value links the runbook. */
export function runbookTagKey(env: Readonly<Record<string, string | undefined>> = process.env): string {
  return tagKey('RUNBOOK_TAG_KEY', 'runbook', env);
}

/** `OWNER_TAG_KEY` (optional, default `owner`; deploy parameter ownerTagKey): the tag whose value names the owner. */
export function ownerTagKey(env: Readonly<Record<string, string | undefined>> = process.env): string {
  return tagKey('OWNER_TAG_KEY', 'owner', env);
}

/**
 * `AMAZON_Q_TOPIC_ARN` (optional; the template sets it with the deploy parameter amazonQ): the topic Amazon Q
 * Developer in chat applications subscribes to; null when not set.
 */
export function amazonQTopicArn(env: Readonly<Record<string, string | undefined>> = process.env): string | null {
  const value = (env.AMAZON_Q_TOPIC_ARN ?? '').trim();
  if (value === '') return null;
  if (!/^arn:aws[a-z-]*:sns:[a-z0-9-]+:\d{12}:[A-Za-z0-9_-]{1,256}$/.test(value)) throw new ConfigError('AMAZON_Q_TOPIC_ARN', `is not an SNS topic ARN: ${value}`);
  return value;
}

/** `ALERT_TABLE_NAME` when set (the delivery function keeps its ledger and Slack threads there), else null. */
export function optionalAlertTableName(env: Readonly<Record<string, string | undefined>> = process.env): string | null {
  return (env.ALERT_TABLE_NAME ?? '').trim() === '' ? null : alertTableName();
}
