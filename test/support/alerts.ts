import type { Alert } from '../../lib/alerts/alert.ts';

const REGION = 'us-west-2';
const TASK_ARN = 'arn:aws:ecs:us-west-2:111122223333:task/prod/77ea7336e48e3a4e63c55244182d37c0';

/**
 * A realistic alert: the first OOM of service orders-api, with console and log links. Tests change what they need
 * through `overrides` (shallow) and get a fresh copy each call.
 */
export function sampleAlert(overrides: Partial<Alert> = {}): Alert {
  const base: Alert = {
    id: 'b3a2f0d6c1e94f58a7d2c4e6f8a0b1c2',
    key: '111122223333|us-west-2|prod|service:orders-api|oom',
    kind: 'new',
    status: 'firing',
    severity: 'warning',
    category: 'oom',
    spot: false,
    title: 'OOM: service orders-api (prod) – container orders-api killed for using too much memory',
    summary: 'Task 77ea7336 of service orders-api stopped: container orders-api used more memory than its limit and was killed (exit 137).',
    time: '2025-03-14T09:26:51Z',
    facts: {
      account: '111122223333',
      region: REGION,
      cluster: 'prod',
      service: 'orders-api',
      taskFamily: 'orders-api',
      taskArn: TASK_ARN,
      taskDefinition: 'orders-api:212',
      containerInstanceArn: null,
      ec2InstanceId: null,
      deploymentId: 'ecs-svc/9571171551795520066',
      status: 'STOPPED',
      stopCode: 'EssentialContainerExited',
      reason: 'Essential container in task exited',
      cause: 'The container used more memory than its hard limit and the kernel killed it (OutOfMemoryError) (container "orders-api").',
      remedy: 'Raise the container or task memory, or find the leak; size JVM or Node heaps below the limit.',
      containers: [
        {
          name: 'orders-api',
          essential: true,
          exitCode: 137,
          exitMeaning: 'Killed for using more memory than its limit (OutOfMemoryError)',
          reason: 'OutOfMemoryError: Container killed due to memory usage',
          logsUrl:
            'https://us-west-2.console.aws.amazon.com/cloudwatch/home?region=us-west-2#logsV2:log-groups/log-group/$252Fecs$252Forders-api/log-events/ecs$252Forders-api$252F77ea7336e48e3a4e63c55244182d37c0',
        },
        {
          name: 'envoy',
          essential: false,
          exitCode: 143,
          exitMeaning: "Shut down cleanly on ECS's stop signal (SIGTERM)",
          reason: null,
          logsUrl: null,
        },
      ],
    },
    links: {
      task: 'https://us-west-2.console.aws.amazon.com/ecs/v2/clusters/prod/tasks/77ea7336e48e3a4e63c55244182d37c0/configuration?region=us-west-2',
      service: 'https://us-west-2.console.aws.amazon.com/ecs/v2/clusters/prod/services/orders-api/health?region=us-west-2',
      docs: 'https://docs.aws.amazon.com/AmazonECS/latest/developerguide/out-of-memory.html',
    },
    group: { count: 1, ids: ['77ea7336e48e3a4e63c55244182d37c0'], firstTime: '2025-03-14T09:26:51Z', lastTime: '2025-03-14T09:26:51Z', windowMinutes: 5 },
    enriched: true,
  };
  return { ...structuredClone(base), ...overrides };
}
