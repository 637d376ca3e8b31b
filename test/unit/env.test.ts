import { describe, expect, it, vi } from 'vitest';
import { alertTableName, alertTopicArn, awsMaxAttempts, slackWebhookSource, trackingConfig } from '../../lib/env.ts';
import { memberLookupExternalId, memberLookupRoleName, monitorAccountId, monitorRegion, notifyDeploymentsFrom, ownerTagKey, runbookTagKey } from '../../lib/env.ts';
import { pagerDutyRoutingKeySource, teamsWebhookSource } from '../../lib/env.ts';
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
    expect([alertTopicArn(), slackWebhookSource(), alertTableName(), awsMaxAttempts()]).toEqual([
      'arn:aws:sns:us-west-2:111122223333:ecs-alerts',
      { store: 'ssm', name: '/ecs-incident-notifier/slack-webhook' },
      'ecs-incident-notifier-alerts',
      5,
    ]);
  });

  it('fails naming the variable when a required one is missing or blank', () => {
    vi.stubEnv('ALERT_TOPIC_ARN', '');
    vi.stubEnv('SLACK_WEBHOOK_PARAMETER', undefined);
    expect(configError(alertTopicArn)).toMatchObject({ variable: 'ALERT_TOPIC_ARN', message: 'environment variable ALERT_TOPIC_ARN is not set' });
    vi.stubEnv('SLACK_WEBHOOK_SECRET', ' ');
    expect(configError(slackWebhookSource).message).toBe('environment variable SLACK_WEBHOOK_PARAMETER is not set, nor is SLACK_WEBHOOK_SECRET');
  });

  it('rejects malformed values', () => {
    vi.stubEnv('ALERT_TOPIC_ARN', 'ecs-alerts');
    vi.stubEnv('SLACK_WEBHOOK_PARAMETER', 'https://hooks.slack.example/services/T0000/B0000/XyZzYhidden');
    vi.stubEnv('ALERT_TABLE_NAME', 'a b');
    vi.stubEnv('AWS_MAX_ATTEMPTS', '0');
    expect(configError(alertTopicArn).message).toBe('environment variable ALERT_TOPIC_ARN is not an SNS topic ARN: ecs-alerts');
    const webhook = configError(slackWebhookSource);
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

describe('slackWebhookSource', () => {
  it('reads a secret from Secrets Manager when SLACK_WEBHOOK_SECRET names it, whatever its name looks like', () => {
    vi.stubEnv('SLACK_WEBHOOK_PARAMETER', '');
    vi.stubEnv('SLACK_WEBHOOK_SECRET', 'arn:aws:secretsmanager:eu-west-1:111122223333:secret:ecs/slack-AbCdEf');
    expect(slackWebhookSource()).toEqual({ store: 'secretsmanager', secretId: 'arn:aws:secretsmanager:eu-west-1:111122223333:secret:ecs/slack-AbCdEf' });
  });

  it('refuses both stores at once, a parameter name without its leading slash, and a URL in the secret variable', () => {
    vi.stubEnv('SLACK_WEBHOOK_PARAMETER', '/ecs/slack');
    vi.stubEnv('SLACK_WEBHOOK_SECRET', 'ecs/slack');
    expect(configError(slackWebhookSource).message).toBe('environment variable SLACK_WEBHOOK_SECRET is set as well as SLACK_WEBHOOK_PARAMETER; set only one');
    vi.stubEnv('SLACK_WEBHOOK_SECRET', '');
    vi.stubEnv('SLACK_WEBHOOK_PARAMETER', 'slack-webhook');
    expect(configError(slackWebhookSource).message).toBe('environment variable SLACK_WEBHOOK_PARAMETER must be a parameter name starting with "/", got "slack-webhook"');
    vi.stubEnv('SLACK_WEBHOOK_PARAMETER', '');
    vi.stubEnv('SLACK_WEBHOOK_SECRET', 'https://hooks.slack.example/services/T0000/B0000/XyZzYhidden');
    const error = configError(slackWebhookSource);
    expect(error.message).toBe('environment variable SLACK_WEBHOOK_SECRET holds a URL; it must name an SSM parameter or a secret that holds the URL');
  });
});

describe('trackingConfig', () => {
  it('gives the documented defaults, and reads each setting from its variable', () => {
    expect(trackingConfig()).toEqual({ deployment: { failureThreshold: 3 }, crashLoop: { threshold: 3, windowMinutes: 10 }, spotOutageMinutes: 15, notifyDeployments: 'failures' });
    vi.stubEnv('CRASH_LOOP_THRESHOLD', '5');
    vi.stubEnv('SPOT_OUTAGE_MINUTES', '30');
    vi.stubEnv('NOTIFY_DEPLOYMENTS', 'all');
    expect(trackingConfig()).toMatchObject({ crashLoop: { threshold: 5, windowMinutes: 10 }, spotOutageMinutes: 30, notifyDeployments: 'all' });
  });

  it('names the variable of a setting that is not a positive number', () => {
    vi.stubEnv('CRASH_LOOP_MINUTES', 'ten');
    expect(() => trackingConfig()).toThrow('environment variable CRASH_LOOP_MINUTES must be a positive number, got "ten"');
  });
});

describe('member account lookups', () => {
  it('reads the monitor account, its Region, the member lookup role and external id', () => {
    vi.stubEnv('MONITOR_ACCOUNT_ID', ' 999999999999 ');
    vi.stubEnv('AWS_REGION', 'eu-west-1');
    vi.stubEnv('MEMBER_LOOKUP_ROLE_NAME', 'ecs-incident-notifier-lookup');
    vi.stubEnv('MEMBER_LOOKUP_EXTERNAL_ID', 'o-exampleorgid:ecs/notifier');
    expect([monitorAccountId(), monitorRegion(), memberLookupRoleName(), memberLookupExternalId()]).toEqual([
      '999999999999',
      'eu-west-1',
      'ecs-incident-notifier-lookup',
      'o-exampleorgid:ecs/notifier',
    ]);
  });

  it('leaves member accounts without a role or external id when those are unset or blank', () => {
    vi.stubEnv('MEMBER_LOOKUP_ROLE_NAME', undefined);
    vi.stubEnv('MEMBER_LOOKUP_EXTERNAL_ID', ' ');
    expect([memberLookupRoleName(), memberLookupExternalId()]).toEqual([null, null]);
  });

  it('fails naming the variable when the monitor account or Region is missing or malformed', () => {
    vi.stubEnv('MONITOR_ACCOUNT_ID', '');
    vi.stubEnv('AWS_REGION', undefined);
    expect([configError(monitorAccountId).variable, configError(monitorRegion).variable]).toEqual(['MONITOR_ACCOUNT_ID', 'AWS_REGION']);
    vi.stubEnv('MONITOR_ACCOUNT_ID', '99999999999');
    vi.stubEnv('AWS_REGION', 'https://evil.example.com');
    expect(configError(monitorAccountId).message).toBe('environment variable MONITOR_ACCOUNT_ID is not a 12-digit AWS account id: "99999999999"');
    expect(configError(monitorRegion).message).toBe('environment variable AWS_REGION is not an AWS Region: "https://evil.example.com"');
  });

  it('refuses a role name that is a role ARN or has characters IAM does not allow, and a malformed external id', () => {
    for (const name of ['arn:aws:iam::222222222222:role/lookup', 'role with spaces', 'x'.repeat(65)]) {
      vi.stubEnv('MEMBER_LOOKUP_ROLE_NAME', name);
      expect(configError(memberLookupRoleName).message).toBe(`environment variable MEMBER_LOOKUP_ROLE_NAME is not an IAM role name: ${JSON.stringify(name)}`);
    }
    for (const id of ['x', 'has space', 'y'.repeat(1225)]) {
      vi.stubEnv('MEMBER_LOOKUP_EXTERNAL_ID', id);
      expect(configError(memberLookupExternalId).variable).toBe('MEMBER_LOOKUP_EXTERNAL_ID');
    }
    vi.stubEnv('MEMBER_LOOKUP_ROLE_NAME', 'x'.repeat(64));
    vi.stubEnv('MEMBER_LOOKUP_EXTERNAL_ID', 'ab');
    expect([memberLookupRoleName(), memberLookupExternalId()]).toEqual(['x'.repeat(64), 'ab']);
  });
});

describe('notifyDeploymentsFrom', () => {
  it('is failures when unset or blank, and failures or all as given', () => {
    expect([notifyDeploymentsFrom({}), notifyDeploymentsFrom({ NOTIFY_DEPLOYMENTS: ' ' }), notifyDeploymentsFrom({ NOTIFY_DEPLOYMENTS: ' all ' }), notifyDeploymentsFrom({ NOTIFY_DEPLOYMENTS: 'failures' })]).toEqual([
      'failures',
      'failures',
      'all',
      'failures',
    ]);
  });

  it('reads the process environment by default', () => {
    vi.stubEnv('NOTIFY_DEPLOYMENTS', 'all');
    expect(notifyDeploymentsFrom()).toBe('all');
  });

  it('fails naming the variable and the two values it takes', () => {
    for (const value of ['ALL', 'failure', 'none']) {
      expect(() => notifyDeploymentsFrom({ NOTIFY_DEPLOYMENTS: value })).toThrow(`environment variable NOTIFY_DEPLOYMENTS must be "failures" or "all", got ${JSON.stringify(value)}`);
    }
  });
});

describe('runbookTagKey and ownerTagKey', () => {
  it('are runbook and owner by default, or the key given', () => {
    expect([runbookTagKey({}), ownerTagKey({ OWNER_TAG_KEY: '' })]).toEqual(['runbook', 'owner']);
    expect([runbookTagKey({ RUNBOOK_TAG_KEY: ' team:runbook ' }), ownerTagKey({ OWNER_TAG_KEY: 'Owner Team' })]).toEqual(['team:runbook', 'Owner Team']);
    vi.stubEnv('RUNBOOK_TAG_KEY', 'rb');
    vi.stubEnv('OWNER_TAG_KEY', 'own');
    expect([runbookTagKey(), ownerTagKey()]).toEqual(['rb', 'own']);
  });

  it('refuse a key ECS would not accept, naming the variable', () => {
    for (const key of ['aws:runbook', 'x'.repeat(129), 'no*stars']) {
      expect(() => runbookTagKey({ RUNBOOK_TAG_KEY: key })).toThrow(/^environment variable RUNBOOK_TAG_KEY is not a tag key/);
      expect(() => ownerTagKey({ OWNER_TAG_KEY: key })).toThrow(/^environment variable OWNER_TAG_KEY is not a tag key/);
    }
  });
});

describe('teamsWebhookSource', () => {
  it('reads the parameter or the secret that holds the Teams workflow URL', () => {
    vi.stubEnv('TEAMS_WEBHOOK_PARAMETER', '/ecs-incident-notifier/teams-webhook');
    vi.stubEnv('TEAMS_WEBHOOK_SECRET', '');
    expect(teamsWebhookSource()).toEqual({ store: 'ssm', name: '/ecs-incident-notifier/teams-webhook' });

    vi.stubEnv('TEAMS_WEBHOOK_PARAMETER', '');
    vi.stubEnv('TEAMS_WEBHOOK_SECRET', 'ecs/teams');
    expect(teamsWebhookSource()).toEqual({ store: 'secretsmanager', secretId: 'ecs/teams' });
  });

  it('names its own variables when neither, both or a URL is set', () => {
    vi.stubEnv('TEAMS_WEBHOOK_PARAMETER', undefined);
    vi.stubEnv('TEAMS_WEBHOOK_SECRET', undefined);
    expect(configError(teamsWebhookSource).message).toBe('environment variable TEAMS_WEBHOOK_PARAMETER is not set, nor is TEAMS_WEBHOOK_SECRET');

    vi.stubEnv('TEAMS_WEBHOOK_PARAMETER', '/ecs/teams');
    vi.stubEnv('TEAMS_WEBHOOK_SECRET', 'ecs/teams');
    expect(configError(teamsWebhookSource).message).toBe('environment variable TEAMS_WEBHOOK_SECRET is set as well as TEAMS_WEBHOOK_PARAMETER; set only one');

    vi.stubEnv('TEAMS_WEBHOOK_SECRET', '');
    vi.stubEnv('TEAMS_WEBHOOK_PARAMETER', 'https://prod-42.westeurope.logic.azure.com/workflows/x/triggers/manual/paths/invoke?sig=XyZzYhidden');
    const error = configError(teamsWebhookSource);
    expect(error).toMatchObject({ variable: 'TEAMS_WEBHOOK_PARAMETER' });
    expect(error.message).toContain('holds a URL');
    expect(error.message).not.toContain('XyZzYhidden');
  });
});

describe('pagerDutyRoutingKeySource', () => {
  it('reads the parameter or the secret that holds the routing key', () => {
    vi.stubEnv('PAGERDUTY_ROUTING_KEY_PARAMETER', '/ecs-incident-notifier/pagerduty-routing-key');
    vi.stubEnv('PAGERDUTY_ROUTING_KEY_SECRET', '');
    expect(pagerDutyRoutingKeySource()).toEqual({ store: 'ssm', name: '/ecs-incident-notifier/pagerduty-routing-key' });

    vi.stubEnv('PAGERDUTY_ROUTING_KEY_PARAMETER', '');
    vi.stubEnv('PAGERDUTY_ROUTING_KEY_SECRET', 'arn:aws:secretsmanager:eu-west-1:111122223333:secret:ecs/pagerduty-AbCdEf');
    expect(pagerDutyRoutingKeySource()).toEqual({ store: 'secretsmanager', secretId: 'arn:aws:secretsmanager:eu-west-1:111122223333:secret:ecs/pagerduty-AbCdEf' });
  });

  it('refuses a value that looks like the 32-character key itself, without echoing it', () => {
    vi.stubEnv('PAGERDUTY_ROUTING_KEY_PARAMETER', '');
    vi.stubEnv('PAGERDUTY_ROUTING_KEY_SECRET', 'R0123456789abcdef0123456789abcde');
    const error = configError(pagerDutyRoutingKeySource);
    expect(error).toMatchObject({ variable: 'PAGERDUTY_ROUTING_KEY_SECRET' });
    expect(error.message).toBe('environment variable PAGERDUTY_ROUTING_KEY_SECRET looks like a routing key itself; it must name an SSM parameter or a secret that holds the key');
    expect(error.message).not.toContain('R0123456789');
  });

  it('names its own variables when neither or both are set, or the parameter lacks its slash', () => {
    vi.stubEnv('PAGERDUTY_ROUTING_KEY_PARAMETER', undefined);
    vi.stubEnv('PAGERDUTY_ROUTING_KEY_SECRET', ' ');
    expect(configError(pagerDutyRoutingKeySource).message).toBe('environment variable PAGERDUTY_ROUTING_KEY_PARAMETER is not set, nor is PAGERDUTY_ROUTING_KEY_SECRET');

    vi.stubEnv('PAGERDUTY_ROUTING_KEY_PARAMETER', '/ecs/pagerduty');
    vi.stubEnv('PAGERDUTY_ROUTING_KEY_SECRET', 'ecs/pagerduty');
    expect(configError(pagerDutyRoutingKeySource).variable).toBe('PAGERDUTY_ROUTING_KEY_SECRET');

    vi.stubEnv('PAGERDUTY_ROUTING_KEY_SECRET', '');
    vi.stubEnv('PAGERDUTY_ROUTING_KEY_PARAMETER', 'ecs-pagerduty');
    expect(configError(pagerDutyRoutingKeySource).message).toBe('environment variable PAGERDUTY_ROUTING_KEY_PARAMETER must be a parameter name starting with "/", got "ecs-pagerduty"');
  });
});
