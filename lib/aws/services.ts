import { DescribeServicesCommand, type Deployment, type ECSClient, type Service } from '@aws-sdk/client-ecs';
import { withinDeadline } from './deadline.ts';
import { tagsOf } from './task-definitions.ts';

/** One deployment of a service, as DescribeServices lists it (AWS drops a deployment once another replaces it). */
export interface DeploymentSnapshot {
  /** `ecs-svc/<n>`, the id the deployment state change events carry. */
  id: string;
  /** PRIMARY (the newest), ACTIVE (still draining) or INACTIVE. */
  status: string;
  /** COMPLETED, FAILED or IN_PROGRESS; null for services whose deployments are not tracked (CODE_DEPLOY, EXTERNAL). */
  rolloutState: string | null;
  rolloutStateReason: string | null;
  /** The task definition ARN. */
  taskDefinition: string | null;
  desiredCount: number;
  runningCount: number;
  pendingCount: number;
  failedTasks: number;
  /** ISO 8601. */
  createdAt: string | null;
  updatedAt: string | null;
}

/** What alerting needs of a service at the moment of an event: its counts, its task definition and its deployments. */
export interface ServiceSnapshot {
  serviceArn: string;
  serviceName: string;
  clusterArn: string;
  /** ACTIVE, DRAINING or INACTIVE (a deleted service stays describable as INACTIVE for a while). */
  status: string;
  desiredCount: number;
  runningCount: number;
  pendingCount: number;
  taskDefinition: string | null;
  /** The capacity providers of the service's strategy (`FARGATE_SPOT`, an Auto Scaling group's provider); empty for a launch type. */
  capacityProviders: string[];
  deployments: DeploymentSnapshot[];
  /** The service's tags (DescribeServices `include: ['TAGS']`); absent from snapshots made by hand. */
  tags?: { key: string; value: string }[];
}

/**
 * Describes one service by cluster (name or ARN) and service (name or ARN). Resolves null, never rejects, when the
 * lookup fails (throttled, access denied, timed out) or ECS does not know the service.
 */
export type ServiceLookup = (cluster: string, service: string) => Promise<ServiceSnapshot | null>;

export interface ServiceLookupOptions {
  /** How long an answer is reused (default 30 000 ms): service state changes, so only briefly. */
  ttlMs?: number;
  /** How long one lookup may take, retries included, before it counts as failed (default 3000 ms). */
  timeoutMs?: number;
  /** Milliseconds since the epoch, for the cache (default `Date.now`). */
  clock?: () => number;
}

/**
 * A timestamp as the SDK hands it over (a Date) or as the wire and the recorded responses in `events/api/` carry it
 * (epoch seconds, with milliseconds as a fraction).
 */
export type Timestamp = Date | number;

type DeploymentFields = Pick<
  Deployment,
  'id' | 'status' | 'rolloutState' | 'rolloutStateReason' | 'taskDefinition' | 'desiredCount' | 'runningCount' | 'pendingCount' | 'failedTasks'
> & { createdAt?: Timestamp; updatedAt?: Timestamp };

/** The fields of a DescribeServices `services[]` entry that a snapshot reads: the SDK's `Service`, or its wire form. */
export type ServiceFields = Pick<
  Service,
  'serviceArn' | 'serviceName' | 'clusterArn' | 'status' | 'desiredCount' | 'runningCount' | 'pendingCount' | 'taskDefinition' | 'capacityProviderStrategy' | 'tags'
> & { deployments?: DeploymentFields[] };

/** An ISO 8601 string from a Date or from epoch seconds; null when absent or not a valid time. */
export function isoTime(value: Timestamp | undefined): string | null {
  if (value === undefined) return null;
  const date = typeof value === 'number' ? new Date(value * 1_000) : value;
  return Number.isNaN(date.getTime()) ? null : date.toISOString();
}

/**
 * Reads a snapshot from one entry of a DescribeServices answer, from the SDK (Dates) or from a recorded wire body
 * (epoch seconds); null when the entry lacks its ARN, name, cluster or status. Deployments without an id are skipped.
 */
export function serviceSnapshot(service: ServiceFields | undefined): ServiceSnapshot | null {
  if (service?.serviceArn === undefined || service.serviceName === undefined || service.clusterArn === undefined || service.status === undefined) return null;
  return {
    serviceArn: service.serviceArn,
    serviceName: service.serviceName,
    clusterArn: service.clusterArn,
    status: service.status,
    desiredCount: service.desiredCount ?? 0,
    runningCount: service.runningCount ?? 0,
    pendingCount: service.pendingCount ?? 0,
    taskDefinition: service.taskDefinition ?? null,
    capacityProviders: (service.capacityProviderStrategy ?? []).map((item) => item.capacityProvider).filter((name) => name !== undefined),
    deployments: (service.deployments ?? []).flatMap((deployment) => (deployment.id === undefined ? [] : [deploymentSnapshot(deployment.id, deployment)])),
    tags: tagsOf(service.tags),
  };
}

function deploymentSnapshot(id: string, deployment: DeploymentFields): DeploymentSnapshot {
  return {
    id,
    status: deployment.status ?? 'UNKNOWN',
    rolloutState: deployment.rolloutState ?? null,
    rolloutStateReason: deployment.rolloutStateReason ?? null,
    taskDefinition: deployment.taskDefinition ?? null,
    desiredCount: deployment.desiredCount ?? 0,
    runningCount: deployment.runningCount ?? 0,
    pendingCount: deployment.pendingCount ?? 0,
    failedTasks: deployment.failedTasks ?? 0,
    createdAt: isoTime(deployment.createdAt),
    updatedAt: isoTime(deployment.updatedAt),
  };
}

/** The last part of an ARN or name: `arn:aws:ecs:…:service/prod/orders-api` and `orders-api` both give `orders-api`. */
export function resourceName(nameOrArn: string): string {
  return nameOrArn.slice(nameOrArn.lastIndexOf('/') + 1);
}

interface CacheEntry {
  answer: Promise<ServiceSnapshot | null>;
  /** When the request went out: the answer is at most this old. */
  askedAt: number;
}

/**
 * A lookup through ECS DescribeServices. Answers are reused for `ttlMs` only (counts and deployments move), and
 * concurrent lookups of one service share one call; failures are not cached, so the next event tries again. A
 * service ECS reports in `failures` (`MISSING`) resolves null. It logs nothing: a null tells the caller the lookup
 * failed.
 *
 * @example
 * const lookup = ecsServiceLookup(ecsClient());
 * const snapshot = await lookup('prod', 'orders-api');
 * // { serviceName: 'orders-api', desiredCount: 4, runningCount: 1, deployments: [{ id: 'ecs-svc/9571171551795520066', rolloutState: 'COMPLETED', … }], … }
 */
export function ecsServiceLookup(client: ECSClient, options: ServiceLookupOptions = {}): ServiceLookup {
  const ttlMs = options.ttlMs ?? 30_000;
  const timeoutMs = options.timeoutMs ?? 3_000;
  const clock = options.clock ?? Date.now;
  const cache = new Map<string, CacheEntry>();

  async function describe(cluster: string, service: string): Promise<ServiceSnapshot | null> {
    const output = await withinDeadline(timeoutMs, (abortSignal) => client.send(new DescribeServicesCommand({ cluster, services: [service], include: ['TAGS'] }), { abortSignal }));
    // A service ECS does not know comes back in `failures` (reason MISSING) with `services` empty, not as an error.
    const wanted = resourceName(service);
    return serviceSnapshot(output?.services?.find((found) => found.serviceName === wanted || found.serviceArn === service));
  }


  return async (cluster, service) => {
    const key = `${cluster}\n${service}`;
    const now = clock();
    const cached = cache.get(key);
    if (cached !== undefined && now - cached.askedAt < ttlMs) return cached.answer;
    // Expired answers go on every miss, so the map holds at most the services seen within one TTL.
    for (const [other, entry] of cache) if (now - entry.askedAt >= ttlMs) cache.delete(other);
    const entry = { answer: describe(cluster, service), askedAt: now };
    cache.set(key, entry);
    const snapshot = await entry.answer;
    if (snapshot === null && cache.get(key) === entry) cache.delete(key);
    return snapshot;
  };
}
