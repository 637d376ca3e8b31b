import { GetSecretValueCommand, type SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { GetParameterCommand, type SSMClient } from '@aws-sdk/client-ssm';
import type { SecretSource, WebhookSource } from '../env.ts';
import { SecretReadError } from '../errors.ts';
import { secretsClient } from './clients/secrets-manager.ts';
import { ssmClient } from './clients/ssm.ts';

/** The clients a secret may be read with; getters, so only the one a name needs is ever built. */
export interface SecretClients {
  ssm: () => SSMClient;
  secretsManager: () => SecretsManagerClient;
}

/** What a secret holds, for reading and checking it. */
export interface SecretShape {
  /** What the credential is, for errors: `Slack webhook URL`, `PagerDuty routing key`. */
  what: string;
  /** The keys that may hold the credential when the secret is JSON (the console's key/value form), in order of preference. */
  jsonKeys: readonly string[];
  /** Whether a (trimmed) value is such a credential. */
  accept: (value: string) => boolean;
  /** What `accept` wants, for errors: `an https URL`. */
  expected: string;
}

const DEFAULT_CLIENTS: SecretClients = { ssm: ssmClient, secretsManager: secretsClient };

/**
 * A credential, read once per Lambda container (at its first use) from Parameter Store (`GetParameter` with
 * decryption, for a SecureString) or Secrets Manager (`GetSecretValue`), whichever `source` names. A secret may hold
 * the credential as its whole string, or as JSON with one of `shape.jsonKeys`.
 *
 * The returned function caches the promise, so concurrent and later calls share one read; a failed read is
 * forgotten, so the next invocation tries again. Errors name the parameter, never its value.
 *
 * @example
 * const routingKey = secretFrom({ store: 'secretsmanager', secretId: 'ecs/pagerduty' }, ROUTING_KEY_SHAPE);
 * await routingKey(); // 'R0123456789abcdef0123456789abcde'
 */
export function secretFrom(source: SecretSource, shape: SecretShape, clients: SecretClients = DEFAULT_CLIENTS): () => Promise<string> {
  let cached: Promise<string> | undefined;
  return () => {
    if (cached === undefined) {
      const pending = readSecret(source, shape, clients);
      cached = pending;
      pending.catch(() => {
        if (cached === pending) cached = undefined;
      });
    }
    return cached;
  };
}

/** A webhook URL of `destination`: an https URL, or JSON with a `webhookUrl` or `url` key. */
export function webhookUrlShape(destination: string): SecretShape {
  return { what: `${destination} webhook URL`, jsonKeys: ['webhookUrl', 'url'], accept: isHttpsUrl, expected: 'an https URL' };
}

/**
 * A PagerDuty Events API v2 routing key: 32 letters and digits (https://developer.pagerduty.com/docs/events-api-v2/trigger-events/),
 * or JSON with a `routingKey` or `integrationKey` key.
 */
export const ROUTING_KEY_SHAPE: SecretShape = {
  what: 'PagerDuty routing key',
  jsonKeys: ['routingKey', 'integrationKey'],
  accept: (value) => /^[A-Za-z0-9]{32}$/.test(value),
  expected: 'a 32-character key',
};

/**
 * A Slack bot token (`xoxb-…`, https://docs.slack.dev/authentication/tokens#bot), or JSON with a `token` or `botToken`
 * key.
 */
export const BOT_TOKEN_SHAPE: SecretShape = {
  what: 'Slack bot token',
  jsonKeys: ['token', 'botToken'],
  accept: (value) => /^xoxb-[A-Za-z0-9-]{10,}$/.test(value),
  expected: 'a bot token starting with xoxb-',
};

/**
 * The Slack (or, with `destination`, another) webhook URL from where `source` names: `secretFrom` with
 * `webhookUrlShape`.
 *
 * @example
 * const webhookUrl = webhookUrlFrom({ store: 'ssm', name: '/ecs-incident-notifier/slack-webhook' });
 * await webhookUrl(); // 'https://hooks.slack.com/services/…'
 */
export function webhookUrlFrom(source: WebhookSource, clients: SecretClients = DEFAULT_CLIENTS, destination = 'Slack'): () => Promise<string> {
  return secretFrom(source, webhookUrlShape(destination), clients);
}

/** The PagerDuty routing key from where `source` names: `secretFrom` with `ROUTING_KEY_SHAPE`. */
export function routingKeyFrom(source: SecretSource, clients: SecretClients = DEFAULT_CLIENTS): () => Promise<string> {
  return secretFrom(source, ROUTING_KEY_SHAPE, clients);
}

async function readSecret(source: SecretSource, shape: SecretShape, clients: SecretClients): Promise<string> {
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
    throw new SecretReadError(`could not read the ${shape.what} from ${where} ${name}`, { cause: error });
  }
  const credential = value === undefined ? null : credentialIn(value, shape);
  if (credential === null) {
    const keys = shape.jsonKeys.map((key) => JSON.stringify(key)).join(' or ');
    throw new SecretReadError(`${name} does not hold a ${shape.what} (${shape.expected}, or JSON with a ${keys} key)`);
  }
  return credential;
}

function credentialIn(value: string, shape: SecretShape): string | null {
  const text = value.trim();
  if (!text.startsWith('{')) return shape.accept(text) ? text : null;
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    return null;
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) return null;
  const fields = new Map<string, unknown>(Object.entries(parsed));
  const key = shape.jsonKeys.find((name) => fields.has(name));
  const candidate = key === undefined ? undefined : fields.get(key);
  return typeof candidate === 'string' && shape.accept(candidate.trim()) ? candidate.trim() : null;
}

function isHttpsUrl(text: string): boolean {
  try {
    return new URL(text).protocol === 'https:';
  } catch {
    return false;
  }
}
