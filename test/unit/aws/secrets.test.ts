import { GetSecretValueCommand, ResourceNotFoundException, SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { GetParameterCommand, ParameterNotFound, SSMClient } from '@aws-sdk/client-ssm';
import { mockClient } from 'aws-sdk-client-mock';
import 'aws-sdk-client-mock-vitest/extend';
import { describe, expect, it } from 'vitest';
import { webhookUrlFrom } from '../../../lib/aws/secrets.ts';
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
