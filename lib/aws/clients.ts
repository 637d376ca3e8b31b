import { CloudWatchLogsClient } from '@aws-sdk/client-cloudwatch-logs';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { ECSClient } from '@aws-sdk/client-ecs';
import { LambdaClient } from '@aws-sdk/client-lambda';
import { SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { SNSClient } from '@aws-sdk/client-sns';
import { SQSClient } from '@aws-sdk/client-sqs';
import { SSMClient } from '@aws-sdk/client-ssm';
import { STSClient } from '@aws-sdk/client-sts';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { awsMaxAttempts } from '../env.ts';
import type { TemporaryCredentials } from './role-credentials.ts';

/**
 * The AWS SDK clients, each built once per Lambda container on first use and shared by every invocation after it
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

let sns: SNSClient | undefined;
let ecs: ECSClient | undefined;
let ssm: SSMClient | undefined;
let secrets: SecretsManagerClient | undefined;
let dynamoDocument: DynamoDBDocumentClient | undefined;
let sqs: SQSClient | undefined;
let lambda: LambdaClient | undefined;
let sts: STSClient | undefined;

export function snsClient(): SNSClient {
  sns ??= new SNSClient(clientConfig());
  return sns;
}

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

/**
 * A new CloudWatch Logs client for one Region (a container's `awslogs-region`), signing with `credentials` (a member
 * account's assumed role) or with the function's own. The log-tail lookup keeps one per Region.
 */
export function regionalLogsClient(region: string, credentials?: () => Promise<TemporaryCredentials>): CloudWatchLogsClient {
  return new CloudWatchLogsClient({ ...clientConfig(), region, ...(credentials === undefined ? {} : { credentials }) });
}

/** STS, for the AssumeRole of the member lookup role; in the function's own Region (STS's regional endpoint). */
export function stsClient(): STSClient {
  sts ??= new STSClient(clientConfig());
  return sts;
}

export function ssmClient(): SSMClient {
  ssm ??= new SSMClient(clientConfig());
  return ssm;
}

export function secretsClient(): SecretsManagerClient {
  secrets ??= new SecretsManagerClient(clientConfig());
  return secrets;
}

/** SQS, for `npm run redrive` (reading and deleting dead letters). */
export function sqsClient(): SQSClient {
  sqs ??= new SQSClient(clientConfig());
  return sqs;
}

/** Lambda, for `npm run redrive` (invoking a function again with a dead-lettered event). */
export function lambdaClient(): LambdaClient {
  lambda ??= new LambdaClient(clientConfig());
  return lambda;
}

/** The DynamoDB document client; attributes whose value is `undefined` are left out of items instead of failing the call. */
export function dynamoDocumentClient(): DynamoDBDocumentClient {
  dynamoDocument ??= DynamoDBDocumentClient.from(new DynamoDBClient(clientConfig()), {
    marshallOptions: { removeUndefinedValues: true },
  });
  return dynamoDocument;
}
