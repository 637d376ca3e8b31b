/**
 * ECS and EC2 ARNs as they appear in events: `arn:aws:ecs:us-west-2:111122223333:task/my-cluster/1234…`.
 * Old-format ARNs lack the cluster (`task/1234…`, `service/my-service`), and documentation examples redact
 * parts (`task/xxxx`, `<ACCOUNT_ID_REDACTED>`), so every part is optional.
 */
export interface ArnParts {
  partition: string;
  service: string;
  region: string;
  account: string;
  resourceType: string;
  /** The path after the resource type, split on `/`. */
  path: string[];
}

export function parseArn(arn: string | null | undefined): ArnParts | null {
  if (arn === null || arn === undefined || !arn.startsWith('arn:')) return null;
  const parts = arn.split(':');
  if (parts.length < 6) return null;
  const [, partition = '', service = '', region = '', account = ''] = parts;
  const resource = parts.slice(5).join(':');
  const [resourceType = '', ...path] = resource.split('/');
  return { partition, service, region, account, resourceType, path };
}

function nonEmpty(segment: string | undefined): string | null {
  return segment === undefined || segment === '' ? null : segment;
}

/** The last path segment: a cluster name from a cluster ARN, a task id from a task ARN. */
export function lastSegment(arn: string | null | undefined): string | null {
  const parts = parseArn(arn);
  if (parts === null) return null;
  const last = parts.path[parts.path.length - 1];
  return last === undefined || last === '' ? null : last;
}

/**
 * Resource types whose path starts with the cluster: `task/CLUSTER/ID`, and the 2026 service-deployment and daemon
 * ARNs (`service-deployment/CLUSTER/SERVICE/ID`, `daemon/CLUSTER/NAME`, `daemon-deployment/CLUSTER/NAME/ID`,
 * `daemon-revision/CLUSTER/NAME/ID`, in the examples of ecs_hook_state_change_events.html and
 * managed-daemons-events.html). A daemon task definition (`daemon-task-definition/FAMILY:REVISION`) names no cluster.
 */
const IN_CLUSTER = ['task', 'service', 'container-instance', 'task-set', 'service-deployment', 'daemon', 'daemon-deployment', 'daemon-revision'];

/** The cluster name from a cluster ARN, or from a new-format ARN of a resource inside a cluster (task, service, daemon, …). */
export function clusterName(arn: string | null | undefined): string | null {
  const parts = parseArn(arn);
  if (parts === null) return null;
  if (parts.resourceType === 'cluster') return lastSegment(arn);
  if (IN_CLUSTER.includes(parts.resourceType) && parts.path.length >= 2) {
    return parts.path[0] ?? null;
  }
  return null;
}

/**
 * The service name from a service ARN (new `service/cluster/name` or old `service/name` format), or from a
 * service-deployment ARN (`service-deployment/cluster/name/id`), which hook events carry in place of the service's.
 */
export function serviceName(arn: string | null | undefined): string | null {
  const parts = parseArn(arn);
  if (parts === null) return null;
  if (parts.resourceType === 'service-deployment') return parts.path.length >= 3 ? nonEmpty(parts.path[1]) : null;
  if (parts.resourceType !== 'service') return null;
  return lastSegment(arn);
}

/** The daemon name from a daemon, daemon-deployment or daemon-revision ARN (`daemon/cluster/name`, `daemon-revision/cluster/name/id`). */
export function daemonName(arn: string | null | undefined): string | null {
  const parts = parseArn(arn);
  if (parts === null || !['daemon', 'daemon-deployment', 'daemon-revision'].includes(parts.resourceType)) return null;
  return parts.path.length >= 2 ? nonEmpty(parts.path[1]) : null;
}

/** `family:revision` split from a task definition ARN. */
export function taskDefinitionRef(arn: string | null | undefined): { family: string; revision: number | null } | null {
  const parts = parseArn(arn);
  if (parts === null || parts.resourceType !== 'task-definition') return null;
  const ref = parts.path.join('/');
  const colon = ref.lastIndexOf(':');
  if (colon < 0) return { family: ref, revision: null };
  const revision = Number(ref.slice(colon + 1));
  return { family: ref.slice(0, colon), revision: Number.isInteger(revision) ? revision : null };
}
