import { clusterName, parseArn, serviceName } from '../events/arn.ts';
import type { EcsEvent } from '../events/parse.ts';
import type { Finding, Subject } from './finding.ts';

export type DeploymentEvent = Extract<EcsEvent, { kind: 'deployment' }>;

const ROLLBACK = /rolling back/i;
const ROLLBACK_TARGET = /rolling back to deploymentId (\S+?)\.?$/i;

/**
 * A deployment's state from its event name and reason. A circuit-breaker rollback starts as an ordinary
 * IN_PROGRESS event: only the reason text says "rolling back".
 */
export function classifyDeploymentEvent(eventName: string, reason: string | undefined, deploymentId: string | undefined): Finding {
  const id = deploymentId ?? 'of the service';
  switch (eventName) {
    case 'SERVICE_DEPLOYMENT_IN_PROGRESS': {
      if (ROLLBACK.test(reason ?? '')) {
        const target = ROLLBACK_TARGET.exec(reason ?? '')?.[1];
        return {
          category: 'deployment_rollback',
          cause: `The deployment failed and ECS is rolling the service back${target === undefined ? '' : ` to ${target}`}: ${reason ?? ''}`,
        };
      }
      return { category: 'deployment_in_progress', cause: `Deployment ${id} is in progress.` };
    }
    case 'SERVICE_DEPLOYMENT_COMPLETED':
      return { category: 'deployment_completed', cause: `Deployment ${id} completed.` };
    case 'SERVICE_DEPLOYMENT_FAILED':
      return {
        category: 'deployment_failed',
        cause: `Deployment ${id} failed${reason === undefined ? '' : `: ${reason}`}`,
      };
    default:
      return { category: 'unsupported', cause: `A deployment event this tool does not know yet (${eventName || 'no eventName'}).` };
  }
}

/** Classifies an `ECS Deployment State Change`; it has no clusterArn, so cluster and service come from the service ARN. */
export function classifyDeployment(event: DeploymentEvent): { finding: Finding; subject: Subject } {
  const detail = event.detail;
  const serviceArn = event.envelope.resources.find((arn) => parseArn(arn)?.resourceType === 'service') ?? null;
  return {
    finding: classifyDeploymentEvent(detail.eventName ?? '', detail.reason, detail.deploymentId),
    subject: {
      deploymentId: detail.deploymentId ?? null,
      cluster: clusterName(serviceArn),
      service: serviceName(serviceArn),
      account: parseArn(serviceArn)?.account ?? null,
      region: parseArn(serviceArn)?.region ?? null,
      status: detail.eventName ?? null,
      reason: detail.reason ?? null,
    },
  };
}
