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
 * The verdict for one event: what happened, how bad it is, why, and what to do.
 * Every field is always present (null when unknown) so that machine consumers see one stable shape.
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
}
