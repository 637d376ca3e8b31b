import { describe, expect, it, vi } from 'vitest';
import { clientConfig } from '../../../lib/aws/clients/config.ts';
import { dynamoDocumentClient } from '../../../lib/aws/clients/dynamodb.ts';
import { ecsClient, regionalEcsClient } from '../../../lib/aws/clients/ecs.ts';
import { secretsClient } from '../../../lib/aws/clients/secrets-manager.ts';
import { snsClient } from '../../../lib/aws/clients/sns.ts';
import { ssmClient } from '../../../lib/aws/clients/ssm.ts';
import { stsClient } from '../../../lib/aws/clients/sts.ts';

describe('clients', () => {
  it('builds each client once and reuses it', () => {
    expect(snsClient()).toBe(snsClient());
    expect(ecsClient()).toBe(ecsClient());
    expect(ssmClient()).toBe(ssmClient());
    expect(secretsClient()).toBe(secretsClient());
    expect(dynamoDocumentClient()).toBe(dynamoDocumentClient());
    expect(stsClient()).toBe(stsClient());
  });

  it('uses the standard retry mode with AWS_MAX_ATTEMPTS attempts', async () => {
    vi.stubEnv('AWS_MAX_ATTEMPTS', '4');
    expect(clientConfig()).toMatchObject({ maxAttempts: 4, retryMode: 'standard' });
    expect(await snsClient().config.retryStrategy()).toMatchObject({ mode: 'standard' });
  });

  it('builds an ECS client for a Region, signing with the credentials it is given or the function’s own', async () => {
    const member = { accessKeyId: 'ASIAMEMBEREXAMPLE', secretAccessKey: 'secret', sessionToken: 'token', expiration: new Date('2099-01-01T00:00:00Z') };
    const client = regionalEcsClient('ap-southeast-2', async () => member);
    expect(await client.config.region()).toBe('ap-southeast-2');
    expect(await client.config.credentials()).toMatchObject({ accessKeyId: 'ASIAMEMBEREXAMPLE', sessionToken: 'token' });
    expect(await client.config.maxAttempts()).toBe(clientConfig().maxAttempts);
    expect(regionalEcsClient('ap-southeast-2')).not.toBe(regionalEcsClient('ap-southeast-2'));
  });

  it('leaves undefined attributes out of DynamoDB items', () => {
    expect(dynamoDocumentClient().config.translateConfig?.marshallOptions?.removeUndefinedValues).toBe(true);
  });
});
