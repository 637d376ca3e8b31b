import { classify } from '../../lib/classify/classify.ts';
import type { ClassifyContext } from '../../lib/classify/classify.ts';
import type { Classification } from '../../lib/classify/verdict.ts';
import { parseEvent } from '../../lib/events/parse.ts';

const ACCOUNT = '111122223333';
const REGION = 'us-west-2';
const CLUSTER_ARN = `arn:aws:ecs:${REGION}:${ACCOUNT}:cluster/prod`;
export const TASK_ARN = `arn:aws:ecs:${REGION}:${ACCOUNT}:task/prod/0a1b2c3d4e5f60718293a4b5c6d7e8f9`;
export const SERVICE_ARN = `arn:aws:ecs:${REGION}:${ACCOUNT}:service/prod/api`;

function envelope(detailType: string, source: string, resources: string[], detail: Record<string, unknown>): Record<string, unknown> {
  return {
    version: '0',
    id: '3317b2af-7005-947d-b652-f55e762e571a',
    'detail-type': detailType,
    source,
    account: ACCOUNT,
    time: '2025-03-14T09:26:53Z',
    region: REGION,
    resources,
    detail,
  };
}

export interface ContainerSpec {
  name?: string;
  exitCode?: number;
  reason?: string;
  lastStatus?: string;
}

/** A STOPPED service task event in the documented shape, with the given stop and containers. */
export function taskEvent(detail: Record<string, unknown>, containers: ContainerSpec[] = [{ name: 'web', exitCode: 1 }]): Record<string, unknown> {
  return envelope('ECS Task State Change', 'aws.ecs', [TASK_ARN], {
    clusterArn: CLUSTER_ARN,
    taskArn: TASK_ARN,
    taskDefinitionArn: `arn:aws:ecs:${REGION}:${ACCOUNT}:task-definition/api:42`,
    group: 'service:api',
    startedBy: 'ecs-svc/9223370526127282714',
    launchType: 'FARGATE',
    lastStatus: 'STOPPED',
    desiredStatus: 'STOPPED',
    version: 5,
    containers: containers.map((container) => ({
      containerArn: `arn:aws:ecs:${REGION}:${ACCOUNT}:container/prod/0a1b2c3d4e5f60718293a4b5c6d7e8f9/${container.name ?? 'web'}`,
      name: container.name ?? 'web',
      lastStatus: container.lastStatus ?? 'STOPPED',
      taskArn: TASK_ARN,
      ...(container.exitCode === undefined ? {} : { exitCode: container.exitCode }),
      ...(container.reason === undefined ? {} : { reason: container.reason }),
    })),
    ...detail,
  });
}

export function serviceActionEvent(detail: Record<string, unknown>): Record<string, unknown> {
  return envelope('ECS Service Action', 'aws.ecs', [SERVICE_ARN], {
    eventType: 'ERROR',
    eventName: 'SERVICE_TASK_PLACEMENT_FAILURE',
    clusterArn: CLUSTER_ARN,
    createdAt: '2025-03-14T09:26:53.000Z',
    ...detail,
  });
}

export function deploymentEvent(detail: Record<string, unknown>): Record<string, unknown> {
  return envelope('ECS Deployment State Change', 'aws.ecs', [SERVICE_ARN], {
    eventType: 'INFO',
    eventName: 'SERVICE_DEPLOYMENT_IN_PROGRESS',
    deploymentId: 'ecs-svc/9223370526127282714',
    updatedAt: '2025-03-14T09:26:53.000Z',
    ...detail,
  });
}

export function genericEvent(detailType: string, source: string, detail: Record<string, unknown>, resources: string[] = []): Record<string, unknown> {
  return envelope(detailType, source, resources, detail);
}

export function verdictOf(event: unknown, context?: ClassifyContext): Classification {
  return classify(parseEvent(event, 'test'), context);
}
