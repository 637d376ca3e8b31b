import { clusterName, parseArn } from '../events/arn.ts';
import type { EcsEvent } from '../events/parse.ts';
import type { ContainerDetail, TaskDetail } from '../events/task-state-change.ts';
import { CATALOGUE, matchCatalogue, type ReasonMatch } from './catalogue.ts';
import { exitMeaning } from './exit-codes.ts';
import { fromMatch, type Finding, type Subject } from './finding.ts';
import type { ContainerVerdict } from './verdict.ts';

export type TaskEvent = Extract<EcsEvent, { kind: 'task' }>;

/** What the caller may know beyond the event, such as the task definition's essential flags. */
export interface TaskContext {
  /** Names of the containers marked essential in the task definition, when it has been looked up. */
  essentialContainers?: ReadonlySet<string>;
}

/**
 * A stop caused by Spot capacity. `SpotInterruption` covers Fargate Spot and EC2 Spot alike (AWS's
 * SpotInterruptionError page); `TerminationNotice` is the Fargate Spot code of the 2023 docs, so on a task with a
 * container instance (EC2 or external capacity) it says nothing about Spot and the stopped reason decides.
 */
function isSpotStop(detail: TaskDetail): boolean {
  if (/Your Spot Task was interrupted/i.test(detail.stoppedReason ?? '')) return true;
  if (detail.stopCode === 'SpotInterruption') return true;
  return detail.stopCode === 'TerminationNotice' && detail.containerInstanceArn === undefined && detail.launchType !== 'EC2' && detail.launchType !== 'EXTERNAL';
}
/** Stop codes meaning ECS itself sent the stop signal, so exit 143 and 137 are its doing. */
const ECS_STOP_CODES = new Set(['ServiceSchedulerInitiated', 'UserInitiated', 'SpotInterruption', 'TerminationNotice', 'InfrastructureHealth']);
/** Codes a container gets when ECS stops it: SIGTERM (143), or SIGKILL after the stop timeout (137). */
const STOP_SIGNAL_CODES = new Set([137, 143]);
/** States between RUNNING and STOPPED: the stop is under way and its STOPPED event carries the verdict. */
const TRANSITIONAL_STATES = new Set(['DEACTIVATING', 'STOPPING', 'DEPROVISIONING']);
const KNOWN_STOP_CODES = new Set([...ECS_STOP_CODES, 'EssentialContainerExited', 'TaskFailedToStart']);

const DEPLOYMENT_IN_REASON = /\(deployment (ecs-svc\/\d+)\)/;
const HOST_IN_REASON = /Host EC2 \(instance (i-[0-9a-z]+)\)/i;

function serviceFromGroup(group: string | undefined): string | null {
  return group?.startsWith('service:') ? group.slice('service:'.length) : null;
}

function isStandalone(detail: TaskDetail): boolean {
  if (detail.group !== undefined) return detail.group.startsWith('family:');
  return !(detail.startedBy ?? '').startsWith('ecs-svc/');
}

function deploymentIdOf(detail: TaskDetail): string | null {
  if (detail.startedBy?.startsWith('ecs-svc/')) return detail.startedBy;
  return DEPLOYMENT_IN_REASON.exec(detail.stoppedReason ?? '')?.[1] ?? null;
}

/** A nested match ranks by its more specific part. */
function rankOf(match: ReasonMatch): number {
  return Math.min(CATALOGUE.indexOf(match.entry), CATALOGUE.indexOf(match.detail ?? match.entry));
}

/**
 * The most specific catalogue match across the containers' reasons and the task's (OOM before anything else), with
 * the container whose reason gave it. Containers come first so that one repeating the task's reason is named.
 */
function mostSpecificMatch(detail: TaskDetail): { match: ReasonMatch; container?: ContainerDetail } | undefined {
  const sources: { text: string | undefined; container?: ContainerDetail }[] = [
    ...(detail.containers ?? []).map((container) => ({ text: container.reason, container })),
    { text: detail.stoppedReason },
  ];
  let best: { match: ReasonMatch; container?: ContainerDetail } | undefined;
  for (const source of sources) {
    const match = matchCatalogue(source.text);
    if (match === undefined || match.entry.generic === true) continue;
    if (best === undefined || rankOf(match) < rankOf(best.match)) best = { match, ...(source.container === undefined ? {} : { container: source.container }) };
  }
  return best;
}

function hasExited(container: ContainerDetail): container is ContainerDetail & { exitCode: number } {
  return container.exitCode !== undefined;
}

function describeContainers(containers: ContainerDetail[]): string {
  return containers.map((container) => `"${container.name ?? 'unnamed'}"`).join(', ');
}

interface ExitAnalysis {
  finding: Finding;
  /** Containers that did not cause the stop but were stopped by ECS because of it. */
  collateral: Set<ContainerDetail>;
}

/**
 * EssentialContainerExited: find the container that ended the task from the exit codes. Without the task
 * definition we do not know which containers are essential, so codes 137 and 143 next to another container's
 * exit are read as ECS stopping the rest of the task, not as the cause.
 */
function analyseExits(detail: TaskDetail, context: TaskContext): ExitAnalysis {
  const exited = (detail.containers ?? []).filter(hasExited);
  const essentials = context.essentialContainers;
  const relevant = essentials === undefined ? exited : exited.filter((container) => essentials.has(container.name ?? ''));
  const standalone = isStandalone(detail);
  if (relevant.length === 0) {
    return {
      finding: {
        category: 'unknown_stop',
        cause: 'An essential container exited, but the event carries no exit code to say how.',
        remedy: "Look at the task's containers in the console (DescribeTasks) and their logs.",
      },
      collateral: new Set(),
    };
  }
  const hardFailures = relevant.filter((container) => container.exitCode !== 0 && !STOP_SIGNAL_CODES.has(container.exitCode));
  const zeroExits = relevant.filter((container) => container.exitCode === 0);
  const culprits = hardFailures.length > 0 ? hardFailures : zeroExits.length > 0 ? zeroExits : relevant;
  const collateral = new Set(exited.filter((container) => !culprits.includes(container) && STOP_SIGNAL_CODES.has(container.exitCode)));
  const first = culprits[0];
  const names = describeContainers(culprits);
  if (hardFailures.length === 0 && zeroExits.length > 0 && standalone) {
    return {
      finding: {
        category: 'task_completed',
        cause: `The standalone task finished: container ${names} exited with code 0.`,
      },
      collateral,
    };
  }
  const code = first?.exitCode ?? 0;
  const meaning = exitMeaning(code, { oom: false, stoppedByEcs: false, standalone });
  return {
    finding: {
      category: 'app_error_exit',
      cause:
        code === 0
          ? `Essential container ${names} exited with code 0 although the service expects it to keep running, so ECS stopped the task and will start it again.`
          : `Essential container ${names} exited with code ${code} (${meaning}), so ECS stopped the task.`,
      remedy:
        code === 0
          ? "Check the container's command and configuration: its main process must not return."
          : `Read the logs of container ${names} just before the exit.`,
    },
    collateral,
  };
}

function containerVerdicts(
  detail: TaskDetail,
  context: TaskContext,
  stoppedByEcs: boolean,
  collateral: ReadonlySet<ContainerDetail>,
): ContainerVerdict[] {
  const taskRunning = detail.lastStatus !== 'STOPPED' && detail.desiredStatus !== 'STOPPED';
  const standalone = isStandalone(detail);
  return (detail.containers ?? []).map((container) => {
    const name = container.name ?? 'unnamed';
    const inferredNonEssential = taskRunning && container.lastStatus === 'STOPPED' ? false : null;
    const essential = context.essentialContainers?.has(name) ?? inferredNonEssential;
    const oom = /OutOfMemoryError/i.test(container.reason ?? '');
    return {
      name,
      essential,
      exitCode: container.exitCode ?? null,
      exitMeaning:
        container.exitCode === undefined
          ? null
          : exitMeaning(container.exitCode, { oom, stoppedByEcs: stoppedByEcs || collateral.has(container), standalone, nonEssential: essential === false }),
      reason: container.reason ?? null,
    };
  });
}

function spotFinding(detail: TaskDetail, stopped: boolean): Finding {
  if (stopped) return { category: 'spot_interruption', patternId: 8 };
  return {
    category: 'spot_interruption_warning',
    patternId: 8,
    cause: `Fargate Spot is reclaiming the capacity: the task got SIGTERM and will be stopped in about two minutes (stop code ${detail.stopCode ?? 'none'}).`,
  };
}

/** A task that is still running: routine, unless a sidecar stopped under it. */
function runningTaskFinding(detail: TaskDetail): Finding {
  const stoppedSidecars = (detail.containers ?? []).filter((container) => container.lastStatus === 'STOPPED');
  if (detail.desiredStatus === 'STOPPED') {
    const why = [detail.stopCode, detail.stoppedReason].filter((part) => part !== undefined).join(': ');
    return {
      category: 'task_lifecycle',
      cause: `The task is being stopped${why === '' ? '' : ` (${why})`}; the verdict comes with its STOPPED event.`,
    };
  }
  if (stoppedSidecars.length === 0) {
    return { category: 'task_lifecycle', cause: `The task is now ${detail.lastStatus ?? 'in an unreported state'}; nothing is wrong.` };
  }
  const failed = stoppedSidecars.filter((container) => container.exitCode !== 0);
  const names = describeContainers(stoppedSidecars);
  const reason = stoppedSidecars.map((container) => container.reason).find((text) => text !== undefined);
  const codes = stoppedSidecars.map((container) => container.exitCode ?? 'no exit code').join(', ');
  return {
    category: 'non_essential_container_exited',
    severity: failed.length === 0 ? 'info' : 'warning',
    ...(failed.length === 0 ? { remedy: 'Nothing to do.' } : {}),
    cause:
      failed.length === 0
        ? `Non-essential container ${names} finished with code 0 while the task keeps running (an init or helper container doing its job).`
        : `Non-essential container ${names} stopped (exit ${codes})${reason === undefined ? '' : `: ${reason}`}; the task keeps running without it.`,
  };
}

function stoppedTaskFinding(detail: TaskDetail, context: TaskContext): ExitAnalysis {
  const none = new Set<ContainerDetail>();
  // The stop code says ECS found the host unhealthy (auto-repair): that is the cause, whatever the reason text
  // (the code is in the SDK's enum but no page gives its message, so the text may be a draining message or a new one).
  if (detail.stopCode === 'InfrastructureHealth') return { finding: { category: 'infrastructure_health_stop' }, collateral: none };
  const specific = mostSpecificMatch(detail);
  if (specific !== undefined) {
    let finding = fromMatch(specific.match);
    const container = specific.container;
    if (container !== undefined && finding.cause !== undefined) {
      // Named first: appended, the name landed mid-sentence in causes that end with a clause ("… may not (container …)").
      finding = { ...finding, cause: `Container "${container.name ?? 'unnamed'}": ${finding.cause}` };
    }
    if ((finding.category === 'infrastructure_maintenance' || finding.category === 'instance_draining_stop') && !isStandalone(detail)) {
      finding = { ...finding, severity: 'info', remedy: 'Nothing: the service starts a replacement task by itself.' };
    }
    // When one container's failure ended the task, ECS sent the others its stop signal.
    const collateral =
      container === undefined || detail.stopCode !== 'EssentialContainerExited'
        ? none
        : new Set((detail.containers ?? []).filter((other) => other !== container && STOP_SIGNAL_CODES.has(other.exitCode ?? -1)));
    return { finding, collateral };
  }
  const generic = matchCatalogue(detail.stoppedReason)?.entry;
  const stopCode = detail.stopCode;
  if (stopCode === 'EssentialContainerExited' || generic?.id === 1) {
    const analysis = analyseExits(detail, context);
    return { ...analysis, finding: { ...analysis.finding, patternId: generic?.id === 1 ? 1 : null } };
  }
  if (stopCode === 'TaskFailedToStart' || generic?.id === 10) {
    return { finding: { category: 'task_failed_to_start', patternId: generic?.id ?? null }, collateral: none };
  }
  if (stopCode === 'UserInitiated') {
    return { finding: { category: 'user_stopped', cause: `StopTask was called with the reason "${detail.stoppedReason ?? ''}".` }, collateral: none };
  }
  const nonZero = (detail.containers ?? []).some((container) => container.exitCode !== undefined && container.exitCode !== 0);
  const benign = stopCode === 'ServiceSchedulerInitiated' && !nonZero;
  const known = stopCode === undefined || KNOWN_STOP_CODES.has(stopCode);
  return {
    finding: {
      category: 'unknown_stop',
      severity: benign ? 'info' : 'warning',
      cause: known
        ? `The task stopped (${stopCode ?? 'no stop code'}) with a reason this tool does not recognise.`
        : `The task stopped with a stop code this tool does not know yet (${stopCode}).`,
    },
    collateral: none,
  };
}

/** Classifies a task state change, the event that carries container exits too. */
export function classifyTask(event: TaskEvent, context: TaskContext = {}): { finding: Finding; subject: Subject } {
  const detail = event.detail;
  const stopped = detail.lastStatus === 'STOPPED';
  const spot = isSpotStop(detail);
  const taskArn = detail.taskArn ?? event.envelope.resources.find((arn) => parseArn(arn)?.resourceType === 'task') ?? null;

  let analysis: ExitAnalysis;
  if (spot && TRANSITIONAL_STATES.has(detail.lastStatus ?? '')) analysis = { finding: { ...runningTaskFinding(detail), spot: true }, collateral: new Set() };
  else if (spot) analysis = { finding: spotFinding(detail, stopped), collateral: new Set() };
  else if (!stopped) analysis = { finding: runningTaskFinding(detail), collateral: new Set() };
  else analysis = stoppedTaskFinding(detail, context);

  const stoppedByEcs = ECS_STOP_CODES.has(detail.stopCode ?? '');
  const subject: Subject = {
    deploymentId: deploymentIdOf(detail),
    cluster: clusterName(detail.clusterArn) ?? clusterName(taskArn),
    service: serviceFromGroup(detail.group),
    taskArn,
    containerInstanceArn: detail.containerInstanceArn ?? null,
    ec2InstanceId: HOST_IN_REASON.exec(detail.stoppedReason ?? '')?.[1] ?? null,
    account: parseArn(taskArn)?.account ?? null,
    region: parseArn(taskArn)?.region ?? null,
    status: detail.lastStatus ?? null,
    stopCode: detail.stopCode ?? null,
    reason: detail.stoppedReason ?? null,
    taskDefinitionArn: detail.taskDefinitionArn ?? null,
    group: detail.group ?? null,
    startedBy: detail.startedBy ?? null,
    containers: containerVerdicts(detail, context, stoppedByEcs, analysis.collateral),
  };
  return { finding: analysis.finding, subject };
}
