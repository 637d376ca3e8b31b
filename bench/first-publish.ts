import { execFile } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { CreateTableCommand, DescribeTableCommand } from '@aws-sdk/client-dynamodb';
import { CreateTopicCommand, SNSClient } from '@aws-sdk/client-sns';
import { build } from 'esbuild';
import { startFauxqs } from 'fauxqs';
import { ALERT_TABLE } from '../lib/store/table.ts';
import { startDynamoDb, type LocalDynamoDb } from '../test/support/dynalite.ts';
import { LoopbackAws } from '../test/support/loopback-aws.ts';
import { esbuildSettings, SKELETON_SETTINGS } from './cold-start.ts';
import { median, progress, ROOT } from './fixtures.ts';

const run = promisify(execFile);

export interface FirstPublishResult {
  /** functions/task-events.ts: require, first invocation with a recorded OOM stop, until SNS has answered its Publish. */
  handlerMedianMs: number;
  /** The skeleton: require, one SNSClient, one Publish. */
  skeletonMedianMs: number;
  ratio: number;
  runs: number;
}

/** Target: a cold process publishes its first alert within this factor of the skeleton's time (issue 13). */
export const FIRST_PUBLISH_RATIO_TARGET = 1.25;

const ACCOUNT = '111122223333';
const ACCESS_KEY = 'AKIABENCHEXAMPLE';

/**
 * Loaded with `--require` before anything else in the child: notes the time, and prints the time elapsed when the
 * first answer from the SNS endpoint arrives. The SDK's Node handler calls `http.request` through the module object,
 * so replacing it here sees the bundle's requests; nothing else is changed.
 */
const PRELOAD = `const http = require('node:http');
const started = process.hrtime.bigint();
const sns = new URL(process.env.AWS_ENDPOINT_URL_SNS);
const request = http.request;
let told = false;
http.request = function (...args) {
  const sent = request.apply(this, args);
  const options = typeof args[0] === 'object' && !(args[0] instanceof URL) ? args[0] : new URL(String(args[0]));
  if (String(options.port) === sns.port) sent.on('response', () => {
    if (told) return;
    told = true;
    process.stderr.write('first-publish-ms ' + Number(process.hrtime.bigint() - started) / 1e6 + '\\n');
  });
  return sent;
};
`;

const SKELETON_PUBLISHER = `export { default as middy } from '@middy/core';
export { SNSClient, PublishCommand } from '@aws-sdk/client-sns';
export { ECSClient } from '@aws-sdk/client-ecs';
`;

const RUN_SKELETON = `const m = require(process.argv[1]);
new m.SNSClient({}).send(new m.PublishCommand({ TopicArn: process.env.ALERT_TOPIC_ARN, Message: 'first' })).catch((e) => { console.error(e); process.exitCode = 1; });`;

const RUN_HANDLER = `const m = require(process.argv[1]);
m.handler(JSON.parse(process.env.BENCH_EVENT), { awsRequestId: 'bench-first-publish' }).catch((e) => { console.error(e); process.exitCode = 1; });`;

async function firstPublishMs(script: string, file: string, preload: string, env: Record<string, string>): Promise<number> {
  const { stderr } = await run(process.execPath, ['--require', preload, '-e', script, file], { env: { ...process.env, ...env }, maxBuffer: 16 * 1024 * 1024 });
  const ms = Number(/first-publish-ms ([\d.]+)/.exec(stderr)?.[1]);
  if (!Number.isFinite(ms)) throw new Error(`${file} published nothing: ${stderr.slice(-3_000)}`);
  return ms;
}

/** A new, empty alert table: each run is a first alert, as after a deploy, not a follow-up of the run before. */
async function freshTable(dynamo: LocalDynamoDb, name: string): Promise<string> {
  await dynamo.client.send(new CreateTableCommand({ ...ALERT_TABLE, TableName: name }));
  while ((await dynamo.client.send(new DescribeTableCommand({ TableName: name }))).Table?.TableStatus !== 'ACTIVE') await new Promise((resolve) => setTimeout(resolve, 5));
  return name;
}

/** The recorded OOM stop of orders-api with a fresh event id and task, so no run sees another's as a duplicate. */
function freshOomStop(): string {
  const text = readFileSync(join(ROOT, 'events/task/stopped-oom.json'), 'utf8');
  const recorded = JSON.parse(text) as { id: string };
  const taskId = randomUUID().replaceAll('-', '');
  return JSON.stringify(JSON.parse(text.replaceAll(recorded.id, randomUUID()).replace(/(:task\/(?:[^/"]+\/)?)[0-9a-f]{32}/g, `$1${taskId}`)));
}

/**
 * Time from a fresh Node process's start to SNS's answer to its first Publish, for functions/task-events.ts given a
 * recorded OOM stop (de-duplication, grouping and tracking against DynamoDB on dynalite, the task definition and
 * service looked up on a loopback ECS answering recorded responses, the Publish to fauxqs) beside the skeleton
 * publishing one message. Bundled with serverless.yml's settings; the skeleton with its fixed ones. Process
 * start-up before the preload is not counted; all three emulators run on the same two cores.
 */
export async function measureFirstPublish(runs: number): Promise<FirstPublishResult> {
  const dir = await mkdtemp(join(tmpdir(), 'bench-first-publish-'));
  const dynamo = await startDynamoDb();
  const fauxqs = await startFauxqs({ port: 0, logger: false });
  const aws = await LoopbackAws.start({
    ownKey: { accessKeyId: ACCESS_KEY, account: ACCOUNT },
    recordings: { [ACCOUNT]: { DescribeServices: 'describe-services/orders-api.json', DescribeTaskDefinition: 'describe-task-definition/orders-api-212.json' } },
  });
  try {
    const credentials = { accessKeyId: ACCESS_KEY, secretAccessKey: 'bench' };
    const topic = await new SNSClient({ endpoint: fauxqs.address, region: 'us-west-2', credentials }).send(new CreateTopicCommand({ Name: 'ecs-incident-notifier-alerts' }));
    const env = {
      AWS_REGION: 'us-west-2',
      AWS_ACCESS_KEY_ID: ACCESS_KEY,
      AWS_SECRET_ACCESS_KEY: 'bench',
      AWS_MAX_ATTEMPTS: '1',
      AWS_ENDPOINT_URL_SNS: fauxqs.address,
      AWS_ENDPOINT_URL_DYNAMODB: dynamo.endpoint,
      AWS_ENDPOINT_URL_ECS: aws.endpoint,
      AWS_ENDPOINT_URL_CLOUDWATCH_LOGS: aws.endpoint,
      ALERT_TOPIC_ARN: topic.TopicArn ?? '',
      ALERT_TABLE_NAME: dynamo.tableName,
      MONITOR_ACCOUNT_ID: ACCOUNT,
    };
    progress('first publish: bundling functions/task-events.ts and the skeleton publisher');
    const preload = join(dir, 'preload.cjs');
    await writeFile(preload, PRELOAD);
    const skeleton = join(dir, 'skeleton.js');
    await build({ ...SKELETON_SETTINGS, stdin: { contents: SKELETON_PUBLISHER, resolveDir: ROOT, sourcefile: 'skeleton.ts', loader: 'ts' }, outfile: skeleton, logLevel: 'error' });
    const handler = join(dir, 'task-events.js');
    await build({ ...esbuildSettings(readFileSync(join(ROOT, 'serverless.yml'), 'utf8')), entryPoints: [join(ROOT, 'functions/task-events.ts')], outfile: handler, absWorkingDir: ROOT, logLevel: 'error' });
    const handlerTimes: number[] = [];
    const skeletonTimes: number[] = [];
    for (let round = 0; round <= runs; round += 1) {
      if (round > 0) progress(`first publish: round ${round}/${runs}`);
      const skeletonMs = await firstPublishMs(RUN_SKELETON, skeleton, preload, env);
      const handlerMs = await firstPublishMs(RUN_HANDLER, handler, preload, { ...env, ALERT_TABLE_NAME: await freshTable(dynamo, `alerts-${round}`), BENCH_EVENT: freshOomStop() });
      if (round === 0) continue;
      skeletonTimes.push(skeletonMs);
      handlerTimes.push(handlerMs);
    }
    const handlerMedianMs = median(handlerTimes);
    const skeletonMedianMs = median(skeletonTimes);
    return { handlerMedianMs, skeletonMedianMs, ratio: handlerMedianMs / skeletonMedianMs, runs };
  } finally {
    await aws.close();
    await fauxqs.stop();
    await dynamo.close();
    await rm(dir, { recursive: true, force: true });
  }
}
