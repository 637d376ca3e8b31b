import { AccessDeniedException, DescribeTaskDefinitionCommand, ECSClient, ECSServiceException } from '@aws-sdk/client-ecs';
import { mockClient } from 'aws-sdk-client-mock';
import 'aws-sdk-client-mock-vitest/extend';
import { describe, expect, it } from 'vitest';
import { ecsTaskDefinitionLookup, taskDefinitionInfo } from '../../../lib/aws/task-definitions.ts';
import { describeTaskDefinitionOutput, ecsClientAnswering, recordedBody } from '../../support/api-responses.ts';

const ORDERS_API = 'arn:aws:ecs:us-west-2:111122223333:task-definition/orders-api:212';
const WEBAPP = 'arn:aws:ecs:eu-west-1:111122223333:task-definition/webapp:15';

function mockedEcs() {
  const client = new ECSClient({ region: 'us-west-2' });
  return { client, ecs: mockClient(client) };
}

describe('ecsTaskDefinitionLookup', () => {
  it('reads family, revision, essential containers and awslogs settings from a recorded response', async () => {
    const { client, ecs } = mockedEcs();
    ecs.on(DescribeTaskDefinitionCommand, { taskDefinition: ORDERS_API }).resolves(describeTaskDefinitionOutput('orders-api-212'));

    const info = await ecsTaskDefinitionLookup(client)(ORDERS_API);

    expect(info).toEqual({
      family: 'orders-api',
      revision: 212,
      memoryMiB: 2048,
      tags: [],
      containers: [
        {
          name: 'orders-api',
          essential: true,
          awslogs: { group: '/ecs/orders-api', region: 'us-west-2', streamPrefix: 'ecs' },
          logDriver: 'awslogs',
          image: '111122223333.dkr.ecr.us-west-2.amazonaws.com/orders-api:2025.03.12-3',
          memoryMiB: 1536,
          memoryReservationMiB: null,
        },
        { name: 'envoy', essential: false, awslogs: null, logDriver: null, image: '840364872350.dkr.ecr.us-west-2.amazonaws.com/aws-appmesh-envoy:v1.29.6.0-prod', memoryMiB: 256, memoryReservationMiB: null },
      ],
    });
    expect(ecs).toHaveReceivedCommandWith(DescribeTaskDefinitionCommand, { taskDefinition: ORDERS_API, include: ['TAGS'] });
  });

  it('gives containers without the awslogs driver no log settings', async () => {
    const { client, ecs } = mockedEcs();
    ecs.on(DescribeTaskDefinitionCommand).resolves(describeTaskDefinitionOutput('webapp-15-json-file'));

    expect(await ecsTaskDefinitionLookup(client)(WEBAPP)).toEqual({
      family: 'webapp',
      revision: 15,
      memoryMiB: null,
      tags: [],
      containers: [
        { name: 'Webapp', essential: true, awslogs: null, logDriver: 'json-file', image: '111122223333.dkr.ecr.eu-west-1.amazonaws.com/webapp:d1a3f22', memoryMiB: null, memoryReservationMiB: 128 },
      ],
    });
  });

  it('calls ECS once for two lookups of the same revision, concurrent or not', async () => {
    const { client, ecs } = mockedEcs();
    ecs.on(DescribeTaskDefinitionCommand).resolves(describeTaskDefinitionOutput('orders-api-212'));
    const lookup = ecsTaskDefinitionLookup(client);

    const [first, second] = await Promise.all([lookup(ORDERS_API), lookup(ORDERS_API)]);
    const third = await lookup(ORDERS_API);

    expect(ecs).toHaveReceivedCommandTimes(DescribeTaskDefinitionCommand, 1);
    expect(second).toEqual(first);
    expect(third).toEqual(first);
  });

  it('forgets the least recently used revision beyond the cache size', async () => {
    const { client, ecs } = mockedEcs();
    ecs.on(DescribeTaskDefinitionCommand).resolves(describeTaskDefinitionOutput('orders-api-212'));
    const lookup = ecsTaskDefinitionLookup(client, { cacheSize: 2 });

    await lookup('a:1');
    await lookup('b:1');
    await lookup('a:1'); // a is now the most recently used
    await lookup('c:1'); // evicts b
    await lookup('a:1');
    expect(ecs).toHaveReceivedCommandTimes(DescribeTaskDefinitionCommand, 3);
    await lookup('b:1');
    expect(ecs).toHaveReceivedCommandTimes(DescribeTaskDefinitionCommand, 4);
  });

  it('resolves null and tries again next time when ECS throttles', async () => {
    const { client, ecs } = mockedEcs();
    const throttled = new ECSServiceException({ name: 'ThrottlingException', $fault: 'client', $metadata: { httpStatusCode: 400 }, message: 'Rate exceeded' });
    ecs.on(DescribeTaskDefinitionCommand).rejectsOnce(throttled).resolves(describeTaskDefinitionOutput('orders-api-212'));
    const lookup = ecsTaskDefinitionLookup(client);

    expect(await lookup(ORDERS_API)).toBeNull();
    expect(await lookup(ORDERS_API)).toMatchObject({ family: 'orders-api', revision: 212 });
    expect(ecs).toHaveReceivedCommandTimes(DescribeTaskDefinitionCommand, 2);
  });

  it('resolves null when the role may not describe task definitions', async () => {
    const { client, ecs } = mockedEcs();
    ecs.on(DescribeTaskDefinitionCommand).rejects(
      new AccessDeniedException({
        $metadata: { httpStatusCode: 400 },
        message: 'User: arn:aws:sts::111122223333:assumed-role/notifier/fn is not authorized to perform: ecs:DescribeTaskDefinition',
      }),
    );
    expect(await ecsTaskDefinitionLookup(client)(ORDERS_API)).toBeNull();
  });

  it('resolves null when ECS does not answer in time', async () => {
    const { client, ecs } = mockedEcs();
    ecs.on(DescribeTaskDefinitionCommand).callsFake(() => new Promise(() => undefined));
    const started = Date.now();
    expect(await ecsTaskDefinitionLookup(client, { timeoutMs: 20 })(ORDERS_API)).toBeNull();
    expect(Date.now() - started).toBeLessThan(1_000);
  });

  it('resolves null when the answer has no task definition', async () => {
    const { client, ecs } = mockedEcs();
    ecs.on(DescribeTaskDefinitionCommand).resolves({});
    expect(await ecsTaskDefinitionLookup(client)(ORDERS_API)).toBeNull();
  });
});

describe('taskDefinitionInfo', () => {
  it('treats a container without `essential` as essential and an awslogs config without a group as none', () => {
    expect(
      taskDefinitionInfo({
        family: 'f',
        revision: 1,
        containerDefinitions: [{ name: 'app', logConfiguration: { logDriver: 'awslogs', options: { 'awslogs-region': 'us-west-2' } } }, { image: 'nameless' }],
      }),
    ).toEqual({ family: 'f', revision: 1, memoryMiB: null, tags: [], containers: [{ name: 'app', essential: true, awslogs: null, logDriver: 'awslogs', image: null, memoryMiB: null, memoryReservationMiB: null }] });
  });

  it('reads the task memory only as a whole number of MiB, and the tags the answer carries with include TAGS', () => {
    const info = (memory: string | undefined) => taskDefinitionInfo({ family: 'f', revision: 1, memory }, [{ key: 'owner', value: 'team-a' }, { value: 'keyless' }]);
    expect([info('1024')?.memoryMiB, info(' 512 ')?.memoryMiB, info('1 GB')?.memoryMiB, info('')?.memoryMiB, info(undefined)?.memoryMiB, info('12345678')?.memoryMiB]).toEqual([1024, 512, null, null, null, null]);
    expect(info('1024')?.tags).toEqual([{ key: 'owner', value: 'team-a' }]);
  });

  it('reads the checkout release recorded with its tags (include TAGS) through the SDK deserializer', async () => {
    const client = ecsClientAnswering({ DescribeTaskDefinition: 'describe-task-definition/checkout-42.json' }, 'eu-west-1');
    const info = await ecsTaskDefinitionLookup(client)('arn:aws:ecs:eu-west-1:111122223333:task-definition/checkout:42');
    expect(info).toMatchObject({
      family: 'checkout',
      revision: 42,
      memoryMiB: 1024,
      tags: [{ key: 'owner', value: 'team-checkout' }, { key: 'cost-center', value: 'shop' }],
      containers: [{ name: 'checkout', image: '111122223333.dkr.ecr.eu-west-1.amazonaws.com/checkout:2025.09.16-1', memoryMiB: null, memoryReservationMiB: 768, awslogs: { group: '/ecs/checkout', region: 'eu-west-1', streamPrefix: 'ecs' } }],
    });
  });

  it('reads the recorded wire body the same way through the SDK deserializer', async () => {
    // The real ECS client, with a request handler that answers with the recorded HTTP body: proves the fixture is a
    // response the SDK accepts, and that the test helper converts it as the SDK does.
    const client = new ECSClient({
      region: 'us-west-2',
      credentials: { accessKeyId: 'AKIDEXAMPLE', secretAccessKey: 'secret' },
      requestHandler: {
        handle: async () => ({
          response: {
            statusCode: 200,
            reason: 'OK',
            headers: { 'content-type': 'application/x-amz-json-1.1', 'x-amzn-requestid': 'b1a1c2d3-0000-4000-8000-000000000000' },
            body: new TextEncoder().encode(recordedBody('describe-task-definition/orders-api-212.json')),
          },
        }),
      },
    });
    const output = await client.send(new DescribeTaskDefinitionCommand({ taskDefinition: ORDERS_API }));
    const { $metadata: _ignored, ...fromSdk } = output;
    const { $metadata: _alsoIgnored, ...fromHelper } = describeTaskDefinitionOutput('orders-api-212');
    expect(fromSdk).toEqual(fromHelper);
    expect(output.taskDefinition?.registeredAt).toEqual(new Date('2025-03-12T14:36:51.512Z'));
    expect(await ecsTaskDefinitionLookup(client)(ORDERS_API)).toMatchObject({ family: 'orders-api', revision: 212 });
  });

  it("reads the member account's recorded wire body the same way through the SDK deserializer", async () => {
    const client = ecsClientAnswering({ DescribeTaskDefinition: 'describe-task-definition/thumbnailer-7-222222222222.json' });
    const { $metadata: _ignored, ...fromSdk } = await client.send(new DescribeTaskDefinitionCommand({ taskDefinition: 'thumbnailer:7' }));
    const { $metadata: _alsoIgnored, ...fromHelper } = describeTaskDefinitionOutput('thumbnailer-7-222222222222');
    expect(fromSdk).toEqual(fromHelper);
    expect(taskDefinitionInfo(fromSdk.taskDefinition)).toEqual({
      family: 'thumbnailer',
      revision: 7,
      memoryMiB: 2048,
      tags: [],
      containers: [
        {
          name: 'thumbnailer',
          essential: true,
          awslogs: { group: '/ecs/thumbnailer', region: 'us-west-2', streamPrefix: 'ecs' },
          logDriver: 'awslogs',
          image: '222222222222.dkr.ecr.us-west-2.amazonaws.com/thumbnailer:1.7.2',
          memoryMiB: 2048,
          memoryReservationMiB: null,
        },
      ],
    });
  });
});
