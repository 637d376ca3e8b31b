import { CloudWatchLogsClient } from '@aws-sdk/client-cloudwatch-logs';
import type { TemporaryCredentials } from '../role-credentials.ts';
import { clientConfig } from './config.ts';

/**
 * A new CloudWatch Logs client for one Region (a container's `awslogs-region`), signing with `credentials` (a member
 * account's assumed role) or with the function's own. The log-tail lookup keeps one per Region.
 */
export function regionalLogsClient(region: string, credentials?: () => Promise<TemporaryCredentials>): CloudWatchLogsClient {
  return new CloudWatchLogsClient({ ...clientConfig(), region, ...(credentials === undefined ? {} : { credentials }) });
}
