import { ECSClient } from '@aws-sdk/client-ecs';
import type { TemporaryCredentials } from '../role-credentials.ts';
import { clientConfig } from './config.ts';

let ecs: ECSClient | undefined;

/** ECS in the function's own Region, with its own credentials. */
export function ecsClient(): ECSClient {
  ecs ??= new ECSClient(clientConfig());
  return ecs;
}

/**
 * A new ECS client for one Region, signing with `credentials` (a member account's assumed role) or, when they are
 * absent, with the function's own. Not cached here: `accountLookups` keeps one per account and Region.
 */
export function regionalEcsClient(region: string, credentials?: () => Promise<TemporaryCredentials>): ECSClient {
  return new ECSClient({ ...clientConfig(), region, ...(credentials === undefined ? {} : { credentials }) });
}
