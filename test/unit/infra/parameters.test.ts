import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { checkParameters, PARAMETERS, slackSecretResource, withDefaults } from '../../../infra/parameters.ts';

const SERVERLESS_YML = readFileSync(new URL('../../../serverless.yml', import.meta.url), 'utf8');

/** The `params.default` block of serverless.yml, as `name: value` pairs (flat, quoted or not). */
function yamlDefaults(): Record<string, string> {
  const lines = SERVERLESS_YML.split('\n');
  const start = lines.indexOf('  default:');
  const defaults: Record<string, string> = {};
  for (const line of lines.slice(start + 1)) {
    if (!line.startsWith('    ')) break;
    const match = /^ {4}(\w+): (.*)$/.exec(line);
    if (match?.[1] !== undefined && match[2] !== undefined) defaults[match[1]] = match[2].replace(/^'(.*)'$/, '$1');
  }
  return defaults;
}

describe('PARAMETERS', () => {
  it('has the defaults serverless.yml declares, and serverless.yml checks every one of them', () => {
    expect(yamlDefaults()).toEqual(Object.fromEntries(Object.entries(PARAMETERS).map(([name, spec]) => [name, spec.default])));
    for (const name of Object.keys(PARAMETERS)) expect(SERVERLESS_YML, name).toContain(`    ${name}: \${param:${name}}`);
  });
});

describe('checkParameters', () => {
  it('accepts the defaults, and says that nobody is subscribed', () => {
    const { errors, warnings } = checkParameters({});
    expect(errors).toEqual([]);
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toMatch(/^Nobody is subscribed to the alerts: none of --param alertEmail, a Slack webhook, routes or amazonQ is set\./);
  });

  it('counts a routes file or Amazon Q as someone subscribed', () => {
    expect(checkParameters({ routes: 'infra/routes.yml' }).warnings).toEqual([]);
    expect(checkParameters({ amazonQ: 'true' }).warnings).toEqual([]);
    expect(checkParameters({ amazonQ: 'yes' }).errors).toEqual([expect.stringContaining('amazonQ')]);
  });

  it('accepts a full organisation set-up with no warning', () => {
    const check = checkParameters({
      alertEmail: 'oncall@example.com',
      emailSeverities: 'critical,warning',
      slackWebhookSecret: 'arn:aws:secretsmanager:eu-west-1:111111111111:secret:ecs/slack-AbC123',
      slackWebhookKmsKeyArn: 'arn:aws:kms:eu-west-1:111111111111:key/1234abcd-12ab-34cd-56ef-1234567890ab',
      slackSeverities: 'critical',
      eventBusName: 'ecs-central',
      alertWindowMinutes: '10',
      alertRepeatHours: '2.5',
      logRetentionDays: '90',
      organizationId: 'o-abcdefghij',
      memberAccountIds: '222222222222, 333333333333',
      memberLookupRoleName: 'ecs-lookup',
      memberLookupExternalId: 'notifier-7f3a',
    });
    expect(check).toEqual({ errors: [], warnings: [] });
  });

  it('names the parameter, the value and the expected form of each malformed value, one line each', () => {
    const { errors } = checkParameters({
      alertEmail: 'oncall',
      emailSeverities: 'critical,urgent',
      slackWebhookParameter: 'slack-webhook',
      eventBusName: 'arn:aws:events:eu-west-1:111111111111:event-bus/central',
      alertWindowMinutes: '0',
      alertRepeatHours: 'four',
      logRetentionDays: '31',
      organizationId: 'org-1',
      memberAccountIds: '2222,333333333333',
      memberLookupRoleName: 'role with spaces',
    });
    expect(errors).toEqual([
      '--param alertEmail="oncall" is not one e-mail address (name@example.com)',
      '--param emailSeverities="critical,urgent" is not a comma-separated list of critical, warning, info',
      '--param slackWebhookParameter="slack-webhook" is not the name of an SSM SecureString parameter, starting with "/" (/ecs-incident-notifier/slack-webhook); not a URL, not an ARN',
      '--param eventBusName="arn:aws:events:eu-west-1:111111111111:event-bus/central" is not the name of an event bus in this account and Region (not an ARN)',
      '--param alertWindowMinutes="0" is not a number of minutes from 1 to 1440',
      '--param alertRepeatHours="four" is not a number of hours from 1 to 168',
      `--param logRetentionDays="31" is not ${PARAMETERS.logRetentionDays.form}`,
      '--param organizationId="org-1" is not an AWS Organizations id (o-xxxxxxxxxx)',
      '--param memberAccountIds="2222,333333333333" is not a comma-separated list of 12-digit account ids',
      '--param memberLookupRoleName="role with spaces" is not an IAM role name (letters, digits and +=,.@_- , at most 64)',
    ]);
  });

  it('refuses a log group prefix with a wildcard or a blank, a notifyDeployments other than failures or all, and reserved or malformed tag keys', () => {
    const { errors } = checkParameters({ logGroupPrefix: '/ecs/*', notifyDeployments: 'some', runbookTagKey: 'aws:runbook', ownerTagKey: 'x'.repeat(129) });
    expect(errors).toEqual([
      `--param logGroupPrefix="/ecs/*" is not ${PARAMETERS.logGroupPrefix.form}`,
      '--param notifyDeployments="some" is not failures or all',
      `--param runbookTagKey="aws:runbook" is not ${PARAMETERS.runbookTagKey.form}`,
      `--param ownerTagKey="${'x'.repeat(129)}" is not ${PARAMETERS.ownerTagKey.form}`,
    ]);
    for (const prefix of ['/ecs/ x', '?', 'x'.repeat(257)]) expect(checkParameters({ logGroupPrefix: prefix }).errors).toHaveLength(1);
    expect(checkParameters({ logGroupPrefix: '/aws/ecs/containerinsights/', notifyDeployments: 'all', runbookTagKey: 'team:runbook', ownerTagKey: 'Owner' }).errors).toEqual([]);
    expect(checkParameters({ logGroupPrefix: 'x'.repeat(256) }).errors).toEqual([]);
  });

  it('refuses webhook values that would name nothing: an SSM ARN, a URL, a reserved path, a secret ARN without its suffix', () => {
    const refused = [
      { slackWebhookParameter: 'arn:aws:ssm:eu-west-1:111111111111:parameter/ecs/slack' },
      { slackWebhookParameter: 'https://hooks.slack.example/services/T/B/X' },
      { slackWebhookParameter: '/aws/reference/secretsmanager/slack' },
      { slackWebhookSecret: 'https://hooks.slack.example/services/T/B/X' },
      { slackWebhookSecret: 'arn:aws:secretsmanager:eu-west-1:111111111111:secret:ecs/slack' },
      { slackWebhookSecret: 'ecs/slack', slackWebhookKmsKeyArn: 'alias/slack' },
    ];
    for (const given of refused) expect(checkParameters(given).errors, JSON.stringify(given)).toHaveLength(1);
    expect(checkParameters({ slackWebhookParameter: '/ecs/slack' }).errors).toEqual([]);
    expect(checkParameters({ slackWebhookSecret: 'ecs/slack' }).errors).toEqual([]);
  });

  it('refuses both webhook stores at once, a key without a webhook, and an external id without members', () => {
    expect(checkParameters({ slackWebhookParameter: '/ecs/slack', slackWebhookSecret: 'ecs/slack' }).errors).toEqual([
      '--param slackWebhookParameter and --param slackWebhookSecret are both set: keep the webhook in one store and set only that one',
    ]);
    expect(checkParameters({ slackWebhookKmsKeyArn: 'arn:aws:kms:eu-west-1:111111111111:key/1234abcd-12ab-34cd-56ef-1234567890ab' }).errors).toEqual([
      '--param slackWebhookKmsKeyArn is set without a webhook: set slackWebhookParameter or slackWebhookSecret too',
    ]);
    expect(checkParameters({ memberLookupExternalId: 'abc' }).errors).toEqual([
      '--param memberLookupExternalId is set without member accounts: set organizationId or memberAccountIds too',
    ]);
  });

  it('takes a routes file by its path, ending in .yml, .yaml or .json', () => {
    for (const routes of ['infra/routes.yml', 'routes.yaml', '/etc/ecs/routes.json', '']) expect(checkParameters({ routes }).errors, routes).toEqual([]);
    expect(checkParameters({ routes: 'infra/routes.txt' }).errors).toEqual([`--param routes="infra/routes.txt" is not ${PARAMETERS.routes.form}`]);
  });

  it('trims blanks around values and gives every parameter its default', () => {
    expect(withDefaults({ alertEmail: ' oncall@example.com ', alertWindowMinutes: 10 })).toMatchObject({ alertEmail: 'oncall@example.com', alertWindowMinutes: '10', emailSeverities: 'critical', slackSeverities: 'critical,warning' });
  });
});

describe('slackSecretResource', () => {
  it('allows exactly the six random characters Secrets Manager appends to a name, and a complete ARN as it is', () => {
    expect(slackSecretResource('ecs/slack')).toBe('arn:${AWS::Partition}:secretsmanager:${AWS::Region}:${AWS::AccountId}:secret:ecs/slack-??????');
    expect(slackSecretResource('arn:aws:secretsmanager:eu-west-1:111111111111:secret:ecs/slack-AbC123')).toBe('arn:aws:secretsmanager:eu-west-1:111111111111:secret:ecs/slack-AbC123');
    expect(slackSecretResource('  ')).toBe('');
  });
});
