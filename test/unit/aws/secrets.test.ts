import { GetSecretValueCommand, ResourceNotFoundException, SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { GetParameterCommand, ParameterNotFound, SSMClient } from '@aws-sdk/client-ssm';
import { mockClient } from 'aws-sdk-client-mock';
import 'aws-sdk-client-mock-vitest/extend';
import { describe, expect, it } from 'vitest';
import { secretSource, webhookUrlFromParameter } from '../../../lib/aws/secrets.ts';
import { SecretReadError } from '../../../lib/errors.ts';

const URL = 'https://hooks.slack.example/services/T0000/B0000/SECRETsecretSECRET';

function clients() {
  const ssm = new SSMClient({ region: 'us-west-2' });
  const secretsManager = new SecretsManagerClient({ region: 'us-west-2' });
  return { ssm: mockClient(ssm), secrets: mockClient(secretsManager), sources: { ssm: () => ssm, secretsManager: () => secretsManager } };
}

describe('secretSource', () => {
  it('reads paths and SSM ARNs from Parameter Store and everything else from Secrets Manager', () => {
    expect(secretSource('/ecs-incident-notifier/slack-webhook')).toBe('ssm');
    expect(secretSource('arn:aws:ssm:us-west-2:111122223333:parameter/ecs-incident-notifier/slack-webhook')).toBe('ssm');
    expect(secretSource('ecs-incident-notifier/slack')).toBe('secretsmanager');
    expect(secretSource('arn:aws:secretsmanager:us-west-2:111122223333:secret:ecs-incident-notifier/slack-AbCdEf')).toBe('secretsmanager');
  });
});

describe('webhookUrlFromParameter', () => {
  it('reads a SecureString parameter with decryption once and reuses the value', async () => {
    const { ssm, secrets, sources } = clients();
    ssm.on(GetParameterCommand).resolves({ Parameter: { Name: '/notifier/slack', Type: 'SecureString', Value: URL, Version: 1 } });
    const webhookUrl = webhookUrlFromParameter('/notifier/slack', sources);

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

    expect(await webhookUrlFromParameter('plain', sources)()).toBe(URL);
    expect(await webhookUrlFromParameter('json', sources)()).toBe(URL);
    expect(await webhookUrlFromParameter('json-url', sources)()).toBe(URL);
  });

  it('forgets a failed read so that the next invocation tries again', async () => {
    const { ssm, sources } = clients();
    const missing = new ParameterNotFound({ $metadata: { httpStatusCode: 400 }, message: '' });
    ssm.on(GetParameterCommand).rejectsOnce(missing).resolves({ Parameter: { Value: URL } });
    const webhookUrl = webhookUrlFromParameter('/notifier/slack', sources);

    const error: unknown = await webhookUrl().catch((rejection: unknown) => rejection);
    expect(error).toBeInstanceOf(SecretReadError);
    expect(error).toMatchObject({ message: 'could not read the Slack webhook URL from SSM parameter /notifier/slack', cause: missing });
    expect(await webhookUrl()).toBe(URL);
    expect(ssm).toHaveReceivedCommandTimes(GetParameterCommand, 2);
  });

  it('names the secret, never its value, when it does not hold an https URL', async () => {
    const { secrets, sources } = clients();
    secrets.on(GetSecretValueCommand, { SecretId: 'wrong' }).resolves({ SecretString: 'http://hooks.slack.example/services/T/B/notsohidden' });
    secrets.on(GetSecretValueCommand, { SecretId: 'gone' }).rejects(new ResourceNotFoundException({ $metadata: {}, message: 'not found' }));
    secrets.on(GetSecretValueCommand, { SecretId: 'binary' }).resolves({ SecretBinary: new Uint8Array([1]) });

    const wrong: unknown = await webhookUrlFromParameter('wrong', sources)().catch((rejection: unknown) => rejection);
    expect(wrong).toBeInstanceOf(SecretReadError);
    expect(String(wrong)).toContain('wrong does not hold a Slack webhook URL');
    expect(String(wrong)).not.toContain('notsohidden');
    await expect(webhookUrlFromParameter('gone', sources)()).rejects.toThrow('could not read the Slack webhook URL from Secrets Manager secret gone');
    await expect(webhookUrlFromParameter('binary', sources)()).rejects.toThrow('binary does not hold a Slack webhook URL');
  });
});
