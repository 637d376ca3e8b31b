import { clusterName, lastSegment, parseArn } from '../events/arn.ts';
import { TASK_PATCHING_RETIREMENT } from '../events/health.ts';
import type { EcsEvent } from '../events/parse.ts';
import type { Finding, Subject } from './finding.ts';

const EC2_INSTANCE_ID = /^i-[0-9a-f]{8,17}$/;

export type HealthEvent = Extract<EcsEvent, { kind: 'health' }>;

/** Classifies an `AWS Health Event`; Fargate task retirement is the one ECS users must act on. */
export function classifyHealth(event: HealthEvent): { finding: Finding; subject: Subject } {
  const detail = event.detail;
  const entities = (detail.affectedEntities ?? []).map((entity) => entity.entityValue).filter((value) => value !== undefined);
  const tasks = [...entities, ...event.envelope.resources].filter((value) => parseArn(value)?.resourceType === 'task');
  const uniqueTasks = [...new Set(tasks)];
  const firstTask = uniqueTasks[0] ?? null;
  // EC2 notices (instance retirement, reboot maintenance) name the instance bare or as an ARN; it may be a container instance.
  const instanceIds = [...entities, ...event.envelope.resources]
    .map((value) => (parseArn(value)?.resourceType === 'instance' ? lastSegment(value) : value))
    .filter((value): value is string => value !== null && EC2_INSTANCE_ID.test(value));
  const description = detail.eventDescription?.find((entry) => entry.language === 'en_US')?.latestDescription;
  const subject: Subject = {
    cluster: clusterName(firstTask),
    taskArn: uniqueTasks.length === 1 ? firstTask : null,
    ec2InstanceId: instanceIds[0] ?? null,
    status: detail.eventTypeCode ?? null,
    reason: description ?? null,
  };
  if (detail.eventTypeCode === TASK_PATCHING_RETIREMENT) {
    const count = uniqueTasks.length;
    return {
      finding: {
        category: 'fargate_task_retirement_scheduled',
        cause: `AWS will retire ${count === 1 ? '1 Fargate task' : `${count} Fargate tasks`} for maintenance from ${detail.startTime ?? 'a date to be announced'}.`,
      },
      subject,
    };
  }
  const open = detail.statusCode !== 'closed';
  const needsAttention = open && (detail.eventTypeCategory === 'issue' || detail.eventTypeCategory === 'scheduledChange');
  return {
    finding: {
      category: 'health_event',
      severity: needsAttention ? 'warning' : 'info',
      cause: `AWS Health ${detail.eventTypeCategory ?? 'event'} ${detail.eventTypeCode ?? ''} for ${detail.service ?? 'an AWS service'}${detail.statusCode === undefined ? '' : ` (${detail.statusCode})`}.`,
    },
    subject,
  };
}
