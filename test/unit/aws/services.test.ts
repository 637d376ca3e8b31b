import { AccessDeniedException, DescribeServicesCommand, ECSClient, ECSServiceException } from '@aws-sdk/client-ecs';
import { mockClient } from 'aws-sdk-client-mock';
import 'aws-sdk-client-mock-vitest/extend';
import { describe, expect, it } from 'vitest';
import { ecsServiceLookup, isoTime, serviceSnapshot, type ServiceFields } from '../../../lib/aws/services.ts';
import { describeServicesOutput, ecsClientAnswering, recordedBody } from '../../support/api-responses.ts';

function mockedEcs() {
  const client = new ECSClient({ region: 'eu-west-1' });
  return { client, ecs: mockClient(client) };
}

/** A clock the test moves by hand. */
function manualClock(start = 1_748_942_700_000) {
  let now = start;
  return { clock: () => now, advance: (ms: number) => (now += ms) };
}

const CHECKOUT = {
  serviceArn: 'arn:aws:ecs:eu-west-1:111122223333:service/shop-prod/checkout',
  serviceName: 'checkout',
  clusterArn: 'arn:aws:ecs:eu-west-1:111122223333:cluster/shop-prod',
  status: 'ACTIVE',
  desiredCount: 4,
  runningCount: 4,
  pendingCount: 0,
  taskDefinition: 'arn:aws:ecs:eu-west-1:111122223333:task-definition/checkout:41',
  capacityProviders: [],
  deployments: [
    {
      id: 'ecs-svc/6172093350118462233',
      status: 'PRIMARY',
      rolloutState: 'COMPLETED',
      rolloutStateReason: 'ECS deployment ecs-svc/6172093350118462233 completed.',
      taskDefinition: 'arn:aws:ecs:eu-west-1:111122223333:task-definition/checkout:41',
      desiredCount: 4,
      runningCount: 4,
      pendingCount: 0,
      failedTasks: 0,
      createdAt: '2025-06-03T09:21:47.356Z',
      updatedAt: '2025-06-03T09:24:18.902Z',
    },
  ],
  tags: [
    { key: 'runbook', value: 'https://wiki.example.com/runbooks/checkout' },
    { key: 'owner', value: 'team-checkout (#checkout-oncall)' },
  ],
};

describe('ecsServiceLookup', () => {
  it('reads counts, task definition and the rollback deployment from a recorded response', async () => {
    const { client, ecs } = mockedEcs();
    ecs.on(DescribeServicesCommand, { cluster: 'shop-prod', services: ['checkout'] }).resolves(describeServicesOutput('checkout'));

    const snapshot = await ecsServiceLookup(client)('shop-prod', 'checkout');

    expect(snapshot).toEqual(CHECKOUT);
    expect(ecs).toHaveReceivedCommandWith(DescribeServicesCommand, { cluster: 'shop-prod', services: ['checkout'], include: ['TAGS'] });
  });

  it('names the capacity providers of a service that runs on a capacity provider strategy', async () => {
    const { client, ecs } = mockedEcs();
    ecs.on(DescribeServicesCommand).resolves(describeServicesOutput('thumbnailer'));

    expect(await ecsServiceLookup(client)('prod', 'thumbnailer')).toMatchObject({
      serviceName: 'thumbnailer',
      desiredCount: 3,
      runningCount: 2,
      pendingCount: 1,
      capacityProviders: ['FARGATE_SPOT'],
      deployments: [{ id: 'ecs-svc/2974378705357175329', status: 'PRIMARY', rolloutState: 'COMPLETED' }],
    });
  });

  it('finds the service when it is asked for by ARN', async () => {
    const { client, ecs } = mockedEcs();
    ecs.on(DescribeServicesCommand).resolves(describeServicesOutput('checkout'));

    expect(await ecsServiceLookup(client)('arn:aws:ecs:eu-west-1:111122223333:cluster/shop-prod', CHECKOUT.serviceArn)).toEqual(CHECKOUT);
  });

  it('calls ECS once for lookups within the TTL, concurrent or not, and again after it', async () => {
    const { client, ecs } = mockedEcs();
    ecs.on(DescribeServicesCommand).resolves(describeServicesOutput('checkout'));
    const { clock, advance } = manualClock();
    const lookup = ecsServiceLookup(client, { ttlMs: 30_000, clock });

    const [first, second] = await Promise.all([lookup('shop-prod', 'checkout'), lookup('shop-prod', 'checkout')]);
    advance(29_999);
    const third = await lookup('shop-prod', 'checkout');
    expect(ecs).toHaveReceivedCommandTimes(DescribeServicesCommand, 1);
    expect(second).toEqual(first);
    expect(third).toEqual(first);

    advance(1);
    await lookup('shop-prod', 'checkout');
    expect(ecs).toHaveReceivedCommandTimes(DescribeServicesCommand, 2);
  });

  it('caches each service apart', async () => {
    const { client, ecs } = mockedEcs();
    ecs.on(DescribeServicesCommand, { services: ['checkout'] }).resolves(describeServicesOutput('checkout'));
    ecs.on(DescribeServicesCommand, { services: ['orders-api'] }).resolves(describeServicesOutput('orders-api'));
    const lookup = ecsServiceLookup(client);

    expect(await lookup('shop-prod', 'checkout')).toMatchObject({ serviceName: 'checkout' });
    expect(await lookup('prod', 'orders-api')).toMatchObject({ serviceName: 'orders-api', desiredCount: 4, runningCount: 1 });
    expect(ecs).toHaveReceivedCommandTimes(DescribeServicesCommand, 2);
  });

  it('resolves null and tries again next time when ECS throttles', async () => {
    const { client, ecs } = mockedEcs();
    const throttled = new ECSServiceException({ name: 'ThrottlingException', $fault: 'client', $metadata: { httpStatusCode: 400 }, message: 'Rate exceeded' });
    ecs.on(DescribeServicesCommand).rejectsOnce(throttled).resolves(describeServicesOutput('checkout'));
    const lookup = ecsServiceLookup(client);

    expect(await lookup('shop-prod', 'checkout')).toBeNull();
    expect(await lookup('shop-prod', 'checkout')).toEqual(CHECKOUT);
    expect(ecs).toHaveReceivedCommandTimes(DescribeServicesCommand, 2);
  });

  it('resolves null when the role may not describe services', async () => {
    const { client, ecs } = mockedEcs();
    ecs.on(DescribeServicesCommand).rejects(
      new AccessDeniedException({
        $metadata: { httpStatusCode: 400 },
        message: 'User: arn:aws:sts::111122223333:assumed-role/notifier/fn is not authorized to perform: ecs:DescribeServices',
      }),
    );
    expect(await ecsServiceLookup(client)('shop-prod', 'checkout')).toBeNull();
  });

  it('resolves null when ECS does not answer in time', async () => {
    const { client, ecs } = mockedEcs();
    ecs.on(DescribeServicesCommand).callsFake(() => new Promise(() => undefined));
    const started = Date.now();
    expect(await ecsServiceLookup(client, { timeoutMs: 20 })('shop-prod', 'checkout')).toBeNull();
    expect(Date.now() - started).toBeLessThan(1_000);
  });

  it('resolves null, and does not cache it, when ECS reports the service MISSING', async () => {
    const { client, ecs } = mockedEcs();
    ecs
      .on(DescribeServicesCommand)
      .resolvesOnce({ services: [], failures: [{ arn: 'arn:aws:ecs:eu-west-1:111122223333:service/shop-prod/checkout', reason: 'MISSING' }], $metadata: {} })
      .resolves(describeServicesOutput('checkout'));
    const lookup = ecsServiceLookup(client);

    expect(await lookup('shop-prod', 'checkout')).toBeNull();
    expect(await lookup('shop-prod', 'checkout')).toEqual(CHECKOUT);
  });

  it('resolves null when the answer describes another service', async () => {
    const { client, ecs } = mockedEcs();
    ecs.on(DescribeServicesCommand).resolves(describeServicesOutput('orders-api'));
    expect(await ecsServiceLookup(client)('shop-prod', 'checkout')).toBeNull();
  });
});

describe('serviceSnapshot', () => {
  it('keeps the tags that have a key, a missing value read as empty, at most 50', () => {
    const tags = [{ key: 'owner', value: 'team-a' }, { value: 'orphan' }, { key: 'runbook' }, ...Array.from({ length: 60 }, (_, index) => ({ key: `k${index}`, value: 'v' }))];
    const snapshot = serviceSnapshot({ serviceArn: 'arn:aws:ecs:us-west-2:111122223333:service/prod/api', serviceName: 'api', clusterArn: 'arn:aws:ecs:us-west-2:111122223333:cluster/prod', status: 'ACTIVE', tags });
    expect(snapshot?.tags?.slice(0, 3)).toEqual([{ key: 'owner', value: 'team-a' }, { key: 'runbook', value: '' }, { key: 'k0', value: 'v' }]);
    expect(snapshot?.tags).toHaveLength(50);
  });

  it('reads the recorded wire body (epoch seconds) as it reads the SDK output (Dates)', () => {
    const wire: unknown = JSON.parse(recordedBody('describe-services/checkout.json'));
    const fromWire = serviceSnapshot((wire as { services: ServiceFields[] }).services[0]);
    expect(fromWire).toEqual(CHECKOUT);
    expect(fromWire).toEqual(serviceSnapshot(describeServicesOutput('checkout').services?.[0]));
  });

  it('skips deployments without an id and fills absent counts and times', () => {
    expect(
      serviceSnapshot({
        serviceArn: 'arn:aws:ecs:us-west-2:111122223333:service/prod/api',
        serviceName: 'api',
        clusterArn: 'arn:aws:ecs:us-west-2:111122223333:cluster/prod',
        status: 'DRAINING',
        deployments: [{ status: 'PRIMARY' }, { id: 'ecs-svc/1' }],
      }),
    ).toEqual({
      serviceArn: 'arn:aws:ecs:us-west-2:111122223333:service/prod/api',
      serviceName: 'api',
      clusterArn: 'arn:aws:ecs:us-west-2:111122223333:cluster/prod',
      status: 'DRAINING',
      desiredCount: 0,
      runningCount: 0,
      pendingCount: 0,
      taskDefinition: null,
      capacityProviders: [],
      deployments: [
        {
          id: 'ecs-svc/1',
          status: 'UNKNOWN',
          rolloutState: null,
          rolloutStateReason: null,
          taskDefinition: null,
          desiredCount: 0,
          runningCount: 0,
          pendingCount: 0,
          failedTasks: 0,
          createdAt: null,
          updatedAt: null,
        },
      ],
      tags: [],
    });
  });

  it('gives nothing for an entry without its name', () => {
    expect(serviceSnapshot({ serviceArn: 'arn:aws:ecs:us-west-2:111122223333:service/prod/api', clusterArn: 'c', status: 'ACTIVE' })).toBeNull();
    expect(serviceSnapshot(undefined)).toBeNull();
  });

  it('reads every recorded DescribeServices body the same way through the SDK deserializer', async () => {
    // The real ECS client, answering with the recorded HTTP bodies: proves each fixture is a response the SDK
    // accepts, and that the test helper converts it as the SDK does.
    for (const variant of ['checkout', 'thumbnailer', 'orders-api', 'thumbnailer-222222222222']) {
      const client = ecsClientAnswering({ DescribeServices: `describe-services/${variant}.json` });
      const { $metadata: _ignored, ...fromSdk } = await client.send(new DescribeServicesCommand({ services: [variant] }));
      const { $metadata: _alsoIgnored, ...fromHelper } = describeServicesOutput(variant);
      expect(fromSdk).toEqual(fromHelper);
    }
    const client = ecsClientAnswering({ DescribeServices: 'describe-services/checkout.json' });
    expect(await ecsServiceLookup(client)('shop-prod', 'checkout')).toEqual(CHECKOUT);
  });
});

describe('isoTime', () => {
  it('reads Dates and epoch seconds alike and drops invalid times', () => {
    expect(isoTime(new Date('2025-06-03T09:21:47.356Z'))).toBe('2025-06-03T09:21:47.356Z');
    expect(isoTime(1748942507.356)).toBe('2025-06-03T09:21:47.356Z');
    expect(isoTime(new Date(Number.NaN))).toBeNull();
    expect(isoTime(undefined)).toBeNull();
  });
});
