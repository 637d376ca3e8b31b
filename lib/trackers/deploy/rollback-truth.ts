import type { Alert, RollbackFacts } from '../../alerts/alert.ts';
import { fitTitle, subjectOf } from '../../alerts/build.ts';
import type { ServiceDeploymentFacts } from '../../aws/service-deployments.ts';
import type { DeploymentRecord } from './deployments.ts';

/**
 * A deployment's rollback as ECS's service-deployment API tells it. The deployment events say only IN_PROGRESS,
 * COMPLETED and FAILED, with a rollback in their free text, and a rollback that fails has no event of its own: only
 * DescribeServiceDeployments says `ROLLBACK_FAILED`.
 */

/**
 * Whether a deployment's alert asks ECS about its rollback: it failed, is rolling back or was rolled back, or it is a
 * rollback itself (whose failure is a failed rollback).
 */
export function wantsRollbackTruth(deployment: DeploymentRecord): boolean {
  return deployment.status === 'failed' || deployment.status === 'rolling_back' || deployment.status === 'rolled_back' || deployment.rollsBackTo !== null;
}

/** ECS's reasons are a sentence; a longer one is cut, so that the facts never crowd an SNS message out. */
const MAX_REASON = 1_000;

function cut(text: string | null): string | null {
  if (text === null) return null;
  const characters = Array.from(text);
  return characters.length <= MAX_REASON ? text : `${characters.slice(0, MAX_REASON - 1).join('')}…`;
}

/** The facts an alert keeps of a service deployment. */
export function rollbackFactsOf(found: ServiceDeploymentFacts): RollbackFacts {
  return {
    status: found.status,
    statusReason: cut(found.statusReason),
    reason: cut(found.rollback?.reason ?? null),
    startedAt: found.rollback?.startedAt ?? null,
    stage: found.lifecycleStage,
    hooks: found.hooks.map((hook) => ({ ...hook })),
    updatedAt: found.updatedAt,
  };
}

/** ECS names clusters and services with letters, digits, hyphens and underscores: anything else stays a placeholder in a command. */
const ECS_NAME = /^[A-Za-z0-9_-]{1,255}$/;

function commandName(name: string | null, placeholder: string): string {
  return name !== null && ECS_NAME.test(name) ? name : placeholder;
}

function clause(text: string | null): string {
  const trimmed = text?.trim().replace(/\.+$/, '') ?? '';
  return trimmed === '' ? '' : `: ${trimmed}`;
}

/**
 * The alert of a failed or rolling-back deployment with what DescribeServiceDeployments said (`found`), or, when it
 * did not answer (`null`), marked not enriched with a fact that says so. Pure.
 * - `ROLLBACK_FAILED`: critical, titled "Rollback failed", saying the service may be running neither version and how
 *   to put the last good version back;
 * - `ROLLBACK_SUCCESSFUL`: a warning: the release failed, but the service runs its previous version again;
 * - `ROLLBACK_REQUESTED`, `ROLLBACK_IN_PROGRESS` and any other status: told in the summary, severity unchanged.
 *
 * @example withRollbackTruth(alert, { status: 'ROLLBACK_FAILED', … }).title // 'Rollback failed – service checkout (shop-prod)'
 */
export function withRollbackTruth(alert: Alert, found: ServiceDeploymentFacts | null): Alert {
  if (found === null) return { ...alert, enriched: false, facts: { ...alert.facts, rollback: null } };
  const rollback = rollbackFactsOf(found);
  const facts = { ...alert.facts, rollback };
  const reason = clause(rollback.reason);
  switch (found.status) {
    case 'ROLLBACK_FAILED': {
      const cluster = commandName(alert.facts.cluster, 'CLUSTER');
      const service = commandName(alert.facts.service, 'SERVICE');
      return {
        ...alert,
        severity: 'critical',
        title: fitTitle(`Rollback failed – ${subjectOf(alert)}`),
        summary: `${alert.summary} ECS reports the rollback failed (ROLLBACK_FAILED)${reason}; the service may be running neither version.`,
        facts: {
          ...facts,
          cause: `${alert.facts.cause} Then ECS could not roll the service back to the version before it.`,
          remedy:
            `Check which task definition the service's tasks run now (aws ecs describe-services --cluster ${cluster} --services ${service}), ` +
            `put the version that last worked back (aws ecs update-service --cluster ${cluster} --service ${service} --task-definition FAMILY:REVISION), ` +
            "and read the service's events (the Events tab) for why the rollback failed.",
        },
      };
    }
    case 'ROLLBACK_SUCCESSFUL':
      return {
        ...alert,
        severity: 'warning',
        summary: `${alert.summary} ECS reports the rollback succeeded (ROLLBACK_SUCCESSFUL)${reason}; the service runs its previous version again.`,
        facts,
      };
    case 'ROLLBACK_REQUESTED':
    case 'ROLLBACK_IN_PROGRESS':
      return { ...alert, summary: `${alert.summary} ECS reports the rollback in progress (${found.status})${reason}.`, facts };
    default:
      return { ...alert, summary: `${alert.summary} ECS reports the deployment ${found.status}${clause(rollback.statusReason)}.`, facts };
  }
}
