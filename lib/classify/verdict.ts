import type { Category } from './categories.ts';

export type Severity = 'critical' | 'warning' | 'info';

/** What the classifier says about one container of a task event. */
export interface ContainerVerdict {
  name: string;
  /** From the task definition when the caller supplies it, or inferred (a container that stopped while its task keeps running is not essential); null when unknown. */
  essential: boolean | null;
  exitCode: number | null;
  /** Plain-language meaning of the exit code in its context (137 is only OOM with the OOM reason). */
  exitMeaning: string | null;
  reason: string | null;
}

/**
 * What the hook tracker needs from an `ECS Hook State Change` (pause or Lambda hook of a service deployment), as the
 * event gives it; null where the event leaves a field out. Times are kept as sent (nanoseconds included) and read
 * into epoch milliseconds next to them.
 */
export interface HookFacts {
  /** Unique per hook execution: a linear or canary deployment pauses at every traffic step with a new one. */
  hookId: string | null;
  /** `PAUSE` (waits for `ContinueServiceDeployment`) or `AWS_LAMBDA`. */
  hookType: string | null;
  /** `POST_TEST_TRAFFIC_SHIFT`, `PRE_PRODUCTION_TRAFFIC_SHIFT`, … */
  lifecycleStage: string | null;
  /** The event name without `HOOK_`, as `DescribeServiceDeployments` spells a hook's status: `AWAITING_ACTION`, `SUCCEEDED`, … */
  status: string | null;
  /** When ECS takes the timeout action if nobody has acted. */
  expiresAt: string | null;
  expiresAtMs: number | null;
  /** `arn:aws:ecs:REGION:ACCOUNT:service-deployment/CLUSTER/SERVICE/ID`: the deployment the hook belongs to. */
  serviceDeploymentArn: string | null;
  /** `ROLLBACK` or `CONTINUE` when the event carries it; no documented event does (ECS's default is ROLLBACK), so mostly null. */
  timeoutAction: string | null;
  updatedAt: string | null;
  updatedAtMs: number | null;
}

/**
 * What the daemon trackers need from an `ECS Daemon Service Action` or `ECS Daemon Deployment State Change` (ECS
 * Managed Daemons); null where the event leaves a field out.
 */
export interface DaemonFacts {
  daemonArn: string | null;
  daemonName: string | null;
  /** The revision that failed to start (service action), or the deployment's target revision (`targetDaemonRevisionArn`). */
  daemonRevisionArn: string | null;
  daemonDeploymentArn: string | null;
  daemonTaskDefinitionArn: string | null;
  /** The instance the daemon task failed on (service action only). */
  containerInstanceArn: string | null;
  capacityProviderName: string | null;
  eventName: string | null;
  /** `TASK_FAILED_TO_RUN` (a task was created: `taskArn` is set) or `TASK_CREATION_FAILED` (none was); service action only. */
  failureType: string | null;
  /** The category the wrapped reason has on its own (`image_pull_failure`, `placement_failure_insufficient_resources`, …), for grouping by cause. */
  reasonCategory: Category | null;
  /** `createdAt` of a service action, `updatedAt` of a deployment event, as sent. */
  updatedAt: string | null;
  updatedAtMs: number | null;
}

/**
 * The verdict for one event: what happened, how bad it is, why, and what to do.
 * Every field is always present (null when unknown) so that machine consumers see one stable shape; only the facts of
 * the 2026 event kinds (`hook`, `daemon`) are there just for those events.
 */
export interface Classification {
  category: Category;
  severity: Severity;
  /** True exactly when severity is critical or warning. */
  alert: boolean;
  spot: boolean;
  deploymentId: string | null;
  account: string | null;
  region: string | null;
  cluster: string | null;
  service: string | null;
  taskArn: string | null;
  containerInstanceArn: string | null;
  ec2InstanceId: string | null;
  /** One line: why it happened. */
  cause: string;
  /** One line: what to do about it. */
  remedy: string;
  docsUrl: string;
  containers: ContainerVerdict[];
  /** The event's own time (ISO 8601), null when the envelope lacks it. */
  time: string | null;
  /** The state the event reports: a task's lastStatus, a service or deployment eventName, an instance status. */
  status: string | null;
  stopCode: string | null;
  /** The raw reason text AWS gave (stoppedReason, service or deployment reason, health status reason). */
  reason: string | null;
  taskDefinitionArn: string | null;
  /** `service:NAME` or `family:NAME` for task events. */
  group: string | null;
  /**
   * What launched a task (`startedBy`): `ecs-svc/…` for a service's deployment, an EventBridge rule
   * (`events-rule/nightly-report`), a pipeline or a person's tag for a one-off task; null when not said.
   */
  startedBy: string | null;
  /** Number of the stopped-reason catalogue entry that matched (section 4 of the reference), null when none did. */
  patternId: number | null;
  /** Problems found while reading the event that did not stop its classification (missing envelope fields, wrong types). */
  warnings: string[];
  /**
   * Set only on the verdicts of hook events. Optional rather than null elsewhere, so that every other verdict (and
   * the JSON lines the replay prints of it) keeps the shape consumers already read.
   */
  hook?: HookFacts;
  /** Set only on the verdicts of daemon events (see `hook`). */
  daemon?: DaemonFacts;
}
