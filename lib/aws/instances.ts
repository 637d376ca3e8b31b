import { DescribeTasksCommand, ListClustersCommand, ListContainerInstancesCommand, ListTasksCommand, type ECSClient, type Task } from '@aws-sdk/client-ecs';
import { withinDeadline } from './deadline.ts';

/** One task running on a container instance. */
export interface InstanceTask {
  taskArn: string;
  /** The service the task belongs to, from its `service:NAME` group; null for a standalone task (`family:NAME`). */
  service: string | null;
  group: string | null;
  lastStatus: string | null;
  taskDefinitionArn: string | null;
}

/** The container instance an EC2 instance is registered as, and the tasks ECS runs on it. */
export interface InstanceTasks {
  clusterArn: string;
  containerInstanceArn: string;
  ec2InstanceId: string;
  tasks: InstanceTask[];
}

/**
 * Finds which cluster an EC2 instance serves as a container instance, and its tasks, searching the given clusters
 * (names or ARNs), or every cluster of the account and Region when the list is empty. Resolves null, never rejects,
 * when no cluster has the instance or the lookup fails (throttled, access denied, timed out).
 */
export type InstanceLookup = (ec2InstanceId: string, clusters: readonly string[]) => Promise<InstanceTasks | null>;

export interface InstanceLookupOptions {
  /** How long the whole search may take, all calls and retries included, before it counts as failed (default 5000 ms). */
  timeoutMs?: number;
}

/** The fields of a DescribeTasks `tasks[]` entry that an {@link InstanceTask} reads (no timestamps, so wire and SDK forms agree). */
export type TaskFields = Pick<Task, 'taskArn' | 'group' | 'lastStatus' | 'taskDefinitionArn'>;

// An EC2 instance id: `i-` and 8 (older instances) or 17 hexadecimal digits. Checked before it goes into a query.
const EC2_INSTANCE_ID = /^i-(?:[0-9a-f]{8}|[0-9a-f]{17})$/;

/** DescribeTasks takes at most 100 tasks per call (https://docs.aws.amazon.com/AmazonECS/latest/APIReference/API_DescribeTasks.html). */
const DESCRIBE_TASKS_BATCH = 100;

/** Reads one task of a DescribeTasks answer (SDK or recorded wire form); null when it has no ARN. */
export function instanceTask(task: TaskFields | undefined): InstanceTask | null {
  if (task?.taskArn === undefined) return null;
  const group = task.group ?? null;
  return {
    taskArn: task.taskArn,
    // ECS names a service's tasks' group `service:NAME`; RunTask defaults the group to `family:NAME`.
    service: group?.startsWith('service:') === true ? group.slice('service:'.length) : null,
    group,
    lastStatus: task.lastStatus ?? null,
    taskDefinitionArn: task.taskDefinitionArn ?? null,
  };
}

/**
 * The ListContainerInstances filter selecting one EC2 instance, in the cluster query language: `subject operator
 * argument`, here `ec2InstanceId == i-…` (https://docs.aws.amazon.com/AmazonECS/latest/developerguide/cluster-query-language.html).
 */
export function ec2InstanceFilter(ec2InstanceId: string): string {
  return `ec2InstanceId == ${ec2InstanceId}`;
}

/**
 * The ARN of a cluster given by name or ARN, built from the container instance's ARN (both old and new container
 * instance ARN forms start with the partition, Region and account the cluster ARN needs).
 */
export function clusterArnOf(cluster: string, containerInstanceArn: string): string {
  if (cluster.startsWith('arn:')) return cluster;
  const cut = containerInstanceArn.indexOf(':container-instance/');
  return cut === -1 ? cluster : `${containerInstanceArn.slice(0, cut)}:cluster/${cluster}`;
}

/** Every item of a paginated list call: asks for each page in turn until an answer carries no `nextToken`. */
async function allPages<T>(page: (nextToken: string | undefined) => Promise<{ items: T[] | undefined; nextToken: string | undefined }>): Promise<T[]> {
  const items: T[] = [];
  let nextToken: string | undefined;
  do {
    const answer = await page(nextToken);
    items.push(...(answer.items ?? []));
    nextToken = answer.nextToken;
  } while (nextToken !== undefined && nextToken !== '');
  return items;
}

/**
 * A lookup through ECS: for each cluster (ListClusters when none are given), ListContainerInstances filtered to the
 * instance; on a hit, ListTasks on that container instance and DescribeTasks in batches of 100 to read each task's
 * group. Any failed call fails the whole lookup, which is bounded by `timeoutMs`. Nothing is cached: an instance is
 * looked up once, when its interruption warning arrives. ListTasks lists tasks whose desired status is RUNNING (its
 * default), the ones the interruption will stop.
 *
 * @example
 * const lookup = ecsInstanceLookup(ecsClient());
 * const found = await lookup('i-0b1c2d3e4f5a6b7c8', ['batch-ec2']);
 * // { clusterArn: 'arn:aws:ecs:us-east-1:111122223333:cluster/batch-ec2', tasks: [{ service: 'ingest', … }, { service: 'reports', … }], … }
 */
export function ecsInstanceLookup(client: ECSClient, options: InstanceLookupOptions = {}): InstanceLookup {
  const timeoutMs = options.timeoutMs ?? 5_000;

  async function search(ec2InstanceId: string, clusters: readonly string[], abortSignal: AbortSignal): Promise<InstanceTasks | null> {
    const http = { abortSignal };
    const candidates =
      clusters.length > 0
        ? clusters
        : await allPages(async (nextToken) => {
            const page = await client.send(new ListClustersCommand({ nextToken }), http);
            return { items: page.clusterArns, nextToken: page.nextToken };
          });
    for (const cluster of candidates) {
      const [containerInstanceArn] = await allPages(async (nextToken) => {
        const page = await client.send(new ListContainerInstancesCommand({ cluster, filter: ec2InstanceFilter(ec2InstanceId), nextToken }), http);
        return { items: page.containerInstanceArns, nextToken: page.nextToken };
      });
      if (containerInstanceArn === undefined) continue;
      const taskArns = await allPages(async (nextToken) => {
        const page = await client.send(new ListTasksCommand({ cluster, containerInstance: containerInstanceArn, nextToken }), http);
        return { items: page.taskArns, nextToken: page.nextToken };
      });
      const batches: string[][] = [];
      for (let start = 0; start < taskArns.length; start += DESCRIBE_TASKS_BATCH) batches.push(taskArns.slice(start, start + DESCRIBE_TASKS_BATCH));
      const described = await Promise.all(batches.map((tasks) => client.send(new DescribeTasksCommand({ cluster, tasks }), http)));
      const byArn = new Map<string, InstanceTask>();
      for (const task of described.flatMap((output) => output.tasks ?? [])) {
        const read = instanceTask(task);
        if (read !== null) byArn.set(read.taskArn, read);
      }
      return {
        clusterArn: clusterArnOf(cluster, containerInstanceArn),
        containerInstanceArn,
        ec2InstanceId,
        // In ListTasks order; a task that stopped between the two calls comes back in `failures` and is left out.
        tasks: taskArns.flatMap((arn) => byArn.get(arn) ?? []),
      };
    }
    return null;
  }

  return async (ec2InstanceId, clusters) => {
    if (!EC2_INSTANCE_ID.test(ec2InstanceId)) return null;
    return withinDeadline(timeoutMs, (signal) => search(ec2InstanceId, clusters, signal));
  };
}

/** The tasks of one cluster by ARN, with their services; null when ECS cannot say (the caller goes on without). */
export type TaskLookup = (cluster: string, taskArns: readonly string[]) => Promise<InstanceTask[] | null>;

/** DescribeTasks in batches of 100, bounded by `timeoutMs`; tasks ECS no longer knows (in `failures`) are left out. */
export function ecsTaskLookup(client: ECSClient, options: InstanceLookupOptions = {}): TaskLookup {
  const timeoutMs = options.timeoutMs ?? 3_000;
  return async (cluster, taskArns) =>
    withinDeadline(timeoutMs, async (abortSignal) => {
      const batches: string[][] = [];
      for (let start = 0; start < taskArns.length; start += DESCRIBE_TASKS_BATCH) batches.push(taskArns.slice(start, start + DESCRIBE_TASKS_BATCH));
      const described = await Promise.all(batches.map((tasks) => client.send(new DescribeTasksCommand({ cluster, tasks }), { abortSignal })));
      return described.flatMap((output) => output.tasks ?? []).flatMap((task) => instanceTask(task) ?? []);
    });
}
