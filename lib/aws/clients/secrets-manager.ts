import { SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { clientConfig } from './config.ts';

let secrets: SecretsManagerClient | undefined;

/** Secrets Manager, for the Slack webhook kept as a secret. */
export function secretsClient(): SecretsManagerClient {
  secrets ??= new SecretsManagerClient(clientConfig());
  return secrets;
}
