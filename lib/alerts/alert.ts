import type { Category } from '../classify/categories.ts';
import type { Severity } from '../classify/verdict.ts';

/** Whether the problem is going on, or is over. */
export type AlertStatus = 'firing' | 'resolved';

/**
 * Which message in the life of an alert group this is: the first alert, the follow-up that folds in what happened
 * during the grouping window, a reminder that the group still fires, or the notice that it is over.
 */
export type AlertKind = 'new' | 'follow-up' | 'repeat' | 'resolved' | 'deployment';

/** How a deployment went, in a deployment notice (`kind: 'deployment'`): what a CI pipeline waits for. */
export type DeploymentOutcome = 'started' | 'completed' | 'failed' | 'rolled-back';

export interface AlertContainer {
  name: string;
  essential: boolean | null;
  exitCode: number | null;
  exitMeaning: string | null;
  reason: string | null;
  /** CloudWatch Logs console page of this container's log stream, when its task definition uses the awslogs driver. */
  logsUrl: string | null;
  /** The image the task definition names, with its tag or digest (`…/orders-api:2025.03.12-3`); absent when not looked up. */
  image?: string | null;
  /** Memory limit and reservation in MiB from the task definition; absent or null when not looked up. */
  memory?: { limitMiB: number | null; reservationMiB: number | null } | null;
  /** The last lines of the failed container's log stream (credentials masked), or why they are not shown. */
  logTail?: ContainerLogTail | null;
}

/** The last lines of a container's log stream; `missing` says, in one line, why there are none to show. */
export interface ContainerLogTail {
  lines: string[];
  /** True when older lines or long lines were cut to keep the tail short. */
  cut: boolean;
  missing: string | null;
}

/** A lifecycle hook of a deployment, as DescribeServiceDeployments reported it (`lifecycleHookDetails[]`). */
export interface DeploymentHookFacts {
  hookId: string | null;
  /** `PAUSE` or `AWS_LAMBDA`. */
  targetType: string | null;
  /** The Lambda function of an `AWS_LAMBDA` hook; null for a pause hook. */
  targetArn: string | null;
  /** `AWAITING_ACTION`, `IN_PROGRESS`, `SUCCEEDED`, `FAILED` or `TIMED_OUT`. */
  status: string | null;
  expiresAt: string | null;
  /** `CONTINUE` or `ROLLBACK`. */
  timeoutAction: string | null;
}

/**
 * What ECS's service-deployment API said of a deployment that failed or is rolling back, when the alert was built:
 * the deployment events tell a rollback only in free text, and a failed rollback not at all.
 */
export interface RollbackFacts {
  /** The service deployment's status: `ROLLBACK_IN_PROGRESS`, `ROLLBACK_SUCCESSFUL`, `ROLLBACK_FAILED`, `STOPPED`, … */
  status: string;
  statusReason: string | null;
  /** What started the rollback (`rollback.reason`: the circuit breaker, an alarm, a hook); null when none started. */
  reason: string | null;
  startedAt: string | null;
  /** The lifecycle stage the deployment was at (blue/green, linear and canary deployments); null when not said. */
  stage: string | null;
  /** The lifecycle hooks that ran, as ECS listed them. */
  hooks: DeploymentHookFacts[];
  /** When ECS last changed the deployment: the answer is news of that moment. */
  updatedAt: string | null;
}

/** The facts behind an alert, as the classifier found them; null where the event does not say. */
export interface AlertFacts {
  account: string | null;
  region: string | null;
  cluster: string | null;
  service: string | null;
  /** Task definition family, from the task definition ARN or a `family:` group. */
  taskFamily: string | null;
  taskArn: string | null;
  /** `family:revision` */
  taskDefinition: string | null;
  containerInstanceArn: string | null;
  ec2InstanceId: string | null;
  deploymentId: string | null;
  status: string | null;
  stopCode: string | null;
  reason: string | null;
  cause: string;
  remedy: string;
  containers: AlertContainer[];
  /** The task's memory in MiB from its task definition (`taskDefinition.memory`); absent when not looked up. */
  taskMemoryMiB?: number | null;
  /**
   * A failed or rolling-back deployment's rollback, as DescribeServiceDeployments said it: absent when not asked
   * (not a deployment failure, or no lookup), null when asked and ECS did not answer.
   */
  rollback?: RollbackFacts | null;
  /** The service's task counts when the alert was built (DescribeServices); absent when not looked up. */
  serviceCounts?: { running: number; desired: number; pending: number } | null;
  /** From the service's tags, else the task definition's (tag keys set by deploy parameters). */
  runbook?: string | null;
  owner?: string | null;
  /** The managed daemon the alert is about (ECS Managed Daemons); absent for everything else. */
  daemon?: string;
  /**
   * The service's tags over the task definition's, as looked up (absent when neither was); what routes match on
   * (`lib/routing/`). Keys starting with `aws:` are AWS's own and left out.
   */
  tags?: Record<string, string>;
}

export interface AlertLinks {
  /** ECS console page of the task. */
  task: string | null;
  /** ECS console page of the service. */
  service: string | null;
  /** The AWS page that explains the category. */
  docs: string;
  /** EC2 console page of the instance, and ECS console page of the cluster (Spot and container-instance alerts). */
  ec2Instance?: string | null;
  cluster?: string | null;
}

/** How many events an alert stands for, and which tasks: one for a new alert, all folded ones for a follow-up. */
export interface AlertGroupInfo {
  count: number;
  /** Ids of the tasks (or other resources) concerned, at most MAX_GROUP_IDS of them. */
  ids: string[];
  firstTime: string;
  lastTime: string;
  windowMinutes: number;
}

/** When a waiting alert is told again; see `Alert.reminder`. */
export interface Reminder {
  /** No reminder after this time (ISO): what was awaited expires then (a pause hook's timeout). */
  until: string | null;
}

/**
 * One message to people: what the alert a good on-call engineer would write says, plus what machines need
 * (a deterministic `key` to group and filter on, kept apart from the text).
 */
export interface Alert {
  /** Unique per message, stable across retries: consumers may drop a second delivery with the same id. */
  id: string;
  /** Deterministic group key: account, region, cluster, service or task family (or instance), category. */
  key: string;
  kind: AlertKind;
  status: AlertStatus;
  severity: Severity;
  category: Category;
  spot: boolean;
  /** One line, at most 100 characters: an email subject. */
  title: string;
  /** Two or three sentences: what happened and how often. */
  summary: string;
  /** When the message speaks for: the event's time, or the end of the grouping window for a follow-up. */
  time: string;
  facts: AlertFacts;
  links: AlertLinks;
  group: AlertGroupInfo;
  /**
   * Since when the alert's group has fired and how many events it has counted so far, as of this message; set by
   * grouping on every message of a group (absent on an alert not yet applied to its group).
   */
  firing?: { since: string; events: number };
  /** Set on deployment notices only (`kind: 'deployment'`), and sent as the `outcome` message attribute. */
  deploymentOutcome?: DeploymentOutcome;
  /**
   * Tell this alert again every repeat interval while it fires, even when nothing new happens (a deployment paused
   * for a person), until `until`; it is critical once `until` is within one repeat interval. Kept in the group.
   */
  reminder?: Reminder;
  /**
   * False when an ECS API lookup that adds facts failed: the task definition (log links; also when there is no
   * lookup), DescribeServices (deployment and Spot counts), DescribeServiceDeployments (a deployment's rollback), the
   * tasks on an instance or of a retirement notice.
   */
  enriched: boolean;
}

export const MAX_TITLE_LENGTH = 100;
export const MAX_GROUP_IDS = 20;
