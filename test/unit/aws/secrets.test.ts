import { GetSecretValueCommand, ResourceNotFoundException, SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { GetParameterCommand, ParameterNotFound, SSMClient } from '@aws-sdk/client-ssm';
import { mockClient } from 'aws-sdk-client-mock';
import 'aws-sdk-client-mock-vitest/extend';
import { describe, expect, it } from 'vitest';
import { routingKeyFrom, secretFrom, webhookUrlFrom } from '../../../lib/aws/secrets.ts';
import { SecretReadError } from '../../../lib/errors.ts';

const URL = 'https://hooks.slack.example/services/T0000/B0000/SECRETsecretSECRET';

function clients() {
  const ssm = new SSMClient({ region: 'us-west-2' });
  const secretsManager = new SecretsManagerClient({ region: 'us-west-2' });
  return { ssm: mockClient(ssm), secrets: mockClient(secretsManager), sources: { ssm: () => ssm, secretsManager: () => secretsManager } };
}

describe('webhookUrlFrom', () => {
  it('reads a SecureString parameter with decryption once and reuses the value', async () => {
    const { ssm, secrets, sources } = clients();
    ssm.on(GetParameterCommand).resolves({ Parameter: { Name: '/notifier/slack', Type: 'SecureString', Value: URL, Version: 1 } });
    const webhookUrl = webhookUrlFrom({ store: 'ssm', name: '/notifier/slack' }, sources);

    expect(await Promise.all([webhookUrl(), webhookUrl()])).toEqual([URL, URL]);
    expect(await webhookUrl()).toBe(URL);
    expect(ssm).toHaveReceivedCommandTimes(GetParameterCommand, 1);
    expect(ssm).toHaveReceivedCommandWith(GetParameterCommand, { Name: '/notifier/slack', WithDecryption: true });
    expect(secrets).toHaveReceivedCommandTimes(GetSecretValueCommand, 0);
  });

  it('reads a secret holding the URL as a string or as JSON', async () => {
    const { secrets, sources } = clients();
    secrets.on(GetSecretValueCommand, { SecretId: 'plain' }).resolves({ SecretString: ` ${URL}\n` });
    secrets.on(GetSecretValueCommand, { SecretId: 'json' }).resolves({ SecretString: JSON.stringify({ webhookUrl: URL }) });
    secrets.on(GetSecretValueCommand, { SecretId: 'json-url' }).resolves({ SecretString: JSON.stringify({ url: URL }) });

    expect(await webhookUrlFrom({ store: 'secretsmanager', secretId: 'plain' }, sources)()).toBe(URL);
    expect(await webhookUrlFrom({ store: 'secretsmanager', secretId: 'json' }, sources)()).toBe(URL);
    expect(await webhookUrlFrom({ store: 'secretsmanager', secretId: 'json-url' }, sources)()).toBe(URL);
  });

  it('forgets a failed read so that the next invocation tries again', async () => {
    const { ssm, sources } = clients();
    const missing = new ParameterNotFound({ $metadata: { httpStatusCode: 400 }, message: '' });
    ssm.on(GetParameterCommand).rejectsOnce(missing).resolves({ Parameter: { Value: URL } });
    const webhookUrl = webhookUrlFrom({ store: 'ssm', name: '/notifier/slack' }, sources);

    const error: unknown = await webhookUrl().catch((rejection: unknown) => rejection);
    expect(error).toBeInstanceOf(SecretReadError);
    expect(error).toMatchObject({ message: 'could not read the Slack webhook URL from SSM parameter /notifier/slack', cause: missing });
    expect(await webhookUrl()).toBe(URL);
    expect(ssm).toHaveReceivedCommandTimes(GetParameterCommand, 2);
  });

  it('reads the store it is told, even for a secret whose name starts with a slash', async () => {
    const { ssm, secrets, sources } = clients();
    secrets.on(GetSecretValueCommand, { SecretId: '/team/slack' }).resolves({ SecretString: URL });

    expect(await webhookUrlFrom({ store: 'secretsmanager', secretId: '/team/slack' }, sources)()).toBe(URL);
    expect(ssm).toHaveReceivedCommandTimes(GetParameterCommand, 0);
  });

  it('names the secret, never its value, when it does not hold an https URL', async () => {
    const { secrets, sources } = clients();
    secrets.on(GetSecretValueCommand, { SecretId: 'wrong' }).resolves({ SecretString: 'http://hooks.slack.example/services/T/B/notsohidden' });
    secrets.on(GetSecretValueCommand, { SecretId: 'gone' }).rejects(new ResourceNotFoundException({ $metadata: {}, message: 'not found' }));
    secrets.on(GetSecretValueCommand, { SecretId: 'binary' }).resolves({ SecretBinary: new Uint8Array([1]) });

    const wrong: unknown = await webhookUrlFrom({ store: 'secretsmanager', secretId: 'wrong' }, sources)().catch((rejection: unknown) => rejection);
    expect(wrong).toBeInstanceOf(SecretReadError);
    expect(String(wrong)).toContain('wrong does not hold a Slack webhook URL');
    expect(String(wrong)).not.toContain('notsohidden');
    await expect(webhookUrlFrom({ store: 'secretsmanager', secretId: 'gone' }, sources)()).rejects.toThrow('could not read the Slack webhook URL from Secrets Manager secret gone');
    await expect(webhookUrlFrom({ store: 'secretsmanager', secretId: 'binary' }, sources)()).rejects.toThrow('binary does not hold a Slack webhook URL');
  });
});

const ROUTING_KEY = 'R0123456789abcdef0123456789abcde';

describe('routingKeyFrom', () => {
  it('reads a routing key held as a string or as JSON under routingKey or integrationKey', async () => {
    const { ssm, secrets, sources } = clients();
    ssm.on(GetParameterCommand).resolves({ Parameter: { Value: `${ROUTING_KEY}\n` } });
    secrets.on(GetSecretValueCommand, { SecretId: 'routing' }).resolves({ SecretString: JSON.stringify({ routingKey: ROUTING_KEY }) });
    secrets.on(GetSecretValueCommand, { SecretId: 'integration' }).resolves({ SecretString: JSON.stringify({ integrationKey: ROUTING_KEY, other: 'x' }) });

    expect(await routingKeyFrom({ store: 'ssm', name: '/notifier/pagerduty' }, sources)()).toBe(ROUTING_KEY);
    expect(await routingKeyFrom({ store: 'secretsmanager', secretId: 'routing' }, sources)()).toBe(ROUTING_KEY);
    expect(await routingKeyFrom({ store: 'secretsmanager', secretId: 'integration' }, sources)()).toBe(ROUTING_KEY);
    expect(ssm).toHaveReceivedCommandWith(GetParameterCommand, { Name: '/notifier/pagerduty', WithDecryption: true });
  });

  it('names the secret, never its value, when it does not hold a 32-character key', async () => {
    const { secrets, sources } = clients();
    secrets.on(GetSecretValueCommand, { SecretId: 'short' }).resolves({ SecretString: 'notsohidden' });
    secrets.on(GetSecretValueCommand, { SecretId: 'url-key' }).resolves({ SecretString: JSON.stringify({ url: ROUTING_KEY }) });

    const short: unknown = await routingKeyFrom({ store: 'secretsmanager', secretId: 'short' }, sources)().catch((rejection: unknown) => rejection);
    expect(short).toBeInstanceOf(SecretReadError);
    expect(String(short)).toContain('short does not hold a PagerDuty routing key (a 32-character key, or JSON with a "routingKey" or "integrationKey" key)');
    expect(String(short)).not.toContain('notsohidden');
    // A webhook's JSON key is not a routing key's.
    await expect(routingKeyFrom({ store: 'secretsmanager', secretId: 'url-key' }, sources)()).rejects.toThrow('url-key does not hold a PagerDuty routing key');
  });

  it('says which credential it could not read', async () => {
    const { ssm, sources } = clients();
    ssm.on(GetParameterCommand).rejects(new ParameterNotFound({ $metadata: { httpStatusCode: 400 }, message: '' }));
    await expect(routingKeyFrom({ store: 'ssm', name: '/notifier/pagerduty' }, sources)()).rejects.toThrow('could not read the PagerDuty routing key from SSM parameter /notifier/pagerduty');
  });
});

describe('secretFrom', () => {
  it('reads any credential by its shape, preferring the JSON keys in order, and caches it', async () => {
    const { secrets, sources } = clients();
    secrets.on(GetSecretValueCommand).resolves({ SecretString: JSON.stringify({ token: 'first', apiToken: 'second' }) });
    const token = secretFrom({ store: 'secretsmanager', secretId: 'api' }, { what: 'API token', jsonKeys: ['apiToken', 'token'], accept: (value) => value !== '', expected: 'a token' }, sources);

    expect(await token()).toBe('second');
    expect(await token()).toBe('second');
    expect(secrets).toHaveReceivedCommandTimes(GetSecretValueCommand, 1);
  });

  it('names the destination of a webhook URL it could not read', async () => {
    const { secrets, sources } = clients();
    secrets.on(GetSecretValueCommand).resolves({ SecretString: 'not a url' });
    await expect(webhookUrlFrom({ store: 'secretsmanager', secretId: 'teams' }, sources, 'Teams')()).rejects.toThrow('teams does not hold a Teams webhook URL (an https URL, or JSON with a "webhookUrl" or "url" key)');
  });
});
