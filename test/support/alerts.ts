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

/** Ids of the seven tasks folded into followUpAlert(), oldest first. */
export const FOLLOW_UP_TASK_IDS = [
  '77ea7336e48e3a4e63c55244182d37c0',
  '0b5e2c6a1f0d4e8b9a7c3d2e1f0a9b8c',
  '1c6f3d7b2e1a4f9c8b6d4e3f2a1b0c9d',
  '2d7a4e8c3f2b4a0d9c5e5f4a3b2c1d0e',
  '3e8b5f9d4a3c4b1e8d4f6a5b4c3d2e1f',
  '4f9c6a0e5b4d4c2f7e3a7b6c5d4e3f2a',
  '5a0d7b1f6c5e4d3a6f2b8c7d6e5f4a3b',
];

/**
 * The follow-up at the end of sampleAlert()'s grouping window: seven tasks of orders-api were killed for memory in
 * five minutes. It speaks for the group, so it names no single task (no task ARN, no task link).
 */
export function followUpAlert(overrides: Partial<Alert> = {}): Alert {
  const base = sampleAlert();
  return {
    ...base,
    id: 'c4b3a1e7d2f05a69b8e3d5f7a9b1c2d3',
    kind: 'follow-up',
    title: 'OOM: service orders-api (prod) – 7 more tasks in 5 min',
    summary: '7 more tasks of service orders-api (prod) stopped within 5 minutes of the first alert: container orders-api used more memory than its limit and was killed (exit 137).',
    time: '2025-03-14T09:31:51Z',
    facts: { ...base.facts, taskArn: null },
    links: { ...base.links, task: null },
    group: { count: 7, ids: [...FOLLOW_UP_TASK_IDS], firstTime: '2025-03-14T09:26:51Z', lastTime: '2025-03-14T09:31:40Z', windowMinutes: 5 },
    ...overrides,
  };
}

/**
 * The notice that sampleAlert()'s group is over, worded as lib/alerts words one (`Resolved: …` title): the service
 * reached steady state at 10:01:40, eight events after the group opened at 09:26:51.
 */
export function resolvedAlert(overrides: Partial<Alert> = {}): Alert {
  const base = sampleAlert();
  return {
    ...base,
    id: 'd5c4b2f8e3a16b7ac9f4e6a8b0c2d3e4',
    kind: 'resolved',
    status: 'resolved',
    title: 'Resolved: OOM – service orders-api (prod)',
    summary: 'Service orders-api reached steady state at 2025-03-14T10:01:40Z. OOM for service orders-api (prod), firing since 2025-03-14T09:26:51Z, is over (8 events in all).',
    time: '2025-03-14T10:01:40Z',
    facts: { ...base.facts, taskArn: null },
    links: { ...base.links, task: null },
    group: { count: 8, ids: FOLLOW_UP_TASK_IDS.slice(0, 1), firstTime: '2025-03-14T09:26:51Z', lastTime: '2025-03-14T10:01:40Z', windowMinutes: 5 },
    ...overrides,
  };
}

/** Text an attacker controls in a stopped reason: Slack mentions and links, a terminal escape, bidi overrides. */
export const HOSTILE_REASON = '<!channel> @here click <https://evil.example|here> & \u001b[2J\u202egnp.exe\u202c\nnext line';

/** sampleAlert() whose stopped reason, container name, container reason and cause carry HOSTILE_REASON. */
export function hostileAlert(overrides: Partial<Alert> = {}): Alert {
  const base = sampleAlert();
  const [first, ...others] = base.facts.containers;
  return {
    ...base,
    facts: {
      ...base.facts,
      reason: HOSTILE_REASON,
      cause: `The task stopped: "${HOSTILE_REASON}".`,
      containers: [{ ...first!, name: '<@U024BE7LH>', reason: HOSTILE_REASON }, ...others],
    },
    ...overrides,
  };
}
