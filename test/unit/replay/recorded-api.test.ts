import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { EcsLookups, EventOrigin } from '../../../lib/aws/account-lookups.ts';
import { recordedLookups } from '../../../lib/replay/recorded-api.ts';
import { EVENTS_DIR } from '../../support/fixtures.ts';
import { BATCH_EC2_INSTANCE } from '../../support/api-responses.ts';

const API_DIR = join(EVENTS_DIR, 'api');

/** An api/ folder with nothing recorded. */
function emptyApiDir(): string {
  return mkdtempSync(join(tmpdir(), 'recorded-api-'));
}

function origin(account: string | null, region: string | null): EventOrigin {
  return { account, region, partition: 'aws' };
}

/** The recorded lookups an event of this account and Region gets. */
async function lookupsOf(account: string | null, region: string | null, apiDir = API_DIR): Promise<EcsLookups> {
  return (await recordedLookups(apiDir))(origin(account, region));
}

const MONITOR = '111122223333';
const MEMBER = '222222222222';

describe('recordedLookups', () => {
  describe('services', () => {
    it('answers a recorded service by cluster and service name', async () => {
      const { services } = await lookupsOf(MONITOR, 'eu-west-1');
      expect(await services('shop-prod', 'checkout')).toMatchObject({
        serviceArn: 'arn:aws:ecs:eu-west-1:111122223333:service/shop-prod/checkout',
        taskDefinition: 'arn:aws:ecs:eu-west-1:111122223333:task-definition/checkout:41',
        deployments: [{ id: 'ecs-svc/6172093350118462233', rolloutState: 'COMPLETED', createdAt: '2025-06-03T09:21:47.356Z' }],
      });
      const usWest = await lookupsOf(MONITOR, 'us-west-2');
      expect(await usWest.services('prod', 'thumbnailer')).toMatchObject({ capacityProviders: ['FARGATE_SPOT'], runningCount: 2, pendingCount: 1 });
      expect(await usWest.services('prod', 'orders-api')).toMatchObject({ desiredCount: 4, runningCount: 1, deployments: [{ id: 'ecs-svc/9571171551795520066' }] });
    });

    it('answers the same when cluster and service are given as ARNs', async () => {
      const { services } = await lookupsOf(MONITOR, 'us-west-2');
      expect(await services('arn:aws:ecs:us-west-2:111122223333:cluster/prod', 'arn:aws:ecs:us-west-2:111122223333:service/prod/orders-api')).toEqual(
        await services('prod', 'orders-api'),
      );
    });

    it('answers each account from its own recording of a same-named cluster and service', async () => {
      expect(await (await lookupsOf(MEMBER, 'us-west-2')).services('prod', 'thumbnailer')).toMatchObject({
        serviceArn: 'arn:aws:ecs:us-west-2:222222222222:service/prod/thumbnailer',
        desiredCount: 4,
        runningCount: 3,
      });
      expect(await (await lookupsOf(MONITOR, 'us-west-2')).services('prod', 'thumbnailer')).toMatchObject({
        serviceArn: 'arn:aws:ecs:us-west-2:111122223333:service/prod/thumbnailer',
        desiredCount: 3,
        runningCount: 2,
      });
    });

    it('answers null for a service recorded only in another account or Region', async () => {
      expect(await (await lookupsOf(MEMBER, 'us-west-2')).services('prod', 'orders-api')).toBeNull();
      expect(await (await lookupsOf('333333333333', 'us-west-2')).services('prod', 'thumbnailer')).toBeNull();
      expect(await (await lookupsOf(MONITOR, 'us-east-1')).services('prod', 'orders-api')).toBeNull();
    });

    it('answers null for a service that was not recorded, or recorded in another cluster', async () => {
      const { services } = await lookupsOf(MONITOR, 'us-west-2');
      expect(await services('prod', 'checkout')).toBeNull();
      expect(await (await lookupsOf(MONITOR, 'eu-west-1')).services('shop-prod', 'payments')).toBeNull();
      expect(await (await lookupsOf(MONITOR, 'eu-west-1', emptyApiDir())).services('shop-prod', 'checkout')).toBeNull();
    });

    it('matches any account and Region for an event that names neither', async () => {
      expect(await (await lookupsOf(null, null)).services('shop-prod', 'checkout')).toMatchObject({ serviceName: 'checkout' });
    });
  });

  describe('instances', () => {
    it('answers a recorded instance and its tasks, searching every recorded cluster when none are given', async () => {
      const { instances } = await lookupsOf(MONITOR, 'us-east-1');
      expect(await instances('i-0b1c2d3e4f5a6b7c8', [])).toEqual(BATCH_EC2_INSTANCE);
    });

    it('searches only the clusters given, by name or ARN', async () => {
      const { instances } = await lookupsOf(MONITOR, 'us-east-1');
      expect(await instances('i-0b1c2d3e4f5a6b7c8', ['prod', 'batch-ec2'])).toEqual(BATCH_EC2_INSTANCE);
      expect(await instances('i-0b1c2d3e4f5a6b7c8', ['arn:aws:ecs:us-east-1:111122223333:cluster/batch-ec2'])).toEqual(BATCH_EC2_INSTANCE);
      expect(await instances('i-0b1c2d3e4f5a6b7c8', ['prod'])).toBeNull();
    });

    it('answers null for an instance that was not recorded, or recorded in another account', async () => {
      expect(await (await lookupsOf(MONITOR, 'us-east-1')).instances('i-0123456789abcdef0', [])).toBeNull();
      expect(await (await lookupsOf(MONITOR, 'us-east-1', emptyApiDir())).instances('i-0b1c2d3e4f5a6b7c8', [])).toBeNull();
      expect(await (await lookupsOf(MEMBER, 'us-east-1')).instances('i-0b1c2d3e4f5a6b7c8', [])).toBeNull();
    });
  });

  describe('tasks', () => {
    const RETIRING = ['arn:aws:ecs:us-east-1:111122223333:task/batch-ec2/a1b2c3d4e5f60718293a4b5c6d7e8f90'];

    it('answers the recorded tasks of the account, and null when none is recorded there', async () => {
      expect(await (await lookupsOf(MONITOR, 'us-east-1')).tasks('batch-ec2', RETIRING)).toEqual([BATCH_EC2_INSTANCE.tasks[0]]);
      expect(await (await lookupsOf(MEMBER, 'us-east-1')).tasks('batch-ec2', RETIRING)).toBeNull();
    });
  });

  describe('taskDefinitions', () => {
    it('answers a recorded task definition by ARN and null for others', async () => {
      const { taskDefinitions } = await lookupsOf(MONITOR, 'us-west-2');
      expect(await taskDefinitions('arn:aws:ecs:us-west-2:111122223333:task-definition/orders-api:212')).toMatchObject({ family: 'orders-api', revision: 212 });
      expect(await taskDefinitions('arn:aws:ecs:us-west-2:111122223333:task-definition/orders-api:211')).toBeNull();
    });

    it("answers a member account's task definition to that account's events only", async () => {
      const arn = 'arn:aws:ecs:us-west-2:222222222222:task-definition/thumbnailer:7';
      expect(await (await lookupsOf(MEMBER, 'us-west-2')).taskDefinitions(arn)).toMatchObject({
        family: 'thumbnailer',
        revision: 7,
        containers: [{ name: 'thumbnailer', essential: true, awslogs: { group: '/ecs/thumbnailer', region: 'us-west-2', streamPrefix: 'ecs' } }],
      });
      expect(await (await lookupsOf(MONITOR, 'us-west-2')).taskDefinitions(arn)).toBeNull();
    });
  });
});
