import { SSMClient } from '@aws-sdk/client-ssm';
import { clientConfig } from './config.ts';

let ssm: SSMClient | undefined;

/** SSM Parameter Store, for the Slack webhook kept as a SecureString parameter. */
export function ssmClient(): SSMClient {
  ssm ??= new SSMClient(clientConfig());
  return ssm;
}
