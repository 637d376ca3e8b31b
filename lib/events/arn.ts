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

/** The last path segment: a cluster name from a cluster ARN, a task id from a task ARN. */
export function lastSegment(arn: string | null | undefined): string | null {
  const parts = parseArn(arn);
  if (parts === null) return null;
  const last = parts.path[parts.path.length - 1];
  return last === undefined || last === '' ? null : last;
}

/** The cluster name from a cluster ARN, or from a new-format task, service or container-instance ARN. */
export function clusterName(arn: string | null | undefined): string | null {
  const parts = parseArn(arn);
  if (parts === null) return null;
  if (parts.resourceType === 'cluster') return lastSegment(arn);
  if (['task', 'service', 'container-instance', 'task-set'].includes(parts.resourceType) && parts.path.length >= 2) {
    return parts.path[0] ?? null;
  }
  return null;
}

/** The service name from a service ARN (new `service/cluster/name` or old `service/name` format). */
export function serviceName(arn: string | null | undefined): string | null {
  const parts = parseArn(arn);
  if (parts === null || parts.resourceType !== 'service') return null;
  return lastSegment(arn);
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
