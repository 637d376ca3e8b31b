import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { DescribeTaskDefinitionCommandOutput } from '@aws-sdk/client-ecs';
import { taskDefinitionInfo, type TaskDefinitionInfo, type TaskDefinitionLookup } from '../aws/task-definitions.ts';

/**
 * The replay's stand-in for ECS DescribeTaskDefinition: answers from recorded responses
 * (`events/api/describe-task-definition/*.json`, each a real DescribeTaskDefinition output), so replayed alerts get
 * their log links offline. A task definition that was not recorded answers null, as a failed lookup does.
 */
export async function recordedTaskDefinitions(apiDir: string): Promise<TaskDefinitionLookup> {
  const folder = join(apiDir, 'describe-task-definition');
  const byArn = new Map<string, TaskDefinitionInfo>();
  const names = await readdir(folder).catch(() => [] as string[]);
  for (const name of names.filter((file) => file.endsWith('.json'))) {
    const output = JSON.parse(await readFile(join(folder, name), 'utf8')) as DescribeTaskDefinitionCommandOutput;
    const arn = output.taskDefinition?.taskDefinitionArn;
    const info = taskDefinitionInfo(output.taskDefinition);
    if (arn !== undefined && info !== null) byArn.set(arn, info);
  }
  return async (taskDefinitionArn) => byArn.get(taskDefinitionArn) ?? null;
}
