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

/**
 * `SLACK_WEBHOOK_PARAMETER`: where the Slack incoming-webhook URL is kept (never the URL itself). A name starting
 * with `/` or an `arn:…:ssm:` ARN is a Parameter Store parameter; anything else is a Secrets Manager secret name or ARN.
 */
export function slackWebhookParameter(): string {
  const value = required('SLACK_WEBHOOK_PARAMETER');
  if (/^https?:\/\//i.test(value)) {
    // Refuse the URL itself: it would sit in plain text in the function's configuration. Its value is not echoed.
    throw new ConfigError('SLACK_WEBHOOK_PARAMETER', 'holds a URL; it must name an SSM parameter or a secret that holds the URL');
  }
  return value;
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
export function trackingConfig(): { deployment: { failureThreshold: number }; crashLoop: { threshold: number; windowMinutes: number }; spotOutageMinutes: number } {
  return {
    deployment: { failureThreshold: deploymentFailureThreshold() },
    crashLoop: { threshold: crashLoopThreshold(), windowMinutes: crashLoopMinutes() },
    spotOutageMinutes: spotOutageMinutes(),
  };
}
