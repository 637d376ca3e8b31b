import { STSClient } from '@aws-sdk/client-sts';
import { clientConfig } from './config.ts';

let sts: STSClient | undefined;

/** STS, for the AssumeRole of the member lookup role; in the function's own Region (STS's regional endpoint). */
export function stsClient(): STSClient {
  sts ??= new STSClient(clientConfig());
  return sts;
}
