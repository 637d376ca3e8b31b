import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { DescribeTaskDefinitionCommandOutput } from '@aws-sdk/client-ecs';
import { clusterArnOf, instanceTask, type InstanceLookup, type TaskLookup, type InstanceTask, type TaskFields } from '../aws/instances.ts';
import { resourceName, serviceSnapshot, type ServiceFields, type ServiceLookup, type ServiceSnapshot } from '../aws/services.ts';
import { taskDefinitionInfo, type TaskDefinitionInfo, type TaskDefinitionLookup } from '../aws/task-definitions.ts';

/**
 * The replay's stand-in for ECS DescribeTaskDefinition: answers from recorded responses
 * (`events/api/describe-task-definition/*.json`, each a real DescribeTaskDefinition output), so replayed alerts get
 * their log links offline. A task definition that was not recorded answers null, as a failed lookup does.
 */
export async function recordedTaskDefinitions(apiDir: string): Promise<TaskDefinitionLookup> {
  const folder = join(apiDir, 'describe-task-definition');
  const byArn = new Map<string, TaskDefinitionInfo>();
  const names = await readdir(folder).catch(() => [] as string[]);
  for (const name of names.filter((file) => file.endsWith('.json'))) {
    const output = JSON.parse(await readFile(join(folder, name), 'utf8')) as DescribeTaskDefinitionCommandOutput;
    const arn = output.taskDefinition?.taskDefinitionArn;
    const info = taskDefinitionInfo(output.taskDefinition);
    if (arn !== undefined && info !== null) byArn.set(arn, info);
  }
  return async (taskDefinitionArn) => byArn.get(taskDefinitionArn) ?? null;
}

/** The recorded bodies in one `events/api/<operation>/` folder, by file name without `.json`; none when it is missing. */
async function recordedBodies(folder: string): Promise<Map<string, unknown>> {
  const names = await readdir(folder).catch(() => [] as string[]);
  const bodies = new Map<string, unknown>();
  for (const name of names.filter((file) => file.endsWith('.json'))) {
    bodies.set(name.slice(0, -'.json'.length), JSON.parse(await readFile(join(folder, name), 'utf8')));
  }
  return bodies;
}

/**
 * The replay's stand-in for ECS DescribeServices: answers from `events/api/describe-services/*.json` (each a
 * DescribeServices body; the file name is free, answers are found by the cluster name in each service's `clusterArn`
 * and its `serviceName`). Cluster and service may be given as names or ARNs. A service not recorded answers null,
 * as a failed lookup does.
 */
export async function recordedServices(apiDir: string): Promise<ServiceLookup> {
  const byKey = new Map<string, ServiceSnapshot>();
  for (const body of (await recordedBodies(join(apiDir, 'describe-services'))).values()) {
    // A recorded wire body: epoch-second timestamps, which serviceSnapshot reads as well as the SDK's Dates.
    for (const service of (body as { services?: ServiceFields[] }).services ?? []) {
      const snapshot = serviceSnapshot(service);
      if (snapshot !== null) byKey.set(`${resourceName(snapshot.clusterArn)}\n${snapshot.serviceName}`, snapshot);
    }
  }
  return async (cluster, service) => byKey.get(`${resourceName(cluster)}\n${resourceName(service)}`) ?? null;
}

/**
 * The replay's stand-in for the ECS calls behind an instance lookup, answering from three folders of recordings:
 * - `list-container-instances/<cluster name>-<EC2 instance id>.json`: ListContainerInstances of that cluster filtered
 *   to that instance (`ec2InstanceId == i-…`);
 * - `list-tasks/<cluster name>-<container instance id>.json`: ListTasks of that container instance (the id is the
 *   last part of its ARN);
 * - `describe-tasks/*.json` (any name): DescribeTasks bodies, each task found by its ARN.
 * With no clusters given, every cluster with a recording for the instance is searched, as ListClusters would give
 * them all. An instance not recorded answers null.
 */
export async function recordedInstances(apiDir: string): Promise<InstanceLookup> {
  const containerInstances = await recordedBodies(join(apiDir, 'list-container-instances'));
  const tasksOn = await recordedBodies(join(apiDir, 'list-tasks'));
  const tasks = await recordedTaskMap(apiDir);
  return async (ec2InstanceId, clusters) => {
    const suffix = `-${ec2InstanceId}`;
    const candidates =
      clusters.length > 0 ? clusters : [...containerInstances.keys()].filter((name) => name.endsWith(suffix)).map((name) => name.slice(0, -suffix.length));
    for (const cluster of candidates) {
      const listed = containerInstances.get(`${resourceName(cluster)}${suffix}`) as { containerInstanceArns?: string[] } | undefined;
      const containerInstanceArn = listed?.containerInstanceArns?.[0];
      if (containerInstanceArn === undefined) continue;
      const taskArns = (tasksOn.get(`${resourceName(cluster)}-${resourceName(containerInstanceArn)}`) as { taskArns?: string[] } | undefined)?.taskArns ?? [];
      return {
        clusterArn: clusterArnOf(cluster, containerInstanceArn),
        containerInstanceArn,
        ec2InstanceId,
        tasks: taskArns.flatMap((arn) => tasks.get(arn) ?? []),
      };
    }
    return null;
  };
}

/** Every task of the `describe-tasks/*.json` recordings, by ARN. */
async function recordedTaskMap(apiDir: string): Promise<Map<string, InstanceTask>> {
  const tasks = new Map<string, InstanceTask>();
  for (const body of (await recordedBodies(join(apiDir, 'describe-tasks'))).values()) {
    for (const task of (body as { tasks?: TaskFields[] }).tasks ?? []) {
      const read = instanceTask(task);
      if (read !== null) tasks.set(read.taskArn, read);
    }
  }
  return tasks;
}

/** The replay's stand-in for DescribeTasks: answers from the `describe-tasks/*.json` recordings; tasks not recorded are left out, none recorded is null. */
export async function recordedTasks(apiDir: string): Promise<TaskLookup> {
  const tasks = await recordedTaskMap(apiDir);
  return async (_cluster, taskArns) => {
    const found = taskArns.flatMap((arn) => tasks.get(arn) ?? []);
    return found.length === 0 ? null : found;
  };
}
