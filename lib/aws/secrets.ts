import { GetSecretValueCommand, type SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { GetParameterCommand, type SSMClient } from '@aws-sdk/client-ssm';
import type { WebhookSource } from '../env.ts';
import { SecretReadError } from '../errors.ts';
import { secretsClient } from './clients/secrets-manager.ts';
import { ssmClient } from './clients/ssm.ts';

/** The clients a secret may be read with; getters, so only the one a name needs is ever built. */
export interface SecretClients {
  ssm: () => SSMClient;
  secretsManager: () => SecretsManagerClient;
}

/**
 * The Slack webhook URL, read once per Lambda container (at the first post) from Parameter Store (`GetParameter`
 * with decryption, for a SecureString) or Secrets Manager (`GetSecretValue`), whichever `source` names. A secret may hold
 * the URL as its whole string, or as JSON with a `webhookUrl` or `url` key (the console's key/value form).
 *
 * The returned function caches the promise, so concurrent and later calls share one read; a failed read is
 * forgotten, so the next invocation tries again. Errors name the parameter, never its value.
 *
 * @example
 * const webhookUrl = webhookUrlFrom({ store: 'ssm', name: '/ecs-incident-notifier/slack-webhook' });
 * await webhookUrl(); // 'https://hooks.slack.com/services/…'
 */
export function webhookUrlFrom(source: WebhookSource, clients: SecretClients = { ssm: ssmClient, secretsManager: secretsClient }): () => Promise<string> {
  let cached: Promise<string> | undefined;
  return () => {
    if (cached === undefined) {
      const pending = readWebhookUrl(source, clients);
      cached = pending;
      pending.catch(() => {
        if (cached === pending) cached = undefined;
      });
    }
    return cached;
  };
}

async function readWebhookUrl(source: WebhookSource, clients: SecretClients): Promise<string> {
  const name = source.store === 'ssm' ? source.name : source.secretId;
  let value: string | undefined;
  try {
    if (source.store === 'ssm') {
      const output = await clients.ssm().send(new GetParameterCommand({ Name: source.name, WithDecryption: true }));
      value = output.Parameter?.Value;
    } else {
      const output = await clients.secretsManager().send(new GetSecretValueCommand({ SecretId: source.secretId }));
      value = output.SecretString;
    }
  } catch (error) {
    const where = source.store === 'ssm' ? 'SSM parameter' : 'Secrets Manager secret';
    throw new SecretReadError(`could not read the Slack webhook URL from ${where} ${name}`, { cause: error });
  }
  const url = value === undefined ? null : urlIn(value);
  if (url === null) throw new SecretReadError(`${name} does not hold a Slack webhook URL (an https URL, or JSON with a "webhookUrl" or "url" key)`);
  return url;
}

function urlIn(value: string): string | null {
  const text = value.trim();
  if (text.startsWith('{')) {
    try {
      const parsed: unknown = JSON.parse(text);
      if (typeof parsed === 'object' && parsed !== null && !Array.isArray(parsed)) {
        const candidate: unknown = 'webhookUrl' in parsed ? parsed.webhookUrl : 'url' in parsed ? parsed.url : undefined;
        return typeof candidate === 'string' && isHttpsUrl(candidate.trim()) ? candidate.trim() : null;
      }
    } catch {
      return null;
    }
    return null;
  }
  return isHttpsUrl(text) ? text : null;
}

function isHttpsUrl(text: string): boolean {
  try {
    return new URL(text).protocol === 'https:';
  } catch {
    return false;
  }
}
