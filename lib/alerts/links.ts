import { lastSegment } from '../events/arn.ts';

/**
 * Links into the AWS console. They are built for the commercial partition (aws); other partitions have other
 * console hosts, and there the links are left out rather than wrong.
 */
function consoleHost(region: string): string {
  return `https://${region}.console.aws.amazon.com`;
}

export function isCommercialRegion(region: string | null): region is string {
  return region !== null && /^[a-z]{2}(-[a-z]+)+-\d+$/.test(region) && !region.startsWith('cn-') && !region.startsWith('us-gov-') && !region.startsWith('us-iso');
}

/** The ECS console page of a task. */
export function taskConsoleUrl(region: string | null, cluster: string | null, taskArn: string | null): string | null {
  const taskId = lastSegment(taskArn);
  if (!isCommercialRegion(region) || cluster === null || taskId === null) return null;
  return `${consoleHost(region)}/ecs/v2/clusters/${encodeURIComponent(cluster)}/tasks/${encodeURIComponent(taskId)}/configuration?region=${region}`;
}

/** The ECS console page of a service (its health and events). */
export function serviceConsoleUrl(region: string | null, cluster: string | null, service: string | null): string | null {
  if (!isCommercialRegion(region) || cluster === null || service === null) return null;
  return `${consoleHost(region)}/ecs/v2/clusters/${encodeURIComponent(cluster)}/services/${encodeURIComponent(service)}/health?region=${region}`;
}

/** The ECS console page of a cluster (its services, tasks and infrastructure). */
export function clusterConsoleUrl(region: string | null, cluster: string | null): string | null {
  if (!isCommercialRegion(region) || cluster === null) return null;
  return `${consoleHost(region)}/ecs/v2/clusters/${encodeURIComponent(cluster)}/services?region=${region}`;
}

/** The EC2 console page of an instance; null unless `instanceId` is an instance id (`i-` and 8 or 17 hex digits). */
export function ec2InstanceConsoleUrl(region: string | null, instanceId: string | null): string | null {
  if (!isCommercialRegion(region) || instanceId === null || !/^i-(?:[0-9a-f]{8}|[0-9a-f]{17})$/.test(instanceId)) return null;
  return `${consoleHost(region)}/ec2/home?region=${region}#InstanceDetails:instanceId=${instanceId}`;
}

/** The CloudWatch console escapes path parts twice, writing `%` as `$25`. */
function consolePathPart(text: string): string {
  return encodeURIComponent(text).replace(/%/g, '$25');
}

/**
 * The CloudWatch Logs console page of a container's log stream. With the awslogs driver and a stream prefix the
 * stream is `prefix/container-name/task-id`; without a prefix the stream name is unknown, so the group is linked.
 */
export function logStreamUrl(region: string, group: string, streamPrefix: string | null, container: string, taskArn: string | null): string | null {
  if (!isCommercialRegion(region)) return null;
  const base = `${consoleHost(region)}/cloudwatch/home?region=${region}#logsV2:log-groups/log-group/${consolePathPart(group)}`;
  const taskId = lastSegment(taskArn);
  if (streamPrefix === null || streamPrefix === '' || taskId === null) return base;
  return `${base}/log-events/${consolePathPart(`${streamPrefix}/${container}/${taskId}`)}`;
}
