import { clusterName } from '../events/arn.ts';
import type { EcsEvent } from '../events/parse.ts';
import type { Finding, Subject } from './finding.ts';

export type ContainerInstanceEvent = Extract<EcsEvent, { kind: 'containerInstance' }>;
export type ContainerInstanceHealthEvent = Extract<EcsEvent, { kind: 'containerInstanceHealth' }>;

function runningTasks(count: number | undefined): string {
  if (count === undefined) return 'an unknown number of running tasks';
  return `${count} running ${count === 1 ? 'task' : 'tasks'}`;
}

function stateFinding(event: ContainerInstanceEvent): Finding {
  const detail = event.detail;
  const status = detail.status;
  if (status === 'DRAINING') {
    return {
      category: 'container_instance_draining',
      cause: `The container instance is DRAINING with ${runningTasks(detail.runningTasksCount)}: service tasks are being moved elsewhere.`,
    };
  }
  if (status === 'REGISTRATION_FAILED') {
    return {
      category: 'container_instance_state_change',
      severity: 'warning',
      cause: `The container instance failed to register${detail.statusReason === undefined ? '' : `: ${detail.statusReason}`}.`,
      remedy: 'Check the instance role, the agent configuration (ECS_CLUSTER) and the network path to the ECS endpoint.',
    };
  }
  if (detail.agentConnected === false && status !== 'INACTIVE' && status !== 'DEREGISTERING') {
    // ECS's docs call brief disconnects normal (several an hour); a sustained loss arrives as an AGENT_CONNECTIVITY health change.
    return {
      category: 'container_instance_agent_disconnected',
      severity: 'info',
      cause: 'The ECS agent disconnected; brief disconnects are normal, and a lasting one is reported by the AGENT_CONNECTIVITY health check.',
    };
  }
  return {
    category: 'container_instance_state_change',
    cause: `The container instance is ${status ?? 'in an unreported state'} with ${runningTasks(detail.runningTasksCount)}.`,
  };
}

/** Classifies an `ECS Container Instance State Change` (EC2 and external capacity only). */
export function classifyContainerInstance(event: ContainerInstanceEvent): { finding: Finding; subject: Subject } {
  const detail = event.detail;
  return {
    finding: stateFinding(event),
    subject: {
      cluster: clusterName(detail.clusterArn) ?? clusterName(detail.containerInstanceArn),
      containerInstanceArn: detail.containerInstanceArn ?? null,
      ec2InstanceId: detail.ec2InstanceId ?? null,
      status: detail.status ?? null,
      reason: detail.statusReason ?? null,
    },
  };
}

function healthFinding(event: ContainerInstanceHealthEvent): Finding {
  const detail = event.detail;
  const impaired = (detail.healthChecks ?? []).filter((check) => check.status === 'IMPAIRED');
  const listed = impaired.map((check) => `${check.type ?? 'unknown check'}${check.statusReason === undefined ? '' : ` (${check.statusReason})`}`).join(', ');
  if (detail.overallStatus === 'IMPAIRED') {
    if (impaired.length > 0 && impaired.every((check) => check.type === 'AGENT_CONNECTIVITY')) {
      return {
        category: 'container_instance_agent_disconnected',
        cause: `ECS lost the agent of this instance for longer than its own threshold: ${listed}.`,
      };
    }
    return {
      category: 'container_instance_impaired',
      cause: `The container instance is impaired: ${listed === '' ? 'no failing check named' : listed}.`,
    };
  }
  if (detail.overallStatus === 'OK') return { category: 'container_instance_health_ok' };
  return {
    category: 'container_instance_state_change',
    cause: `The container instance health is ${detail.overallStatus ?? 'unreported'}.`,
  };
}

/** Classifies an `ECS Container Instance Health Change` (runtime, GPU, daemon and agent connectivity checks). */
export function classifyContainerInstanceHealth(event: ContainerInstanceHealthEvent): { finding: Finding; subject: Subject } {
  const detail = event.detail;
  const reasons = (detail.healthChecks ?? []).filter((check) => check.status === 'IMPAIRED' && check.statusReason !== undefined);
  return {
    finding: healthFinding(event),
    subject: {
      cluster: clusterName(detail.clusterArn) ?? clusterName(detail.containerInstanceArn),
      containerInstanceArn: detail.containerInstanceArn ?? null,
      ec2InstanceId: detail.ec2InstanceId ?? null,
      status: detail.overallStatus ?? null,
      reason: reasons.map((check) => `${check.type ?? 'check'}: ${check.statusReason ?? ''}`).join('; ') || null,
    },
  };
}
