import { DescribeTaskDefinitionCommand, type ContainerDefinition, type ECSClient, type TaskDefinition } from '@aws-sdk/client-ecs';
import { withinDeadline } from './deadline.ts';

/** What alerting needs of a task definition: which containers are essential, where each one logs, its image and memory. */
export interface TaskDefinitionInfo {
  family: string;
  revision: number;
  /** `taskDefinition.memory` in MiB (Fargate, or a task-level limit on EC2); null when not set. */
  memoryMiB: number | null;
  /** The task definition's tags (DescribeTaskDefinition `include: ['TAGS']`). */
  tags: { key: string; value: string }[];
  containers: {
    name: string;
    essential: boolean;
    /** The awslogs driver's settings; null when the container logs elsewhere (FireLens, json-file, none). */
    awslogs: { group: string; region: string | null; streamPrefix: string | null } | null;
    /** `logConfiguration.logDriver` (`awslogs`, `awsfirelens`, `json-file`, …); null without a log configuration. */
    logDriver: string | null;
    /** `image`, with its tag or digest. */
    image: string | null;
    /** `memory` (hard limit) and `memoryReservation` (soft limit), in MiB; null when not set. */
    memoryMiB: number | null;
    memoryReservationMiB: number | null;
  }[];
}

/** A Tag as the SDK and the wire give it (`{ key, value }`, both optional). */
export interface TagFields {
  key?: string;
  value?: string;
}

/** Tags with both a key and a value, at most 50 (ECS's own limit per resource). */
export function tagsOf(tags: readonly TagFields[] | undefined): { key: string; value: string }[] {
  return (tags ?? []).flatMap((tag) => (tag.key === undefined ? [] : [{ key: tag.key, value: tag.value ?? '' }])).slice(0, 50);
}

/** A whole number of MiB from the API's string (`"1024"`); null when absent or not a whole number. */
function mib(value: string | undefined): number | null {
  return value !== undefined && /^\d{1,7}$/.test(value.trim()) ? Number(value.trim()) : null;
}

/**
 * Looks up a task definition by ARN. Resolves null, never rejects, when the lookup fails (throttled, access denied,
 * not found, timed out): the alert then goes out without log links, and the caller marks it not enriched.
 */
export type TaskDefinitionLookup = (taskDefinitionArn: string) => Promise<TaskDefinitionInfo | null>;

export interface TaskDefinitionLookupOptions {
  /** Task definitions remembered per container (default 500); the least recently used one goes first. */
  cacheSize?: number;
  /** How long one lookup may take, retries included, before it counts as failed (default 3000 ms). */
  timeoutMs?: number;
}

/** Reads what alerting needs from a DescribeTaskDefinition answer; null when the answer lacks the essentials. */
export function taskDefinitionInfo(definition: TaskDefinition | undefined, tags?: readonly TagFields[]): TaskDefinitionInfo | null {
  if (definition?.family === undefined || definition.revision === undefined) return null;
  const containers = (definition.containerDefinitions ?? []).flatMap((container) => (container.name === undefined ? [] : [containerInfo(container.name, container)]));
  return { family: definition.family, revision: definition.revision, memoryMiB: mib(definition.memory), tags: tagsOf(tags), containers };
}

function containerInfo(name: string, container: ContainerDefinition): TaskDefinitionInfo['containers'][number] {
  const log = container.logConfiguration;
  const group = log?.options?.['awslogs-group'];
  return {
    name,
    // ECS treats a container whose definition omits `essential` as essential.
    essential: container.essential ?? true,
    awslogs:
      log?.logDriver === 'awslogs' && group !== undefined && group !== ''
        ? { group, region: log.options?.['awslogs-region'] ?? null, streamPrefix: log.options?.['awslogs-stream-prefix'] ?? null }
        : null,
    logDriver: log?.logDriver ?? null,
    image: container.image ?? null,
    memoryMiB: container.memory ?? null,
    memoryReservationMiB: container.memoryReservation ?? null,
  };
}

/**
 * A lookup through ECS DescribeTaskDefinition. A revision never changes once registered, so answers are cached for
 * the life of the Lambda container (up to `cacheSize` of them); concurrent lookups of one ARN share one call.
 * Failures are not cached, so the next event tries again. It logs nothing: a null tells the caller the lookup failed.
 *
 * @example
 * const lookup = ecsTaskDefinitionLookup(ecsClient());
 * const info = await lookup('arn:aws:ecs:us-west-2:111122223333:task-definition/orders-api:212');
 * // { family: 'orders-api', revision: 212, containers: [{ name: 'orders-api', essential: true, awslogs: { group: '/ecs/orders-api', … } }, …] }
 */
export function ecsTaskDefinitionLookup(client: ECSClient, options: TaskDefinitionLookupOptions = {}): TaskDefinitionLookup {
  const cacheSize = options.cacheSize ?? 500;
  const timeoutMs = options.timeoutMs ?? 3_000;
  // A Map keeps insertion order: re-inserting on every hit makes its first key the least recently used.
  const cache = new Map<string, Promise<TaskDefinitionInfo | null>>();

  async function describe(taskDefinitionArn: string): Promise<TaskDefinitionInfo | null> {
    // `include: ['TAGS']` adds the task definition's tags (runbook, owner) to the answer; no other permission is needed.
    const output = await withinDeadline(timeoutMs, (abortSignal) =>
      client.send(new DescribeTaskDefinitionCommand({ taskDefinition: taskDefinitionArn, include: ['TAGS'] }), { abortSignal }),
    );
    return output === null ? null : taskDefinitionInfo(output.taskDefinition, output.tags);
  }


  return async (taskDefinitionArn) => {
    const cached = cache.get(taskDefinitionArn);
    if (cached !== undefined) {
      cache.delete(taskDefinitionArn);
      cache.set(taskDefinitionArn, cached);
      return cached;
    }
    const pending = describe(taskDefinitionArn);
    cache.set(taskDefinitionArn, pending);
    if (cache.size > cacheSize) {
      const oldest = cache.keys().next();
      if (oldest.done !== true) cache.delete(oldest.value);
    }
    const info = await pending;
    if (info === null && cache.get(taskDefinitionArn) === pending) cache.delete(taskDefinitionArn);
    return info;
  };
}
