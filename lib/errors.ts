/** An input that cannot be classified at all: not JSON, not an object, or without `detail-type`/`detail`. */
export class EventParseError extends Error {
  override readonly name = 'EventParseError';
  /** Where the input came from, e.g. `events/task/oom.json` or `stdin:12`. */
  readonly origin: string;
  /** The JSON path of the offending field, e.g. `detail-type`; null when the whole input is unreadable. */
  readonly field: string | null;

  constructor(message: string, origin: string, field: string | null, options?: ErrorOptions) {
    super(`${origin}: ${message}`, options);
    this.origin = origin;
    this.field = field;
  }
}

/** A group write lost to concurrent writers more often than alerting retries it; failing lets Lambda retry the event. */
export class StoreConflictError extends Error {
  override readonly name = 'StoreConflictError';
}

/**
 * A store call failed for a reason other than losing a conditional write: DynamoDB unreachable, throttled beyond the
 * SDK's retries, the table missing, an item unreadable. The cause is the SDK's error; failing lets Lambda retry the event.
 */
export class StoreError extends Error {
  override readonly name = 'StoreError';
}

/** An alert could not be handed to SNS (after the SDK's own retries); failing the invocation keeps the alert from being lost. */
export class PublishError extends Error {
  override readonly name = 'PublishError';
  readonly topicArn: string;
  readonly alertId: string;

  constructor(topicArn: string, alertId: string, options?: ErrorOptions) {
    super(`SNS publish failed for topic ${topicArn}, alert ${alertId}`, options);
    this.topicArn = topicArn;
    this.alertId = alertId;
  }
}

/** Where an alert is delivered over HTTP, as delivery errors name it. */
export type Destination = 'Slack' | 'Teams' | 'PagerDuty';

/**
 * A destination (Slack, Teams, PagerDuty) did not accept an alert. The message and cause never contain the webhook
 * URL or the routing key: they are the credentials. `status` is the last HTTP status (null when no response came
 * back, or nothing was sent); `attempts` counts the requests sent.
 */
export class DeliveryError extends Error {
  override readonly name: string = 'DeliveryError';
  readonly destination: Destination;
  readonly alertId: string;
  readonly status: number | null;
  readonly attempts: number;

  constructor(message: string, details: { destination: Destination; alertId: string; status: number | null; attempts: number }, options?: ErrorOptions) {
    super(message, options);
    this.destination = details.destination;
    this.alertId = details.alertId;
    this.status = details.status;
    this.attempts = details.attempts;
  }
}

/** Slack did not accept an alert: a `DeliveryError` whose destination is Slack, under the name it always had. */
export class SlackPostError extends DeliveryError {
  override readonly name: string = 'SlackPostError';

  constructor(message: string, details: { alertId: string; status: number | null; attempts: number }, options?: ErrorOptions) {
    super(message, { destination: 'Slack', ...details }, options);
  }
}

/** A delivered notification (an SNS record) that does not hold an alert we can read; `origin` names the record. */
export class AlertMessageError extends Error {
  override readonly name = 'AlertMessageError';
  readonly origin: string;

  constructor(message: string, origin: string, options?: ErrorOptions) {
    super(`${origin}: ${message}`, options);
    this.origin = origin;
  }
}

/** A secret (a webhook URL, a PagerDuty routing key) could not be read from Parameter Store or Secrets Manager; names where, never the value. */
export class SecretReadError extends Error {
  override readonly name = 'SecretReadError';
}

/** A required environment variable is missing or malformed; `variable` is its name. */
export class ConfigError extends Error {
  override readonly name = 'ConfigError';
  readonly variable: string;

  constructor(variable: string, problem: string) {
    super(`environment variable ${variable} ${problem}`);
    this.variable = variable;
  }
}

/**
 * A role in another account (the member lookup role) could not be assumed: STS refused (access denied, a trust policy
 * or external id that does not match), throttled beyond the SDK's retries, or did not answer in time. `roleArn`
 * names the role; the cause is the SDK's error, when there is one.
 */
export class AssumeRoleError extends Error {
  override readonly name = 'AssumeRoleError';
  readonly roleArn: string;

  constructor(roleArn: string, problem: string, options?: ErrorOptions) {
    super(`could not assume role ${roleArn}: ${problem}`, options);
    this.roleArn = roleArn;
  }
}

/**
 * An alert reached some of its destinations and not others. `failed` names each destination missed and why; the
 * invocation fails so that Lambda retries it (the ledger skips the destinations already reached) and finally hands the
 * message to the delivery function's failure destination.
 */
export class DeliveriesFailedError extends Error {
  override readonly name = 'DeliveriesFailedError';
  readonly alertId: string;
  readonly failed: readonly { destination: string; reason: string }[];

  constructor(alertId: string, failed: readonly { destination: string; error: unknown }[]) {
    const reasons = failed.map(({ destination, error }) => ({ destination, reason: error instanceof Error ? error.message : String(error) }));
    super(`alert ${alertId} was not delivered to ${reasons.map((each) => `${each.destination} (${each.reason})`).join('; ')}`, { cause: failed.map((each) => each.error) });
    this.alertId = alertId;
    this.failed = reasons;
  }
}
