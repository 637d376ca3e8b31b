import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { recordedInstances, recordedServices, recordedTaskDefinitions } from '../../../lib/replay/recorded-api.ts';
import { EVENTS_DIR } from '../../support/fixtures.ts';
import { BATCH_EC2_INSTANCE } from '../../support/api-responses.ts';

const API_DIR = join(EVENTS_DIR, 'api');

/** An api/ folder with nothing recorded. */
function emptyApiDir(): string {
  return mkdtempSync(join(tmpdir(), 'recorded-api-'));
}

describe('recordedServices', () => {
  it('answers a recorded service by cluster and service name', async () => {
    const lookup = await recordedServices(API_DIR);

    expect(await lookup('shop-prod', 'checkout')).toMatchObject({
      serviceArn: 'arn:aws:ecs:eu-west-1:111122223333:service/shop-prod/checkout',
      taskDefinition: 'arn:aws:ecs:eu-west-1:111122223333:task-definition/checkout:41',
      deployments: [{ id: 'ecs-svc/6172093350118462233', rolloutState: 'COMPLETED', createdAt: '2025-06-03T09:21:47.356Z' }],
    });
    expect(await lookup('prod', 'thumbnailer')).toMatchObject({ capacityProviders: ['FARGATE_SPOT'], runningCount: 2, pendingCount: 1 });
    expect(await lookup('prod', 'orders-api')).toMatchObject({ desiredCount: 4, runningCount: 1, deployments: [{ id: 'ecs-svc/9571171551795520066' }] });
  });

  it('answers the same when cluster and service are given as ARNs', async () => {
    const lookup = await recordedServices(API_DIR);
    expect(await lookup('arn:aws:ecs:us-west-2:111122223333:cluster/prod', 'arn:aws:ecs:us-west-2:111122223333:service/prod/orders-api')).toEqual(
      await lookup('prod', 'orders-api'),
    );
  });

  it('answers null for a service that was not recorded, or recorded in another cluster', async () => {
    const lookup = await recordedServices(API_DIR);
    expect(await lookup('prod', 'checkout')).toBeNull();
    expect(await lookup('shop-prod', 'payments')).toBeNull();
    expect(await (await recordedServices(emptyApiDir()))('shop-prod', 'checkout')).toBeNull();
  });
});

describe('recordedInstances', () => {
  const FOUND = BATCH_EC2_INSTANCE;


  it('answers a recorded instance and its tasks, searching every recorded cluster when none are given', async () => {
    const lookup = await recordedInstances(API_DIR);
    expect(await lookup('i-0b1c2d3e4f5a6b7c8', [])).toEqual(FOUND);
  });

  it('searches only the clusters given, by name or ARN', async () => {
    const lookup = await recordedInstances(API_DIR);
    expect(await lookup('i-0b1c2d3e4f5a6b7c8', ['prod', 'batch-ec2'])).toEqual(FOUND);
    expect(await lookup('i-0b1c2d3e4f5a6b7c8', ['arn:aws:ecs:us-east-1:111122223333:cluster/batch-ec2'])).toEqual(FOUND);
    expect(await lookup('i-0b1c2d3e4f5a6b7c8', ['prod'])).toBeNull();
  });

  it('answers null for an instance that was not recorded', async () => {
    expect(await (await recordedInstances(API_DIR))('i-0123456789abcdef0', [])).toBeNull();
    expect(await (await recordedInstances(emptyApiDir()))('i-0b1c2d3e4f5a6b7c8', [])).toBeNull();
  });
});

describe('recordedTaskDefinitions', () => {
  it('answers a recorded task definition by ARN and null for others', async () => {
    const lookup = await recordedTaskDefinitions(API_DIR);
    expect(await lookup('arn:aws:ecs:us-west-2:111122223333:task-definition/orders-api:212')).toMatchObject({ family: 'orders-api', revision: 212 });
    expect(await lookup('arn:aws:ecs:us-west-2:111122223333:task-definition/orders-api:211')).toBeNull();
  });
});
