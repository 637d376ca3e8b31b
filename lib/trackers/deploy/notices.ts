import type { Alert, DeploymentOutcome } from '../../alerts/alert.ts';
import { fitTitle, messageId, subjectOf } from '../../alerts/build.ts';
import type { GroupState } from '../../alerts/group-state.ts';
import { RECENT_EVENT_IDS } from '../../alerts/group-state.ts';
import type { Step } from '../../alerts/grouping.ts';

/**
 * Deployment notices: one message per deployment outcome (`kind: deployment`, attribute `outcome`), apart from the
 * alerts, so that a CI pipeline can subscribe a queue filtered on `kind = deployment` and treat `failed` and
 * `rolled-back` as a failed release. They are `info`: the default email and Slack filters leave them out, and the
 * alert of a deployment in trouble already tells people.
 */

/** Which outcomes `notifyDeployments` lets through: `failures` (default) or `all`. */
export function noticeWanted(outcome: DeploymentOutcome, setting: 'failures' | 'all'): boolean {
  return setting === 'all' || outcome === 'failed' || outcome === 'rolled-back';
}

const WORDS: Record<DeploymentOutcome, string> = {
  started: 'started',
  completed: 'completed',
  failed: 'failed',
  'rolled-back': 'was rolled back',
};

/** The key of a deployment's notices: one group per deployment, which never fires. */
export function noticeKey(scope: string, deploymentId: string): string {
  return `${scope}|deployment-notice:${deploymentId}`;
}

/**
 * The notice that deployment `deploymentId` has reached `outcome`, built on the alert of the event that says so.
 *
 * @example deploymentNotice(alert, scope, 'ecs-svc/1', 'failed', 'ECS deployment circuit breaker: task failed to start.', eventId).title
 *   // 'Deployment failed – service checkout (shop-prod)'
 */
export function deploymentNotice(base: Alert, scope: string, deploymentId: string, outcome: DeploymentOutcome, detail: string | null, eventId: string | null): Alert {
  const key = noticeKey(scope, deploymentId);
  const subject = subjectOf(base);
  const label = `Deployment ${outcome === 'rolled-back' ? 'rolled back' : outcome}`;
  return {
    ...base,
    id: messageId(key, 'deployment', `${outcome}|${base.time}`, eventId),
    key,
    kind: 'deployment',
    status: 'resolved',
    severity: 'info',
    title: fitTitle(`${label} – ${subject}`),
    summary: `Deployment ${deploymentId} of ${subject} ${WORDS[outcome]} at ${base.time}${detail === null ? '' : `: ${detail.replace(/\.$/, '')}`}.`,
    facts: { ...base.facts, deploymentId },
    deploymentOutcome: outcome,
  };
}

/**
 * A notice sent through its deployment's notice group, once per event: the group keeps no firing state (nothing
 * resolves or repeats it), only the outbox that makes the notice at-least-once like every message. Pure.
 */
export function noticeStep(current: GroupState | null, notice: Alert, scope: string, eventId: string | null): Step {
  if (current !== null && eventId !== null && current.recentEventIds.includes(eventId)) return { state: null, messages: [] };
  const state: GroupState = {
    key: notice.key,
    scope,
    status: 'resolved',
    phase: 'quiet',
    eventCount: (current?.eventCount ?? 0) + 1,
    openedAt: current?.openedAt ?? notice.time,
    lastAlertAt: notice.time,
    windowEndsAt: notice.time,
    unsent: { count: 0, ids: [], firstTime: null, lastTime: null },
    latest: notice,
    recentEventIds: eventId === null ? (current?.recentEventIds ?? []) : [...(current?.recentEventIds ?? []), eventId].slice(-RECENT_EVENT_IDS),
    outbox: current?.outbox ?? [],
    updatedAt: notice.time,
  };
  return { state, messages: [notice] };
}
