import { clusterName, daemonName, parseArn } from '../events/arn.ts';
import type { EcsEvent } from '../events/parse.ts';
import { timestampMs } from '../events/timestamp.ts';
import type { Finding, Subject } from './finding.ts';
import type { DaemonFacts } from './verdict.ts';

export type DaemonDeploymentEvent = Extract<EcsEvent, { kind: 'daemonDeployment' }>;

/**
 * A daemon rollout's state from its event name (https://docs.aws.amazon.com/AmazonECS/latest/developerguide/managed-daemons-events.html).
 * AWS types every name INFO but ROLLBACK_FAILED; STOP_REQUESTED and ROLLBACK_IN_PROGRESS still mean the rollout
 * failed and is being undone, so both are a warning here. STOPPED alone is information: it means failed *or*
 * replaced by a newer deployment, which only the tracker, seeing what follows, can tell apart.
 */
function deploymentFinding(eventName: string, daemon: string): Finding {
  switch (eventName) {
    case 'DAEMON_DEPLOYMENT_PENDING':
      return { category: 'daemon_deployment_in_progress', cause: `A deployment of ${daemon} was started and is pending.` };
    case 'DAEMON_DEPLOYMENT_IN_PROGRESS':
      return { category: 'daemon_deployment_in_progress', cause: `A deployment of ${daemon} is replacing its daemon tasks.` };
    case 'DAEMON_DEPLOYMENT_SUCCESSFUL':
      return { category: 'daemon_deployment_successful', cause: `The deployment of ${daemon} completed: its daemon tasks run the target revision.` };
    case 'DAEMON_DEPLOYMENT_ROLLBACK_SUCCESSFUL':
      return {
        category: 'daemon_deployment_successful',
        cause: `ECS rolled ${daemon} back to its previous revision after a failed deployment; the rollback completed.`,
        remedy: 'Nothing urgent: the previous revision runs. Fix the failed revision before deploying it again.',
      };
    case 'DAEMON_DEPLOYMENT_STOP_REQUESTED':
      return { category: 'daemon_deployment_rollback', cause: `ECS stopped the deployment of ${daemon} from going further and is about to roll it back.` };
    case 'DAEMON_DEPLOYMENT_ROLLBACK_IN_PROGRESS':
      return { category: 'daemon_deployment_rollback', cause: `The deployment of ${daemon} failed and ECS is rolling it back to its previous revision.` };
    case 'DAEMON_DEPLOYMENT_ROLLBACK_FAILED':
      return { category: 'daemon_deployment_rollback_failed', cause: `ECS could not roll back the failed deployment of ${daemon}: instances may run neither revision, and ECS replaces instances whose daemon does not run.` };
    case 'DAEMON_DEPLOYMENT_STOPPED':
      return { category: 'daemon_deployment_stopped', cause: `The deployment of ${daemon} stopped: it failed, or a newer deployment replaced it.` };
    default:
      return { category: 'unsupported', cause: `A daemon deployment event this tool does not know yet (${eventName || 'no eventName'}).` };
  }
}

/** Classifies an `ECS Daemon Deployment State Change`; the daemon comes from `detail.daemonArn`, or from the envelope's `resources`. */
export function classifyDaemonDeployment(event: DaemonDeploymentEvent): { finding: Finding; subject: Subject } {
  const detail = event.detail;
  const daemonArn = detail.daemonArn ?? event.envelope.resources.find((arn) => parseArn(arn)?.resourceType === 'daemon') ?? null;
  const name = daemonName(daemonArn) ?? daemonName(detail.daemonDeploymentArn) ?? daemonName(detail.targetDaemonRevisionArn);
  const facts: DaemonFacts = {
    daemonArn,
    daemonName: name,
    daemonRevisionArn: detail.targetDaemonRevisionArn ?? null,
    daemonDeploymentArn: detail.daemonDeploymentArn ?? null,
    daemonTaskDefinitionArn: null,
    containerInstanceArn: null,
    capacityProviderName: null,
    eventName: detail.eventName ?? null,
    failureType: null,
    reasonCategory: null,
    updatedAt: detail.updatedAt ?? null,
    updatedAtMs: timestampMs(detail.updatedAt),
  };
  const anyArn = detail.clusterArn ?? daemonArn ?? detail.daemonDeploymentArn;
  return {
    finding: deploymentFinding(detail.eventName ?? '', name === null ? 'the daemon' : `daemon ${name}`),
    subject: {
      cluster: clusterName(detail.clusterArn) ?? clusterName(daemonArn) ?? clusterName(detail.daemonDeploymentArn),
      account: parseArn(anyArn)?.account ?? null,
      region: parseArn(anyArn)?.region ?? null,
      status: detail.eventName ?? null,
      daemon: facts,
    },
  };
}
