import { describe, expect, it, vi } from 'vitest';
import { alertTableName, alertTopicArn, awsMaxAttempts, slackWebhookParameter, trackingConfig } from '../../lib/env.ts';
import { ConfigError } from '../../lib/errors.ts';

function configError(read: () => unknown): ConfigError {
  try {
    read();
  } catch (error) {
    if (error instanceof ConfigError) return error;
    throw error;
  }
  throw new Error('expected a ConfigError');
}

describe('env', () => {
  it('reads each variable when it is set', () => {
    vi.stubEnv('ALERT_TOPIC_ARN', 'arn:aws:sns:us-west-2:111122223333:ecs-alerts');
    vi.stubEnv('SLACK_WEBHOOK_PARAMETER', '/ecs-incident-notifier/slack-webhook');
    vi.stubEnv('ALERT_TABLE_NAME', 'ecs-incident-notifier-alerts');
    vi.stubEnv('AWS_MAX_ATTEMPTS', '5');
    expect([alertTopicArn(), slackWebhookParameter(), alertTableName(), awsMaxAttempts()]).toEqual([
      'arn:aws:sns:us-west-2:111122223333:ecs-alerts',
      '/ecs-incident-notifier/slack-webhook',
      'ecs-incident-notifier-alerts',
      5,
    ]);
  });

  it('fails naming the variable when a required one is missing or blank', () => {
    vi.stubEnv('ALERT_TOPIC_ARN', '');
    vi.stubEnv('SLACK_WEBHOOK_PARAMETER', undefined);
    expect(configError(alertTopicArn)).toMatchObject({ variable: 'ALERT_TOPIC_ARN', message: 'environment variable ALERT_TOPIC_ARN is not set' });
    expect(configError(slackWebhookParameter).variable).toBe('SLACK_WEBHOOK_PARAMETER');
  });

  it('rejects malformed values', () => {
    vi.stubEnv('ALERT_TOPIC_ARN', 'ecs-alerts');
    vi.stubEnv('SLACK_WEBHOOK_PARAMETER', 'https://hooks.slack.example/services/T0000/B0000/XyZzYhidden');
    vi.stubEnv('ALERT_TABLE_NAME', 'a b');
    vi.stubEnv('AWS_MAX_ATTEMPTS', '0');
    expect(configError(alertTopicArn).message).toBe('environment variable ALERT_TOPIC_ARN is not an SNS topic ARN: ecs-alerts');
    const webhook = configError(slackWebhookParameter);
    expect(webhook.message).toContain('holds a URL');
    expect(webhook.message).not.toContain('XyZzYhidden');
    expect(configError(alertTableName).variable).toBe('ALERT_TABLE_NAME');
    expect(configError(awsMaxAttempts).message).toBe('environment variable AWS_MAX_ATTEMPTS must be a whole number from 1 to 10, got "0"');
  });

  it('defaults AWS_MAX_ATTEMPTS to the SDK default of 3', () => {
    vi.stubEnv('AWS_MAX_ATTEMPTS', undefined);
    expect(awsMaxAttempts()).toBe(3);
  });
});

describe('trackingConfig', () => {
  it('gives the documented defaults, and reads each setting from its variable', () => {
    expect(trackingConfig()).toEqual({ deployment: { failureThreshold: 3 }, crashLoop: { threshold: 3, windowMinutes: 10 }, spotOutageMinutes: 15 });
    vi.stubEnv('CRASH_LOOP_THRESHOLD', '5');
    vi.stubEnv('SPOT_OUTAGE_MINUTES', '30');
    expect(trackingConfig()).toMatchObject({ crashLoop: { threshold: 5, windowMinutes: 10 }, spotOutageMinutes: 30 });
  });

  it('names the variable of a setting that is not a positive number', () => {
    vi.stubEnv('CRASH_LOOP_MINUTES', 'ten');
    expect(() => trackingConfig()).toThrow('environment variable CRASH_LOOP_MINUTES must be a positive number, got "ten"');
  });
});
