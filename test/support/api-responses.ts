import { readFileSync } from 'node:fs';
import { CloudWatchLogsClient } from '@aws-sdk/client-cloudwatch-logs';
import { join } from 'node:path';
import {
  ECSClient,
  type ECSClientConfig,
  type DescribeServicesCommandOutput,
  type DescribeTaskDefinitionCommandOutput,
  type DescribeTasksCommandOutput,
  type ListContainerInstancesCommandOutput,
  type ListTasksCommandOutput,
} from '@aws-sdk/client-ecs';
import { EVENTS_DIR } from './fixtures.ts';

/** The body of a recorded ECS API response, as sent on the wire (`events/api/<operation>/<variant>.json`). */
export function recordedBody(path: string): string {
  return readFileSync(join(EVENTS_DIR, 'api', path), 'utf8');
}

/**
 * A recorded body as the SDK hands it to callers: every epoch-second timestamp as a Date (ECS names all its timestamp
 * members `…At`: createdAt, updatedAt, startedAt, registeredAt, connectivityAt, …), checked against the SDK's own
 * deserializer in the tests of lib/aws.
 */
function sdkShaped(path: string): object {
  const output: unknown = JSON.parse(recordedBody(path), (key, value: unknown) => (key.endsWith('At') && typeof value === 'number' ? new Date(value * 1_000) : value));
  if (typeof output !== 'object' || output === null) throw new Error(`recorded response ${path} is not a JSON object`);
  return output;
}

// Each recorded body is AWS's answer, whose shape the SDK types describe; the deserializer tests check the two agree.

/** A recorded DescribeTaskDefinition response as the SDK returns it (`events/api/describe-task-definition/<variant>.json`). */
export function describeTaskDefinitionOutput(variant: string): DescribeTaskDefinitionCommandOutput {
  return { ...(sdkShaped(`describe-task-definition/${variant}.json`) as Omit<DescribeTaskDefinitionCommandOutput, '$metadata'>), $metadata: {} };
}

/** A recorded DescribeServices response as the SDK returns it (`events/api/describe-services/<variant>.json`). */
export function describeServicesOutput(variant: string): DescribeServicesCommandOutput {
  return { ...(sdkShaped(`describe-services/${variant}.json`) as Omit<DescribeServicesCommandOutput, '$metadata'>), $metadata: {} };
}

/** A recorded ListContainerInstances response (`events/api/list-container-instances/<cluster>-<instance id>.json`). */
export function listContainerInstancesOutput(variant: string): ListContainerInstancesCommandOutput {
  return { ...(sdkShaped(`list-container-instances/${variant}.json`) as Omit<ListContainerInstancesCommandOutput, '$metadata'>), $metadata: {} };
}

/** A recorded ListTasks response (`events/api/list-tasks/<cluster>-<container instance id>.json`). */
export function listTasksOutput(variant: string): ListTasksCommandOutput {
  return { ...(sdkShaped(`list-tasks/${variant}.json`) as Omit<ListTasksCommandOutput, '$metadata'>), $metadata: {} };
}

/** A recorded DescribeTasks response as the SDK returns it (`events/api/describe-tasks/<variant>.json`). */
export function describeTasksOutput(variant: string): DescribeTasksCommandOutput {
  return { ...(sdkShaped(`describe-tasks/${variant}.json`) as Omit<DescribeTasksCommandOutput, '$metadata'>), $metadata: {} };
}

/**
 * A real ECS client whose HTTP layer answers each operation with a recorded body (keyed by operation name, as in the
 * `X-Amz-Target` header: `ListTasks` → `list-tasks/….json`), so a test goes through the SDK's own deserializer.
 * An operation without a body answers 400 with an AccessDeniedException. The client signs with `credentials` (a fixed
 * key by default).
 */
export function ecsClientAnswering(
  bodies: Partial<Record<string, string>>,
  region = 'us-west-2',
  credentials: ECSClientConfig['credentials'] = { accessKeyId: 'AKIDEXAMPLE', secretAccessKey: 'secret' },
): ECSClient {
  return new ECSClient({
    region,
    credentials,
    maxAttempts: 1,
    requestHandler: {
      handle: async (request: { headers: Record<string, string> }) => {
        const target = request.headers['x-amz-target'] ?? '';
        const path = bodies[target.slice(target.indexOf('.') + 1)];
        return {
          response: {
            statusCode: path === undefined ? 400 : 200,
            reason: path === undefined ? 'Bad Request' : 'OK',
            headers: { 'content-type': 'application/x-amz-json-1.1', 'x-amzn-requestid': 'b1a1c2d3-0000-4000-8000-000000000000' },
            body: new TextEncoder().encode(
              path === undefined ? JSON.stringify({ __type: 'AccessDeniedException', message: `no recorded answer for ${target}` }) : recordedBody(path),
            ),
          },
        };
      },
    },
  });
}

/** What the recordings of events/api say of instance i-0b1c2d3e4f5a6b7c8: its cluster, container instance and two tasks. */
export const BATCH_EC2_INSTANCE = {
  clusterArn: 'arn:aws:ecs:us-east-1:111122223333:cluster/batch-ec2',
  containerInstanceArn: 'arn:aws:ecs:us-east-1:111122223333:container-instance/batch-ec2/7c1e4b2a9d3f4e6a8b0c2d4e6f8a1b3c',
  ec2InstanceId: 'i-0b1c2d3e4f5a6b7c8',
  tasks: [
    {
      taskArn: 'arn:aws:ecs:us-east-1:111122223333:task/batch-ec2/a1b2c3d4e5f60718293a4b5c6d7e8f90',
      service: 'ingest',
      group: 'service:ingest',
      lastStatus: 'RUNNING',
      taskDefinitionArn: 'arn:aws:ecs:us-east-1:111122223333:task-definition/ingest:7',
    },
    {
      taskArn: 'arn:aws:ecs:us-east-1:111122223333:task/batch-ec2/b2c3d4e5f60718293a4b5c6d7e8f90a1',
      service: 'reports',
      group: 'service:reports',
      lastStatus: 'RUNNING',
      taskDefinitionArn: 'arn:aws:ecs:us-east-1:111122223333:task-definition/reports:3',
    },
  ],
};

/**
 * A real CloudWatch Logs client whose HTTP layer answers GetLogEvents with a recorded body
 * (`events/api/get-log-events/<variant>.json`): 200 for a body with `events`, 400 for a recorded error body
 * (`{"__type": …}`), so a test goes through the SDK's own deserializer and error parsing.
 */
export function logsClientAnswering(variant: string, region = 'us-west-2'): CloudWatchLogsClient {
  return new CloudWatchLogsClient({
    region,
    credentials: { accessKeyId: 'AKIDEXAMPLE', secretAccessKey: 'secret' },
    maxAttempts: 1,
    requestHandler: {
      handle: async () => {
        const body = recordedBody(`get-log-events/${variant}.json`);
        const failed = body.includes('"__type"');
        return {
          response: {
            statusCode: failed ? 400 : 200,
            reason: failed ? 'Bad Request' : 'OK',
            headers: { 'content-type': 'application/x-amz-json-1.1', 'x-amzn-requestid': 'c2b1a0d9-0000-4000-8000-000000000000' },
            body: new TextEncoder().encode(body),
          },
        };
      },
    },
  });
}
