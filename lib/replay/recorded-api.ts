import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { DescribeTaskDefinitionCommandOutput } from '@aws-sdk/client-ecs';
import type { EcsLookups, EventOrigin, LookupsFor } from '../aws/account-lookups.ts';
import { clusterArnOf, instanceTask, type InstanceTask, type TaskFields } from '../aws/instances.ts';
import { resourceName, serviceSnapshot, type ServiceFields, type ServiceSnapshot } from '../aws/services.ts';
import { serviceDeploymentAt, serviceDeploymentFacts, type ServiceDeploymentBriefFields, type ServiceDeploymentFacts, type ServiceDeploymentFields } from '../aws/service-deployments.ts';
import { failureReason, missingTail, tailOf, type LogStreamRef } from '../aws/container-logs.ts';
import { taskDefinitionInfo, type TagFields, type TaskDefinitionInfo } from '../aws/task-definitions.ts';
import type { ContainerLogTail } from '../alerts/alert.ts';
import { parseArn } from '../events/arn.ts';

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
 * Whether a recorded resource, by its ARN, is one the lookups of an event's account and Region could see: ECS answers
 * each account and Region with its own resources only. An origin that does not say its account or Region matches
 * any.
 */
function seenFrom(origin: EventOrigin, arn: string): boolean {
  const parts = parseArn(arn);
  return parts !== null && (origin.account === null || parts.account === origin.account) && (origin.region === null || parts.region === origin.region);
}

/** Every DescribeTaskDefinition recording (`describe-task-definition/*.json`), by task definition ARN. */
async function recordedTaskDefinitions(apiDir: string): Promise<Map<string, TaskDefinitionInfo>> {
  const byArn = new Map<string, TaskDefinitionInfo>();
  for (const body of (await recordedBodies(join(apiDir, 'describe-task-definition'))).values()) {
    const definition = (body as DescribeTaskDefinitionCommandOutput).taskDefinition;
    const arn = definition?.taskDefinitionArn;
    const info = taskDefinitionInfo(definition, (body as { tags?: TagFields[] }).tags);
    if (arn !== undefined && info !== null) byArn.set(arn, info);
  }
  return byArn;
}

/** Every service of the DescribeServices recordings (`describe-services/*.json`), by cluster name and service name. */
async function recordedServices(apiDir: string): Promise<Map<string, ServiceSnapshot[]>> {
  const byName = new Map<string, ServiceSnapshot[]>();
  for (const body of (await recordedBodies(join(apiDir, 'describe-services'))).values()) {
    // A recorded wire body: epoch-second timestamps, which serviceSnapshot reads as well as the SDK's Dates.
    for (const service of (body as { services?: ServiceFields[] }).services ?? []) {
      const snapshot = serviceSnapshot(service);
      if (snapshot === null) continue;
      const key = `${resourceName(snapshot.clusterArn)}\n${snapshot.serviceName}`;
      byName.set(key, [...(byName.get(key) ?? []), snapshot]);
    }
  }
  return byName;
}

/** Every service deployment of the DescribeServiceDeployments recordings (`describe-service-deployments/*.json`), by ARN. */
async function recordedServiceDeployments(apiDir: string): Promise<Map<string, ServiceDeploymentFacts>> {
  const byArn = new Map<string, ServiceDeploymentFacts>();
  for (const body of (await recordedBodies(join(apiDir, 'describe-service-deployments'))).values()) {
    for (const deployment of (body as { serviceDeployments?: ServiceDeploymentFields[] }).serviceDeployments ?? []) {
      const facts = serviceDeploymentFacts(deployment);
      if (facts !== null) byArn.set(facts.serviceDeploymentArn, facts);
    }
  }
  return byArn;
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

/**
 * The answer to a GetLogEvents of a stream from its recording (`get-log-events/<container>-<task id>.json`, the last
 * two parts of the stream name `<prefix>/<container>/<task id>`): the wire body's `events`, or, for a recorded error
 * body (`{"__type": "AccessDeniedException", …}`), that error's one-line reason. A stream without a recording says so.
 */
function recordedTail(recordings: Map<string, unknown>, ref: LogStreamRef): ContainerLogTail {
  const [, container, taskId] = /(?:^|\/)([^/]+)\/([^/]+)$/.exec(ref.stream) ?? [];
  const body = container === undefined || taskId === undefined ? undefined : (recordings.get(`${container}-${taskId}`) as { __type?: string; events?: { message?: string }[] } | undefined);
  if (body === undefined) return missingTail(`no GetLogEvents response is recorded for log stream ${ref.stream}`);
  // An awsJson error body names its error in `__type`, sometimes behind a namespace (`…#AccessDeniedException`).
  if (body.__type !== undefined) return missingTail(failureReason({ name: body.__type.slice(body.__type.lastIndexOf('#') + 1) }, ref));
  return tailOf((body.events ?? []).map((event) => event.message ?? ''));
}

/**
 * The replay's stand-in for the ECS API of every account and Region, answering from recorded responses in `apiDir`
 * (`events/api/`), so replayed alerts get their log links, service counts and instance tasks offline. Like ECS
 * itself, the lookups of an event's account and Region only see that account's resources in that Region, read from
 * the ARNs inside each recording: a member account's event is never answered from the recording of a same-named
 * cluster or service of another account.
 * - `describe-task-definition/*.json`: DescribeTaskDefinition outputs, found by task definition ARN;
 * - `describe-services/*.json`: DescribeServices bodies, found by the cluster name in each service's `clusterArn` and
 *   its `serviceName` (cluster and service may be asked for by name or ARN);
 * - `list-container-instances/<cluster name>-<EC2 instance id>.json`: ListContainerInstances of that cluster filtered
 *   to that instance (`ec2InstanceId == i-…`), and `list-tasks/<cluster name>-<container instance id>.json`: ListTasks
 *   of that container instance (the id is the last part of its ARN). With no clusters given, every cluster with a
 *   recording for the instance is searched, as ListClusters would give them all;
 * - `describe-tasks/*.json`: DescribeTasks bodies, each task found by its ARN;
 * - `list-service-deployments/<cluster name>-<service name>.json`: ListServiceDeployments of that service, from which
 *   the deployment of an event is picked as the live lookup picks it (`serviceDeploymentAt`), and
 *   `describe-service-deployments/*.json`: DescribeServiceDeployments bodies, each deployment found by its ARN;
 * - `get-log-events/<container>-<task id>.json`: GetLogEvents bodies (or an error body) of a container's awslogs stream.
 * File names other than the list calls' are free. Anything not recorded answers null, as a failed lookup does.
 *
 * @example
 * const lookupsFor = await recordedLookups('events/api');
 * await lookupsFor({ account: '222222222222', region: 'us-west-2', partition: 'aws' }).services('prod', 'thumbnailer'); // { runningCount: 3, … }
 */
export async function recordedLookups(apiDir: string): Promise<LookupsFor> {
  const [definitions, services, containerInstances, tasksOn, tasks, logStreams, deploymentLists, deployments] = await Promise.all([
    recordedTaskDefinitions(apiDir),
    recordedServices(apiDir),
    recordedBodies(join(apiDir, 'list-container-instances')),
    recordedBodies(join(apiDir, 'list-tasks')),
    recordedTaskMap(apiDir),
    recordedBodies(join(apiDir, 'get-log-events')),
    recordedBodies(join(apiDir, 'list-service-deployments')),
    recordedServiceDeployments(apiDir),
  ]);

  return (origin): EcsLookups => ({
    taskDefinitions: async (taskDefinitionArn) => (seenFrom(origin, taskDefinitionArn) ? (definitions.get(taskDefinitionArn) ?? null) : null),

    services: async (cluster, service) =>
      services.get(`${resourceName(cluster)}\n${resourceName(service)}`)?.find((snapshot) => seenFrom(origin, snapshot.serviceArn)) ?? null,

    instances: async (ec2InstanceId, clusters) => {
      const suffix = `-${ec2InstanceId}`;
      const candidates =
        clusters.length > 0 ? clusters : [...containerInstances.keys()].filter((name) => name.endsWith(suffix)).map((name) => name.slice(0, -suffix.length));
      for (const cluster of candidates) {
        const listed = containerInstances.get(`${resourceName(cluster)}${suffix}`) as { containerInstanceArns?: string[] } | undefined;
        const containerInstanceArn = listed?.containerInstanceArns?.[0];
        if (containerInstanceArn === undefined || !seenFrom(origin, containerInstanceArn)) continue;
        const taskArns = (tasksOn.get(`${resourceName(cluster)}-${resourceName(containerInstanceArn)}`) as { taskArns?: string[] } | undefined)?.taskArns ?? [];
        return {
          clusterArn: clusterArnOf(cluster, containerInstanceArn),
          containerInstanceArn,
          ec2InstanceId,
          tasks: taskArns.flatMap((arn) => tasks.get(arn) ?? []),
        };
      }
      return null;
    },

    tasks: async (_cluster, taskArns) => {
      const found = taskArns.filter((arn) => seenFrom(origin, arn)).flatMap((arn) => tasks.get(arn) ?? []);
      return found.length === 0 ? null : found;
    },

    serviceDeployments: async (cluster, service, _deploymentId, at) => {
      const listed = deploymentLists.get(`${resourceName(cluster)}-${resourceName(service)}`) as { serviceDeployments?: ServiceDeploymentBriefFields[] } | undefined;
      const arn = serviceDeploymentAt(listed?.serviceDeployments ?? [], at);
      return arn === null || !seenFrom(origin, arn) ? null : (deployments.get(arn) ?? null);
    },

    logTails: async (ref) => recordedTail(logStreams, ref),
  });
}
