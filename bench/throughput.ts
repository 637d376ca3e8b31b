import { performance } from 'node:perf_hooks';
import { buildAlert } from '../lib/alerts/build.ts';
import { DEFAULT_GROUPING } from '../lib/alerts/grouping.ts';
import { snsMessage } from '../lib/notify/sns-message.ts';
import { evaluate } from '../lib/pipeline/evaluate.ts';
import { renderSlack } from '../lib/render/slack.ts';
import { median, progress, type Fixture } from './fixtures.ts';

export interface ThroughputOptions {
  /** Events per run: the fixtures repeated until there are this many. */
  events: number;
  /** Timed runs of each; the median counts. */
  runs: number;
}

export interface ThroughputResult {
  pipelineEventsPerSec: number;
  floorEventsPerSec: number;
  /** pipeline / floor. */
  ratio: number;
  events: number;
  runs: number;
}

/** Target: the pipeline keeps at least this share of the floor's speed. */
export const THROUGHPUT_TARGET = 0.25;

/**
 * What every event costs in a handler before any AWS call: parse, classify and, for the events that alert, build the
 * alert and render everything that goes out (the SNS message with its email text, the Slack payload as posted). Returns a number that depends on all
 * of it, so that no work can be optimised away.
 */
function pipeline(fixture: Fixture): number {
  const evaluated = evaluate(JSON.parse(fixture.text), fixture.origin);
  const { verdict, envelope } = evaluated;
  if (!verdict.alert) return 1;
  // As alerting builds it offline: no task definition lookup, so enriched unless there was one to look up.
  const alert = buildAlert(verdict, { eventId: envelope.id, taskDefinition: null, enriched: verdict.taskDefinitionArn === null, windowMinutes: DEFAULT_GROUPING.windowMinutes });
  // What goes out: the SNS message (which holds the email text) from the handler, the Slack payload from the Slack function.
  return JSON.stringify(renderSlack(alert)).length + snsMessage(alert).Message.length;
}

/** The floor no processing can beat: reading the event's JSON and writing it back. */
function floor(fixture: Fixture): number {
  return JSON.stringify(JSON.parse(fixture.text)).length;
}

/** Events per second of `work` over `events` events taken from the fixtures in turn. */
function rate(work: (fixture: Fixture) => number, fixtures: readonly Fixture[], events: number): { perSec: number; sink: number } {
  let sink = 0;
  const started = performance.now();
  for (let i = 0; i < events; i += 1) {
    const fixture = fixtures[i % fixtures.length];
    if (fixture !== undefined) sink += work(fixture);
  }
  const seconds = (performance.now() - started) / 1000;
  return { perSec: events / seconds, sink };
}

/**
 * Throughput of the pipeline beside the JSON floor, in this process, on the same events: a warm-up pass of each
 * (so both run optimised code), then `runs` timed runs of each, interleaved, and the median of each.
 */
export function measureThroughput(fixtures: readonly Fixture[], options: ThroughputOptions): ThroughputResult {
  let sink = 0;
  const warmup = Math.min(options.events, 20_000);
  progress(`throughput: warm-up, ${warmup} events of each`);
  sink += rate(floor, fixtures, warmup).sink + rate(pipeline, fixtures, warmup).sink;
  const pipelineRates: number[] = [];
  const floorRates: number[] = [];
  for (let run = 1; run <= options.runs; run += 1) {
    progress(`throughput: run ${run}/${options.runs}, ${options.events} events of each`);
    const floorRun = rate(floor, fixtures, options.events);
    const pipelineRun = rate(pipeline, fixtures, options.events);
    floorRates.push(floorRun.perSec);
    pipelineRates.push(pipelineRun.perSec);
    sink += floorRun.sink + pipelineRun.sink;
  }
  if (sink <= 0) throw new Error('throughput: nothing was processed');
  const pipelineEventsPerSec = median(pipelineRates);
  const floorEventsPerSec = median(floorRates);
  return { pipelineEventsPerSec, floorEventsPerSec, ratio: pipelineEventsPerSec / floorEventsPerSec, events: options.events, runs: options.runs };
}
