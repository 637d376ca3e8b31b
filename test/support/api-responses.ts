import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { DescribeTaskDefinitionCommandOutput } from '@aws-sdk/client-ecs';
import { EVENTS_DIR } from './fixtures.ts';

/** The body of a recorded ECS API response, as sent on the wire (`events/api/<operation>/<variant>.json`). */
export function recordedBody(path: string): string {
  return readFileSync(join(EVENTS_DIR, 'api', path), 'utf8');
}

/**
 * A recorded DescribeTaskDefinition response as the SDK hands it to callers: the wire body, with its epoch-second
 * timestamps as Dates (what the SDK's deserializer does, checked in task-definitions.test.ts), and `$metadata`.
 */
export function describeTaskDefinitionOutput(variant: string): DescribeTaskDefinitionCommandOutput {
  const output: unknown = JSON.parse(recordedBody(`describe-task-definition/${variant}.json`), (key, value: unknown) =>
    (key === 'registeredAt' || key === 'deregisteredAt') && typeof value === 'number' ? new Date(value * 1_000) : value,
  );
  // The recorded body is AWS's answer, whose shape the SDK types describe; the deserializer test checks the two agree.
  return { ...(output as Omit<DescribeTaskDefinitionCommandOutput, '$metadata'>), $metadata: {} };
}
