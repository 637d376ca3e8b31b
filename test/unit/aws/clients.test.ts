import { describe, expect, it, vi } from 'vitest';
import { clientConfig, dynamoDocumentClient, ecsClient, secretsClient, snsClient, ssmClient } from '../../../lib/aws/clients.ts';

describe('clients', () => {
  it('builds each client once and reuses it', () => {
    expect(snsClient()).toBe(snsClient());
    expect(ecsClient()).toBe(ecsClient());
    expect(ssmClient()).toBe(ssmClient());
    expect(secretsClient()).toBe(secretsClient());
    expect(dynamoDocumentClient()).toBe(dynamoDocumentClient());
  });

  it('uses the standard retry mode with AWS_MAX_ATTEMPTS attempts', async () => {
    vi.stubEnv('AWS_MAX_ATTEMPTS', '4');
    expect(clientConfig()).toMatchObject({ maxAttempts: 4, retryMode: 'standard' });
    expect(await snsClient().config.retryStrategy()).toMatchObject({ mode: 'standard' });
  });

  it('leaves undefined attributes out of DynamoDB items', () => {
    expect(dynamoDocumentClient().config.translateConfig?.marshallOptions?.removeUndefinedValues).toBe(true);
  });
});
