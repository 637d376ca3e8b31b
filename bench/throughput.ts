import { performance } from 'node:perf_hooks';
import { PublishCommand, SNSClient, type PublishCommandInput } from '@aws-sdk/client-sns';
import type { HttpRequest, HttpResponse, RequestHandler } from '@smithy/types';
import { buildAlert } from '../lib/alerts/build.ts';
import { DEFAULT_GROUPING } from '../lib/alerts/grouping.ts';
import { createLogger } from '../lib/log.ts';
import { createMetrics } from '../lib/metrics.ts';
import { parseAlertMessage } from '../lib/notify/alert-message.ts';
import { snsMessage } from '../lib/notify/sns-message.ts';
import { SnsNotifier } from '../lib/notify/sns-notifier.ts';
import { evaluate } from '../lib/pipeline/evaluate.ts';
import { handleEvent, type EventHandlerDeps } from '../lib/pipeline/receive.ts';
import { renderSlack } from '../lib/render/slack.ts';
import { MemoryStore } from '../lib/store/memory-store.ts';
import { DEFAULT_TRACKING } from '../lib/trackers/context.ts';
import { generateEvents, median, progress, type Fixture } from './fixtures.ts';

export interface ThroughputOptions {
  /** Events per run of the event path: generated from the fixtures (fresh ids), so none is a duplicate. */
  events: number;
  /** Timed runs of each; the median counts. */
  runs: number;
}

export interface ThroughputResult {
  /** The real `handleEvent`: in-memory store, SnsNotifier over a real SNSClient answered in process. */
  eventPathEventsPerSec: number;
  /** JSON.parse + JSON.stringify of each event: the floor no processing can beat. */
  floorEventsPerSec: number;
  /** The input floor plus JSON.stringify of every Publish request the event path made: reading and writing only. */
  outputFloorEventsPerSec: number;
  /** eventPath / floor, the target's ratio. */
  ratio: number;
  /** eventPath / outputFloor. */
  outputRatio: number;
  /** Share of the events that published at least one message. */
  publishingShare: number;
  /** Mean bytes of a Publish request body as the SDK sends it. */
  publishBodyBytes: number;
  /** Stages on their own, each over the same events, as a share of the input floor (what the event path spends). */
  stages: { parseClassify: number; buildAndSnsMessage: number; slackFunction: number };
  events: number;
  runs: number;
}

/** Target: the event path keeps at least this share of the input floor's speed (issue 13; aim 0.5). */
export const THROUGHPUT_TARGET = 0.3;

const TOPIC = 'arn:aws:sns:eu-west-1:123456789012:ecs-incident-notifier-alerts';
const PUBLISH_RESPONSE = Buffer.from(
  '<PublishResponse xmlns="http://sns.amazonaws.com/doc/2010-03-31/"><PublishResult><MessageId>00000000-0000-0000-0000-000000000000</MessageId></PublishResult><ResponseMetadata><RequestId>r</RequestId></ResponseMetadata></PublishResponse>',
);

/**
 * An SNS client that goes through everything the SDK does in Lambda (middleware, endpoint, signing, the query
 * protocol's serialisation) and answers each Publish in process instead of over the network: the bench measures our
 * code and the SDK's, not a network.
 */
function answeringSnsClient(onBody: (bytes: number) => void): SNSClient {
  const requestHandler: RequestHandler<HttpRequest, HttpResponse> = {
    handle: async (request) => {
      onBody(typeof request.body === 'string' ? Buffer.byteLength(request.body) : 0);
      return { response: { statusCode: 200, reason: 'OK', headers: { 'content-type': 'text/xml' }, body: PUBLISH_RESPONSE } };
    },
  };
  return new SNSClient({ region: 'eu-west-1', credentials: { accessKeyId: 'AKIDBENCH', secretAccessKey: 'bench' }, requestHandler, maxAttempts: 1 });
}

interface EventPathRun {
  perSec: number;
  /** The Publish inputs each event made, by event index. */
  published: PublishCommandInput[][];
  bodyBytes: number;
}

/** One run of handleEvent over `values` with a fresh store, as one Lambda container would see them. */
async function eventPathRun(values: readonly { event: unknown; time: Date }[]): Promise<EventPathRun> {
  const published: PublishCommandInput[][] = values.map(() => []);
  let current = 0;
  let bodyBytes = 0;
  const client = answeringSnsClient((bytes) => {
    bodyBytes += bytes;
  });
  client.middlewareStack.add(
    (next, context) => async (args) => {
      if (context.commandName === PublishCommand.name) published[current]?.push(args.input as PublishCommandInput);
      return next(args);
    },
    { step: 'initialize', name: 'benchRecordPublish' },
  );
  let now = new Date(0);
  const deps: EventHandlerDeps = {
    logger: createLogger(() => undefined),
    metrics: createMetrics(() => undefined),
    now: () => now,
    alerting: { store: new MemoryStore({ horizonMs: 86_400_000 }), notifier: new SnsNotifier(client, TOPIC), grouping: DEFAULT_GROUPING, tracking: DEFAULT_TRACKING },
  };
  const started = performance.now();
  for (const [index, value] of values.entries()) {
    current = index;
    now = value.time;
    await handleEvent(value.event, `bench event ${index}`, deps);
  }
  const seconds = (performance.now() - started) / 1000;
  return { perSec: values.length / seconds, published, bodyBytes };
}

/** Events per second of `work` over every text. */
function rate(texts: readonly string[], work: (text: string, index: number) => number): { perSec: number; sink: number } {
  let sink = 0;
  const started = performance.now();
  for (const [index, text] of texts.entries()) sink += work(text, index);
  return { perSec: texts.length / ((performance.now() - started) / 1000), sink };
}

function timeOf(value: unknown): Date {
  const time = typeof value === 'object' && value !== null && 'time' in value && typeof value.time === 'string' ? Date.parse(value.time) : Number.NaN;
  if (Number.isNaN(time)) throw new Error('a generated event has no time');
  return new Date(time);
}

/** Parse, classify, and for an alerting event the alert and its SNS message: the event path without store or SDK. */
function buildAndSnsMessage(text: string, index: number): number {
  const evaluated = evaluate(JSON.parse(text), `bench ${index}`);
  const { verdict, envelope } = evaluated;
  if (!verdict.alert) return 1;
  const alert = buildAlert(verdict, { eventId: envelope.id, taskDefinition: null, enriched: verdict.taskDefinitionArn === null, windowMinutes: DEFAULT_GROUPING.windowMinutes });
  return snsMessage(alert).Message.length;
}

/**
 * Throughput of the event path beside the JSON floors, in this process, on the same generated events: a warm-up run
 * of each, then `runs` timed runs of each, interleaved, and the median of each. The Slack function's own path (read
 * the machine body, render Block Kit) is timed per message it would receive, and reported as a stage.
 */
export async function measureThroughput(fixtures: readonly Fixture[], options: ThroughputOptions): Promise<ThroughputResult> {
  const texts = [...generateEvents(fixtures, options.events)];
  const values = (): { event: unknown; time: Date }[] =>
    texts.map((text) => {
      const event: unknown = JSON.parse(text);
      return { event, time: timeOf(event) };
    });
  progress(`throughput: warm-up, ${texts.length} events`);
  const warm = await eventPathRun(values());
  const requests = warm.published.map((inputs) => inputs.map((input) => JSON.stringify(input)));
  const machineBodies = warm.published.flat().map((input) => JSON.parse(input.Message ?? '{}') as { default: string });
  const floor = (text: string): number => JSON.stringify(JSON.parse(text)).length;
  const outputFloor = (text: string, index: number): number => {
    let length = floor(text);
    for (const input of warm.published[index] ?? []) length += JSON.stringify(input).length;
    return length;
  };
  let sink = requests.length;
  const eventPath: number[] = [];
  const floors: number[] = [];
  const outputFloors: number[] = [];
  const parseClassify: number[] = [];
  const built: number[] = [];
  const slack: number[] = [];
  let bodyBytes = 0;
  let publishes = 0;
  for (let run = 1; run <= options.runs; run += 1) {
    progress(`throughput: run ${run}/${options.runs}, ${texts.length} events`);
    const inputs = values();
    const timed = await eventPathRun(inputs);
    eventPath.push(timed.perSec);
    bodyBytes += timed.bodyBytes;
    publishes += timed.published.reduce((sum, list) => sum + list.length, 0);
    for (const [measure, work] of [
      [floors, floor],
      [outputFloors, outputFloor],
      [parseClassify, (text: string, index: number) => (evaluate(JSON.parse(text), `bench ${index}`).verdict.alert ? 2 : 1)],
      [built, buildAndSnsMessage],
    ] as const) {
      const result = rate(texts, work);
      measure.push(result.perSec);
      sink += result.sink;
    }
    // The Slack function's work per message it receives, expressed per input event so that it adds up with the rest.
    const started = performance.now();
    for (const body of machineBodies) sink += JSON.stringify(renderSlack(parseAlertMessage(body.default, 'bench'))).length;
    slack.push(texts.length / ((performance.now() - started) / 1000));
  }
  if (sink <= 0 || publishes === 0) throw new Error('throughput: nothing was published; the measurement would leave out the SNS message');
  const floorPerSec = median(floors);
  const eventPathPerSec = median(eventPath);
  const outputFloorPerSec = median(outputFloors);
  return {
    eventPathEventsPerSec: eventPathPerSec,
    floorEventsPerSec: floorPerSec,
    outputFloorEventsPerSec: outputFloorPerSec,
    ratio: eventPathPerSec / floorPerSec,
    outputRatio: eventPathPerSec / outputFloorPerSec,
    publishingShare: warm.published.filter((list) => list.length > 0).length / texts.length,
    publishBodyBytes: bodyBytes / publishes,
    stages: { parseClassify: median(parseClassify) / floorPerSec, buildAndSnsMessage: median(built) / floorPerSec, slackFunction: median(slack) / floorPerSec },
    events: texts.length,
    runs: options.runs,
  };
}
