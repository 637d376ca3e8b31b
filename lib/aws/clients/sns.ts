import { SNSClient } from '@aws-sdk/client-sns';
import { clientConfig } from './config.ts';

let sns: SNSClient | undefined;

/** SNS, for publishing alerts (the event and flush functions, `npm run replay -- --publish`). */
export function snsClient(): SNSClient {
  sns ??= new SNSClient(clientConfig());
  return sns;
}
