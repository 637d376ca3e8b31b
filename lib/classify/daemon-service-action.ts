import { clusterName, daemonName, lastSegment, parseArn } from '../events/arn.ts';
import type { EcsEvent } from '../events/parse.ts';
import { timestampMs } from '../events/timestamp.ts';
import { CATEGORY_INFO } from './categories.ts';
import { matchCatalogue } from './catalogue.ts';
import { fromMatch, type Finding, type Subject } from './finding.ts';
import type { DaemonFacts } from './verdict.ts';

export type DaemonServiceActionEvent = Extract<EcsEvent, { kind: 'daemonServiceAction' }>;

/**
 * The wrapper ECS puts around a daemon task's own stopped reason when the task was created but never ran
 * (`failureType` TASK_FAILED_TO_RUN; example of https://docs.aws.amazon.com/AmazonECS/latest/developerguide/managed-daemons-events.html).
 */
const FAILED_TO_RUN = /^\s*Task failed to reach RUNNING status:\s*/iu;

/** Catalogue categories that say the instance has no room or no fit for the task (sections 4.3 of the reference). */
const PLACEMENT_CATEGORIES = new Set(['placement_failure_insufficient_resources', 'placement_failure_constraints', 'placement_failure_no_instances', 'placement_failure']);

function daemonLabel(facts: DaemonFacts): string {
  return facts.daemonName === null ? 'A daemon' : `Daemon ${facts.daemonName}`;
}

function instanceLabel(facts: DaemonFacts): string {
  const id = lastSegment(facts.containerInstanceArn);
  return id === null ? 'a container instance' : `container instance ${id}`;
}

/**
 * DAEMON_TASK_START_IMPAIRED: what failed from `failureType`, why from the wrapped reason, read with the stopped-reason
 * catalogue (an image pull, a secret, …) or as a placement failure (`RESOURCE:CPU - Unable to place daemon task …`).
 *
 * Severity stays a warning: the event does not say whether the daemon is one whose loss makes ECS replace the instance
 * (it is sent "for both critical and non-critical daemons"), and one instance is not yet an outage. The daemon tracker,
 * which sees the same daemon fail across instances, is the one to escalate.
 */
function startImpairedFinding(reason: string | undefined, facts: DaemonFacts): { finding: Finding; reasonCategory: DaemonFacts['reasonCategory'] } {
  const subject = `${daemonLabel(facts)} could not start on ${instanceLabel(facts)}`;
  const wrapped = reason === undefined ? undefined : reason.replace(FAILED_TO_RUN, '');
  const match = matchCatalogue(wrapped);
  const base = { category: 'daemon_task_start_impaired' as const };
  if (match === undefined || match.entry.generic === true) {
    const what = facts.failureType === 'TASK_CREATION_FAILED' ? 'no daemon task could be created there' : facts.failureType === 'TASK_FAILED_TO_RUN' ? 'its task never reached RUNNING' : 'ECS gives no failure type';
    return {
      finding: { ...base, cause: `${subject}: ${what}${reason === undefined ? '; the event gives no reason.' : `: ${reason}`}` },
      reasonCategory: match?.entry.category ?? null,
    };
  }
  const known = fromMatch(match);
  if (PLACEMENT_CATEGORIES.has(match.entry.category)) {
    // A daemon runs on every instance of its capacity providers: room elsewhere does not help, the instance must fit it.
    return {
      finding: {
        ...base,
        patternId: known.patternId ?? null,
        cause: `${subject}: the instance has no room for the daemon task (${wrapped ?? ''}).`,
        remedy: 'Lower the CPU or memory of the daemon task definition, or use instance types with room for the daemon next to the tasks.',
      },
      reasonCategory: match.entry.category,
    };
  }
  return {
    finding: {
      ...base,
      patternId: known.patternId ?? null,
      cause: `${subject}: its task never reached RUNNING. ${known.cause ?? wrapped ?? ''}`,
      // The page of the wrapped failure (image pulls, secrets, …) helps more than the daemon events page.
      remedy: known.remedy ?? CATEGORY_INFO[known.category].remedy,
      docsUrl: known.docsUrl ?? CATEGORY_INFO[known.category].docsUrl,
    },
    reasonCategory: known.category,
  };
}

/** Classifies an `ECS Daemon Service Action` (ECS Managed Daemons); its `resources` may be `[]`, so everything comes from `detail`. */
export function classifyDaemonServiceAction(event: DaemonServiceActionEvent): { finding: Finding; subject: Subject } {
  const detail = event.detail;
  const eventName = detail.eventName ?? '';
  const daemonArn = detail.daemonArn ?? null;
  const taskArn = detail.taskArn ?? event.envelope.resources.find((arn) => parseArn(arn)?.resourceType === 'task') ?? null;
  const facts: DaemonFacts = {
    daemonArn,
    daemonName: daemonName(daemonArn) ?? daemonName(detail.daemonRevisionArn),
    daemonRevisionArn: detail.daemonRevisionArn ?? null,
    daemonDeploymentArn: null,
    daemonTaskDefinitionArn: detail.daemonTaskDefinitionArn ?? null,
    containerInstanceArn: detail.containerInstanceArn ?? null,
    capacityProviderName: detail.capacityProviderName ?? null,
    eventName: detail.eventName ?? null,
    failureType: detail.failureType ?? null,
    reasonCategory: null,
    updatedAt: detail.createdAt ?? null,
    updatedAtMs: timestampMs(detail.createdAt),
  };
  let finding: Finding;
  if (eventName === 'DAEMON_TASK_START_IMPAIRED') {
    const impaired = startImpairedFinding(detail.reason, facts);
    finding = impaired.finding;
    facts.reasonCategory = impaired.reasonCategory;
  } else {
    finding = { category: 'unsupported', cause: `A daemon service action this tool does not know yet (${eventName || 'no eventName'}, eventType ${detail.eventType ?? 'unknown'}).` };
  }
  const anyArn = detail.clusterArn ?? detail.containerInstanceArn ?? daemonArn;
  return {
    finding,
    subject: {
      cluster: clusterName(detail.clusterArn) ?? clusterName(detail.containerInstanceArn) ?? clusterName(daemonArn),
      taskArn,
      containerInstanceArn: detail.containerInstanceArn ?? null,
      account: parseArn(anyArn)?.account ?? null,
      region: parseArn(anyArn)?.region ?? null,
      status: detail.eventName ?? null,
      reason: detail.reason ?? null,
      daemon: facts,
    },
  };
}
