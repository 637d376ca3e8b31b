import { once } from 'node:events';
import type { Writable } from 'node:stream';
import { parseArgs } from 'node:util';
import { CreateTopicCommand, SNSClient, SubscribeCommand } from '@aws-sdk/client-sns';
import { CreateQueueCommand, DeleteMessageCommand, GetQueueAttributesCommand, ReceiveMessageCommand, SQSClient } from '@aws-sdk/client-sqs';
import { startFauxqs } from 'fauxqs';
import { isRecord } from '../events/schema.ts';

export const USAGE = `Usage: npm run emulator -- [options]

Starts an SNS/SQS emulator (fauxqs) on this machine with the monitor's alert topic and a queue subscribed to it,
prints the command that replays the recorded events into it, and prints every message that arrives: the local loop
of the deployed fan-out, with no AWS account.

  --port N        the emulator's port on 127.0.0.1 (default 4566; 0 picks a free one)
  --exit-after N  stop after N messages have arrived (default: run until Ctrl-C)
  -h, --help      show this help`;

const REGION = 'us-east-1';
const CREDENTIALS = { accessKeyId: 'test', secretAccessKey: 'test' };
export const TOPIC_NAME = 'ecs-incident-notifier-local-alerts';
const QUEUE_NAME = 'ecs-incident-notifier-local-inbox';

export interface EmulatorIo {
  stdout: Writable;
  stderr: Writable;
  /** Resolves when the user asks to stop (Ctrl-C); the emulator then shuts down. */
  stopped: Promise<void>;
}

async function write(stream: Writable, text: string): Promise<void> {
  if (!stream.write(text)) await once(stream, 'drain');
}

/** One arrived message as a line: subject and the attributes subscribers filter on. */
export function arrivalLine(body: string): string {
  const envelope: unknown = JSON.parse(body);
  if (!isRecord(envelope)) return `? ${body.slice(0, 200)}`;
  const attributes = isRecord(envelope.MessageAttributes) ? envelope.MessageAttributes : {};
  const value = (name: string): string => {
    const attribute = attributes[name];
    return isRecord(attribute) && typeof attribute.Value === 'string' ? attribute.Value : '-';
  };
  return `arrived  ${String(envelope.Subject ?? '(no subject)')}  [kind ${value('kind')}, severity ${value('severity')}, status ${value('status')}, service ${value('service')}]`;
}

/**
 * The emulator command: starts fauxqs, creates the topic and an inbox queue subscribed to it, prints how to publish
 * to it, then prints what arrives until stopped (or after `--exit-after` messages). Returns the exit status.
 */
export async function runEmulator(args: readonly string[], io: EmulatorIo): Promise<number> {
  let values: { port?: string; 'exit-after'?: string; help?: boolean };
  try {
    values = parseArgs({ args: [...args], strict: true, options: { port: { type: 'string' }, 'exit-after': { type: 'string' }, help: { type: 'boolean', short: 'h' } } }).values;
  } catch (error) {
    await write(io.stderr, `${error instanceof Error ? error.message : String(error)}\n\n${USAGE}\n`);
    return 2;
  }
  if (values.help === true) {
    await write(io.stdout, `${USAGE}\n`);
    return 0;
  }
  const port = Number(values.port ?? 4566);
  const exitAfter = values['exit-after'] === undefined ? Number.POSITIVE_INFINITY : Number(values['exit-after']);
  if (!Number.isInteger(port) || port < 0 || port > 65_535 || !(exitAfter > 0)) {
    await write(io.stderr, `--port must be a port number and --exit-after a positive whole number\n\n${USAGE}\n`);
    return 2;
  }
  const server = await startFauxqs({ port, logger: false });
  const sns = new SNSClient({ endpoint: server.address, region: REGION, credentials: CREDENTIALS });
  const sqs = new SQSClient({ endpoint: server.address, region: REGION, credentials: CREDENTIALS });
  try {
    const topicArn = (await sns.send(new CreateTopicCommand({ Name: TOPIC_NAME }))).TopicArn ?? '';
    const queueUrl = (await sqs.send(new CreateQueueCommand({ QueueName: QUEUE_NAME }))).QueueUrl ?? '';
    const { Attributes } = await sqs.send(new GetQueueAttributesCommand({ QueueUrl: queueUrl, AttributeNames: ['QueueArn'] }));
    await sns.send(new SubscribeCommand({ TopicArn: topicArn, Protocol: 'sqs', Endpoint: Attributes?.QueueArn }));
    const env = `AWS_ENDPOINT_URL_SNS=${server.address} AWS_REGION=${REGION} AWS_ACCESS_KEY_ID=test AWS_SECRET_ACCESS_KEY=test`;
    await write(
      io.stdout,
      `SNS/SQS emulator on ${server.address}: topic ${topicArn}, queue ${queueUrl} subscribed.\n` +
        `In another terminal, publish the recorded events' alerts to it:\n  ${env} npm run replay -- --publish --topic-arn ${topicArn}\n` +
        'Waiting for messages (Ctrl-C to stop)…\n',
    );
    let arrived = 0;
    let stop = false;
    void io.stopped.then(() => {
      stop = true;
    });
    while (!stop && arrived < exitAfter) {
      const { Messages = [] } = await sqs.send(new ReceiveMessageCommand({ QueueUrl: queueUrl, MaxNumberOfMessages: 10, WaitTimeSeconds: 1 }));
      for (const message of Messages) {
        arrived += 1;
        await write(io.stdout, `${arrivalLine(message.Body ?? '')}\n`);
        await sqs.send(new DeleteMessageCommand({ QueueUrl: queueUrl, ReceiptHandle: message.ReceiptHandle }));
      }
    }
    await write(io.stdout, `${arrived} message${arrived === 1 ? '' : 's'} arrived.\n`);
    return 0;
  } finally {
    sns.destroy();
    sqs.destroy();
    await server.stop();
  }
}

