import { accountLookups, ecsLookups } from '../aws/account-lookups.ts';
import { ecsClient, regionalEcsClient } from '../aws/clients/ecs.ts';
import { stsClient } from '../aws/clients/sts.ts';
import { cachedRoleCredentials, stsAssumeRole } from '../aws/role-credentials.ts';
import { memberLookupExternalId, memberLookupRoleName, monitorAccountId, monitorRegion } from '../env.ts';
import { createLogger } from '../log.ts';
import { createMetrics } from '../metrics.ts';
import type { EventHandlerDeps } from './receive.ts';
import { awsAlerting, writeStdout } from './wiring.ts';

/**
 * What a member account's CloudTrail shows as the session of each lookup: the notifier, and the monitoring account
 * it runs in.
 */
export function memberLookupSessionName(monitorAccount: string): string {
  return `ecs-incident-notifier-${monitorAccount}`;
}

/**
 * The AWS-backed dependencies, from the environment, built once per container at the first invocation. Events of the
 * monitor's own account and Region are looked up with the function's own ECS client; others as `accountLookups` says.
 */
export function awsEventHandlerDeps(): EventHandlerDeps {
  const logger = createLogger();
  const alerting = awsAlerting();
  const monitor = { account: monitorAccountId(), region: monitorRegion() };
  return {
    logger,
    alerting,
    lookupsFor: accountLookups({
      monitor,
      own: ecsLookups(ecsClient()),
      memberRoleName: memberLookupRoleName(),
      roleCredentials: cachedRoleCredentials({
        assumeRole: stsAssumeRole(stsClient),
        sessionName: memberLookupSessionName(monitor.account),
        externalId: memberLookupExternalId(),
      }),
      ecsClient: regionalEcsClient,
      logger,
    }),
    metrics: createMetrics(writeStdout),
  };
}

