import {
  AccessDeniedException,
  DescribeTasksCommand,
  ECSClient,
  ECSServiceException,
  ListClustersCommand,
  ListContainerInstancesCommand,
  ListTasksCommand,
  type Task,
} from '@aws-sdk/client-ecs';
import { mockClient } from 'aws-sdk-client-mock';
import 'aws-sdk-client-mock-vitest/extend';
import { describe, expect, it } from 'vitest';
import { clusterArnOf, ec2InstanceFilter, ecsInstanceLookup, ecsTaskLookup, instanceTask } from '../../../lib/aws/instances.ts';
import { BATCH_EC2_INSTANCE, describeTasksOutput, ecsClientAnswering, listContainerInstancesOutput, listTasksOutput } from '../../support/api-responses.ts';

const INSTANCE = 'i-0b1c2d3e4f5a6b7c8';
const CONTAINER_INSTANCE = 'arn:aws:ecs:us-east-1:111122223333:container-instance/batch-ec2/7c1e4b2a9d3f4e6a8b0c2d4e6f8a1b3c';
const FOUND = BATCH_EC2_INSTANCE;

/** An ECS mock that knows the recorded instance in cluster batch-ec2 and finds nothing elsewhere. */
function mockedEcs() {
  const client = new ECSClient({ region: 'us-east-1' });
  const ecs = mockClient(client);
  ecs.on(ListContainerInstancesCommand).resolves({ containerInstanceArns: [], $metadata: {} });
  ecs
    .on(ListContainerInstancesCommand, { cluster: 'batch-ec2', filter: `ec2InstanceId == ${INSTANCE}` })
    .resolves(listContainerInstancesOutput(`batch-ec2-${INSTANCE}`));
  ecs.on(ListTasksCommand, { cluster: 'batch-ec2', containerInstance: CONTAINER_INSTANCE }).resolves(listTasksOutput('batch-ec2-7c1e4b2a9d3f4e6a8b0c2d4e6f8a1b3c'));
  ecs.on(DescribeTasksCommand).resolves(describeTasksOutput('batch-ec2-instance-tasks'));
  return { client, ecs };
}

/** A RUNNING service task of cluster batch-ec2 with the given number. */
function runningTask(n: number): Task {
  return { taskArn: `arn:aws:ecs:us-east-1:111122223333:task/batch-ec2/${n.toString(16).padStart(32, '0')}`, group: 'service:ingest', lastStatus: 'RUNNING' };
}

describe('ecsInstanceLookup', () => {
  it('finds the instance in the given clusters and reads the service of each task from a recorded response', async () => {
    const { client, ecs } = mockedEcs();

    const found = await ecsInstanceLookup(client)(INSTANCE, ['shop-prod', 'batch-ec2']);

    expect(found).toEqual(FOUND);
    expect(ecs).toHaveReceivedCommandWith(ListContainerInstancesCommand, { cluster: 'shop-prod', filter: 'ec2InstanceId == i-0b1c2d3e4f5a6b7c8' });
    expect(ecs).toHaveReceivedCommandWith(DescribeTasksCommand, { cluster: 'batch-ec2', tasks: FOUND.tasks.map((task) => task.taskArn) });
    expect(ecs).not.toHaveReceivedCommand(ListClustersCommand);
  });

  it('searches every cluster, page by page, when none are given', async () => {
    const { client, ecs } = mockedEcs();
    ecs
      .on(ListClustersCommand)
      .resolves({ clusterArns: ['arn:aws:ecs:us-east-1:111122223333:cluster/default'], nextToken: 'page-2', $metadata: {} })
      .on(ListClustersCommand, { nextToken: 'page-2' })
      .resolves({ clusterArns: ['arn:aws:ecs:us-east-1:111122223333:cluster/batch-ec2'], $metadata: {} });
    ecs
      .on(ListContainerInstancesCommand, { cluster: 'arn:aws:ecs:us-east-1:111122223333:cluster/batch-ec2' })
      .resolves(listContainerInstancesOutput(`batch-ec2-${INSTANCE}`));
    ecs.on(ListTasksCommand, { cluster: 'arn:aws:ecs:us-east-1:111122223333:cluster/batch-ec2' }).resolves(listTasksOutput('batch-ec2-7c1e4b2a9d3f4e6a8b0c2d4e6f8a1b3c'));

    expect(await ecsInstanceLookup(client)(INSTANCE, [])).toEqual(FOUND);
    expect(ecs).toHaveReceivedCommandTimes(ListClustersCommand, 2);
    expect(ecs).toHaveReceivedCommandWith(ListContainerInstancesCommand, { cluster: 'arn:aws:ecs:us-east-1:111122223333:cluster/default' });
  });

  it('reads every page of ListTasks and describes the tasks 100 at a time, in ListTasks order', async () => {
    const { client, ecs } = mockedEcs();
    const tasks = Array.from({ length: 150 }, (_, n) => runningTask(n));
    const arns = tasks.map((task) => task.taskArn ?? '');
    ecs
      .on(ListTasksCommand)
      .resolves({ taskArns: arns.slice(0, 100), nextToken: 'more', $metadata: {} })
      .on(ListTasksCommand, { nextToken: 'more' })
      .resolves({ taskArns: arns.slice(100), $metadata: {} });
    // ECS answers a batch in its own order, and a task that stopped meanwhile under `failures`.
    ecs.on(DescribeTasksCommand).callsFake((input: { tasks: string[] }) => ({
      tasks: tasks.filter((task) => input.tasks.includes(task.taskArn ?? '') && task !== tasks[7]).reverse(),
      failures: [{ arn: arns[7], reason: 'MISSING' }],
    }));

    const found = await ecsInstanceLookup(client)(INSTANCE, ['batch-ec2']);

    expect(ecs).toHaveReceivedCommandTimes(ListTasksCommand, 2);
    expect(ecs).toHaveReceivedCommandTimes(DescribeTasksCommand, 2);
    expect(ecs).toHaveReceivedNthCommandWith(DescribeTasksCommand, 1, { cluster: 'batch-ec2', tasks: arns.slice(0, 100) });
    expect(ecs).toHaveReceivedNthCommandWith(DescribeTasksCommand, 2, { cluster: 'batch-ec2', tasks: arns.slice(100) });
    expect(found?.tasks.map((task) => task.taskArn)).toEqual(arns.filter((_, n) => n !== 7));
  });

  it('resolves null when no cluster has the instance', async () => {
    const { client, ecs } = mockedEcs();
    expect(await ecsInstanceLookup(client)('i-0123456789abcdef0', ['batch-ec2', 'shop-prod'])).toBeNull();
    expect(ecs).toHaveReceivedCommandTimes(ListContainerInstancesCommand, 2);
    expect(ecs).not.toHaveReceivedCommand(ListTasksCommand);
  });

  it('resolves null without calling ECS for something that is not an EC2 instance id', async () => {
    const { client, ecs } = mockedEcs();
    expect(await ecsInstanceLookup(client)('i-0b1c2d3e4f5a6b7c8 or ec2InstanceId != x', ['batch-ec2'])).toBeNull();
    expect(ecs).not.toHaveReceivedCommand(ListContainerInstancesCommand);
  });

  it('resolves null when ECS throttles', async () => {
    const { client, ecs } = mockedEcs();
    ecs
      .on(ListTasksCommand)
      .rejects(new ECSServiceException({ name: 'ThrottlingException', $fault: 'client', $metadata: { httpStatusCode: 400 }, message: 'Rate exceeded' }));
    expect(await ecsInstanceLookup(client)(INSTANCE, ['batch-ec2'])).toBeNull();
  });

  it('resolves null when the role may not list clusters', async () => {
    const { client, ecs } = mockedEcs();
    ecs.on(ListClustersCommand).rejects(
      new AccessDeniedException({
        $metadata: { httpStatusCode: 400 },
        message: 'User: arn:aws:sts::111122223333:assumed-role/notifier/fn is not authorized to perform: ecs:ListClusters',
      }),
    );
    expect(await ecsInstanceLookup(client)(INSTANCE, [])).toBeNull();
  });

  it('resolves null when the whole search does not finish in time', async () => {
    const { client, ecs } = mockedEcs();
    ecs.on(DescribeTasksCommand).callsFake(() => new Promise(() => undefined));
    const started = Date.now();
    expect(await ecsInstanceLookup(client, { timeoutMs: 20 })(INSTANCE, ['batch-ec2'])).toBeNull();
    expect(Date.now() - started).toBeLessThan(1_000);
  });

  it('goes through the SDK deserializer with the recorded wire bodies', async () => {
    const client = ecsClientAnswering(
      {
        ListContainerInstances: `list-container-instances/batch-ec2-${INSTANCE}.json`,
        ListTasks: 'list-tasks/batch-ec2-7c1e4b2a9d3f4e6a8b0c2d4e6f8a1b3c.json',
        DescribeTasks: 'describe-tasks/batch-ec2-instance-tasks.json',
      },
      'us-east-1',
    );
    expect(await ecsInstanceLookup(client)(INSTANCE, ['batch-ec2'])).toEqual(FOUND);

    const { $metadata: _ignored, ...fromSdk } = await client.send(new DescribeTasksCommand({ cluster: 'batch-ec2', tasks: ['a'] }));
    const { $metadata: _alsoIgnored, ...fromHelper } = describeTasksOutput('batch-ec2-instance-tasks');
    expect(fromSdk).toEqual(fromHelper);
    expect(fromSdk.tasks?.[0]?.startedAt).toEqual(new Date('2025-05-20T06:31:29.336Z'));
  });
});

describe('instanceTask', () => {
  it('gives a standalone task no service', () => {
    expect(instanceTask({ taskArn: 'arn:aws:ecs:us-east-1:111122223333:task/batch-ec2/0f', group: 'family:nightly-export' })).toEqual({
      taskArn: 'arn:aws:ecs:us-east-1:111122223333:task/batch-ec2/0f',
      service: null,
      group: 'family:nightly-export',
      lastStatus: null,
      taskDefinitionArn: null,
    });
  });

  it('gives nothing for a task without an ARN', () => {
    expect(instanceTask({ group: 'service:ingest' })).toBeNull();
    expect(instanceTask(undefined)).toBeNull();
  });
});

describe('ec2InstanceFilter', () => {
  it('writes the cluster query language expression for one instance', () => {
    expect(ec2InstanceFilter(INSTANCE)).toBe('ec2InstanceId == i-0b1c2d3e4f5a6b7c8');
  });
});

describe('clusterArnOf', () => {
  it('keeps a cluster ARN and builds one from a name and the container instance ARN', () => {
    expect(clusterArnOf('arn:aws:ecs:us-east-1:111122223333:cluster/batch-ec2', CONTAINER_INSTANCE)).toBe('arn:aws:ecs:us-east-1:111122223333:cluster/batch-ec2');
    expect(clusterArnOf('batch-ec2', CONTAINER_INSTANCE)).toBe('arn:aws:ecs:us-east-1:111122223333:cluster/batch-ec2');
    // The old container instance ARN form has no cluster in it, but the same prefix.
    expect(clusterArnOf('legacy', 'arn:aws-cn:ecs:cn-north-1:111122223333:container-instance/0c304770-a745-4068-9f5b-f39622b3d781')).toBe(
      'arn:aws-cn:ecs:cn-north-1:111122223333:cluster/legacy',
    );
    expect(clusterArnOf('odd', 'not-an-arn')).toBe('odd');
  });
});

describe('ecsTaskLookup', () => {
  it('describes tasks by ARN with their services, from a recorded DescribeTasks answer', async () => {
    const ecs = mockClient(ECSClient);
    ecs.on(DescribeTasksCommand).resolves(describeTasksOutput('examplecluster-retirement-tasks'));
    const found = await ecsTaskLookup(new ECSClient({ region: 'us-east-1' }))('examplecluster', [
      'arn:aws:ecs:us-east-1:123456789012:task/examplecluster/00805ce1d81940b5a37398e5a2c23333',
      'arn:aws:ecs:us-east-1:123456789012:task/examplecluster/00805ce1d81940b5a37398e5a2c25555',
    ]);
    expect(found?.map((task) => [task.service, task.group])).toEqual([
      ['web', 'service:web'],
      [null, 'family:nightly-report'],
    ]);
    expect(ecs).toHaveReceivedCommandWith(DescribeTasksCommand, { cluster: 'examplecluster' });
    ecs.restore();
  });

  it('answers null when DescribeTasks is denied', async () => {
    const ecs = mockClient(ECSClient);
    ecs.on(DescribeTasksCommand).rejects(new AccessDeniedException({ message: 'not allowed', $metadata: {} }));
    expect(await ecsTaskLookup(new ECSClient({ region: 'us-east-1' }))('examplecluster', ['arn:aws:ecs:us-east-1:123456789012:task/examplecluster/1'])).toBeNull();
    ecs.restore();
  });
});
