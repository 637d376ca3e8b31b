import { clusterName, parseArn, serviceName } from '../events/arn.ts';
import type { EcsEvent } from '../events/parse.ts';
import type { Category } from './categories.ts';
import { matchCatalogue } from './catalogue.ts';
import { classifyDeploymentEvent } from './deployment.ts';
import { fromMatch, type Finding, type Subject } from './finding.ts';

export type ServiceActionEvent = Extract<EcsEvent, { kind: 'serviceAction' }>;

/** Service actions are classified by eventName: eventType is unreliable (a placement failure can arrive as INFO). */
const BY_EVENT_NAME: Record<string, Category> = {
  SERVICE_STEADY_STATE: 'service_steady_state',
  TASKSET_STEADY_STATE: 'taskset_steady_state',
  CAPACITY_PROVIDER_STEADY_STATE: 'capacity_provider_steady_state',
  SERVICE_DESIRED_COUNT_UPDATED: 'desired_count_updated',
  TASKS_STOPPED: 'tasks_stopped',
  SERVICE_TASK_START_IMPAIRED: 'service_task_start_impaired',
  SERVICE_DISCOVERY_INSTANCE_UNHEALTHY: 'service_discovery_unhealthy',
  VPC_LATTICE_TARGET_UNHEALTHY: 'vpc_lattice_target_unhealthy',
  SERVICE_DAEMON_PLACEMENT_CONSTRAINT_VIOLATED: 'daemon_placement_constraint_violated',
  ECS_OPERATION_THROTTLED: 'throttled',
  SERVICE_DISCOVERY_OPERATION_THROTTLED: 'throttled',
  SERVICE_TASK_CONFIGURATION_FAILURE: 'service_configuration_failure',
  SERVICE_HEALTH_UNKNOWN: 'service_health_unknown',
};

const FARGATE_PROVIDERS = /capacity-provider\/FARGATE(_SPOT)?$/;

function placementFinding(reason: string | undefined, capacityProviders: string[]): Finding {
  const match = matchCatalogue(reason);
  if (match === undefined) {
    return {
      category: 'placement_failure',
      cause: reason === undefined ? 'The service could not place a task; the event gives no reason.' : `The service could not place a task: ${reason}`,
    };
  }
  const fargateSpot = capacityProviders.some((arn) => arn.endsWith('/FARGATE_SPOT'));
  if (match.entry.id === 20 && fargateSpot) return { category: 'placement_failure_spot_capacity', patternId: 20 };
  const scalingProvider = capacityProviders.some((arn) => !FARGATE_PROVIDERS.test(arn));
  if (match.entry.category === 'placement_failure_insufficient_resources' && scalingProvider) {
    // With an EC2 capacity provider, managed scaling launches instances in answer to exactly this failure.
    return fromMatch(match, {
      severity: 'warning',
      remedy: 'Usually passes once the capacity provider scales out; if it persists, check its managed scaling and the Auto Scaling group maximum.',
    });
  }
  return fromMatch(match);
}

/** Classifies an `ECS Service Action`, including the deployment event names that now arrive under it too. */
export function classifyServiceAction(event: ServiceActionEvent): { finding: Finding; subject: Subject } {
  const detail = event.detail;
  const eventName = detail.eventName ?? '';
  const serviceArn = event.envelope.resources.find((arn) => parseArn(arn)?.resourceType === 'service') ?? null;
  const subject: Subject = {
    cluster: clusterName(detail.clusterArn) ?? clusterName(serviceArn),
    service: serviceName(serviceArn) ?? detail.serviceName ?? detail.service ?? null,
    taskArn: detail.taskArns?.[0] ?? null,
    containerInstanceArn: detail.containerInstanceArns?.[0] ?? null,
    ec2InstanceId: detail.ec2InstanceIds?.[0] ?? null,
    deploymentId: detail.deploymentId ?? null,
    account: parseArn(serviceArn)?.account ?? null,
    region: parseArn(serviceArn)?.region ?? null,
    status: detail.eventName ?? null,
    reason: detail.reason ?? null,
  };

  if (eventName.startsWith('SERVICE_DEPLOYMENT_')) {
    return { finding: classifyDeploymentEvent(eventName, detail.reason, detail.deploymentId), subject };
  }
  if (eventName === 'SERVICE_TASK_PLACEMENT_FAILURE') {
    return { finding: placementFinding(detail.reason, detail.capacityProviderArns ?? []), subject };
  }
  // Own keys only: an eventName such as `constructor` or `__proto__` must not find Object.prototype's members.
  const category = Object.hasOwn(BY_EVENT_NAME, eventName) ? BY_EVENT_NAME[eventName] : undefined;
  if (category !== undefined) {
    const match = matchCatalogue(detail.reason);
    const precise = match !== undefined && match.entry.category === category ? fromMatch(match) : { category };
    return { finding: precise, subject };
  }
  const match = matchCatalogue(detail.reason);
  if (match !== undefined && match.entry.generic !== true) return { finding: fromMatch(match), subject };
  return {
    finding: {
      category: 'unsupported',
      cause: `A service action this tool does not know yet (${eventName || 'no eventName'}, eventType ${detail.eventType ?? 'unknown'}).`,
    },
    subject,
  };
}
