import { awsMaxAttempts } from '../../env.ts';

/**
 * The settings every AWS SDK client is built with. Each client has a module of its own beside this one, so that a
 * function's bundle holds only the clients it calls. Each client is built once per Lambda container on first use and shared by every invocation after it
 * (building a client per invocation costs a credential lookup and a new TLS connection each time).
 *
 * Nothing here names a region, credentials or an endpoint: the SDK resolves them itself from the standard chain
 * (`AWS_REGION`, the Lambda role's credentials, `~/.aws/config`), including `AWS_ENDPOINT_URL` and the
 * service-specific `AWS_ENDPOINT_URL_<SERVICE>` variables (`AWS_ENDPOINT_URL_SNS`, `…_ECS`, `…_SSM`,
 * `…_SECRETS_MANAGER`, `…_DYNAMODB`, `…_STS`, and `…_SQS`, `…_LAMBDA` for `npm run redrive`), which point a client at an
 * emulator. AWS SDK for JavaScript v3 reads those since October 2023 (aws/aws-sdk-js-v3#5350, in releases from
 * about 3.428.0;
 * https://docs.aws.amazon.com/sdkref/latest/guide/feature-ss-endpoints.html).
 *
 * Retries are the SDK's: the standard retry mode (exponential backoff with jitter, a retry quota, throttling and
 * transient errors only) with `AWS_MAX_ATTEMPTS` attempts (default 3).
 */
export function clientConfig() {
  return {
    maxAttempts: awsMaxAttempts(),
    retryMode: 'standard',
    // The SDK waits forever on a silent connection by default; a hung call would hold the function until its own
    // timeout instead of failing (and being retried) early.
    requestHandler: { connectionTimeout: 3_000, requestTimeout: 10_000, throwOnRequestTimeout: true },
  } as const;
}
