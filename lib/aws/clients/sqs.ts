import { SQSClient } from '@aws-sdk/client-sqs';
import { clientConfig } from './config.ts';

let sqs: SQSClient | undefined;

/** SQS, for `npm run redrive` (reading and deleting dead letters). */
export function sqsClient(): SQSClient {
  sqs ??= new SQSClient(clientConfig());
  return sqs;
}
