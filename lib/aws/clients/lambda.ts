import { LambdaClient } from '@aws-sdk/client-lambda';
import { clientConfig } from './config.ts';

let lambda: LambdaClient | undefined;

/** Lambda, for `npm run redrive` (invoking a function again with a dead-lettered event). */
export function lambdaClient(): LambdaClient {
  lambda ??= new LambdaClient(clientConfig());
  return lambda;
}
