import { parseArgs } from 'node:util';
import { measureBurst, type BurstResult } from './burst.ts';
import { BUNDLE_BYTES_TARGET, LOAD_RATIO_TARGET, measureColdStart, type ColdStartResult } from './cold-start.ts';
import { ASSUMED_AWS_MS, LAMBDA_PRICING, measureCost, type CostResult } from './cost.ts';
import { FIRST_PUBLISH_RATIO_TARGET, measureFirstPublish, type FirstPublishResult } from './first-publish.ts';
import { loadFixtures, progress } from './fixtures.ts';
import { measureReplayScale, type ReplayScaleResult } from './replay-scale.ts';
import { measureThroughput, THROUGHPUT_TARGET, type ThroughputResult } from './throughput.ts';

const USAGE = `Usage: npm run bench -- [options]

Measures the notifier and prints a table (progress goes to standard error):
  throughput   handleEvent (in-memory store, SNS client answered in process) beside JSON.parse + JSON.stringify of the same events
  replay       npm run replay -- --json over generated files of 10,000, 30,000 and 100,000 events: wall time, peak RSS
  cold start   each functions/*.ts bundled as serverless.yml does, require() time beside a skeleton bundle, bytes by package
  first publish  a cold process of functions/task-events.ts until its first SNS Publish is answered, against dynalite,
               fauxqs and a loopback ECS, beside the skeleton publishing one message
  cost         Lambda cost per million events from the measured handler time
  burst        one deployment's failed tasks all at once through the handler against dynalite: events/s, store calls

  --json             print one JSON object instead of the table
  --quick            tiny sizes, for a smoke test (figures are not meaningful)
  --events N         events per throughput run (default 20000)
  --runs N           timed throughput runs; the median counts (default 5)
  --sizes A,B,...    replay file sizes in events (default 10000,30000,100000)
  --cold-runs N      loads of each bundle (default 15)
  --cost-events N    events timed through the handler for the cost (default 20000)
  --burst-tasks N    distinct failed tasks of the burst (default 200)
  -h, --help         show this help

Targets are reported PASS or FAIL; they never change the exit status.`;

interface BenchOptions {
  json: boolean;
  quick: boolean;
  events: number;
  runs: number;
  sizes: number[];
  coldRuns: number;
  costEvents: number;
  costWarmup: number;
  burstTasks: number;
}

const FULL: Omit<BenchOptions, 'json' | 'quick'> = { events: 20_000, runs: 5, sizes: [10_000, 30_000, 100_000], coldRuns: 15, costEvents: 20_000, costWarmup: 2_000, burstTasks: 200 };
const QUICK: Omit<BenchOptions, 'json' | 'quick'> = { events: 2_000, runs: 1, sizes: [200, 600], coldRuns: 1, costEvents: 300, costWarmup: 100, burstTasks: 20 };

class UsageError extends Error {
  override readonly name = 'UsageError';
}

function count(text: string | undefined, name: string, fallback: number): number {
  if (text === undefined) return fallback;
  const value = Number(text);
  if (!Number.isInteger(value) || value <= 0) throw new UsageError(`${name} must be a positive whole number, got "${text}"`);
  return value;
}

function readOptions(args: readonly string[]): BenchOptions | 'help' {
  const { values } = parseArgs({
    args: [...args],
    strict: true,
    options: {
      json: { type: 'boolean', default: false },
      quick: { type: 'boolean', default: false },
      events: { type: 'string' },
      runs: { type: 'string' },
      sizes: { type: 'string' },
      'cold-runs': { type: 'string' },
      'cost-events': { type: 'string' },
      'burst-tasks': { type: 'string' },
      help: { type: 'boolean', short: 'h', default: false },
    },
  });
  if (values.help) return 'help';
  const base = values.quick ? QUICK : FULL;
  const sizes = values.sizes === undefined ? base.sizes : values.sizes.split(',').map((size) => count(size.trim(), '--sizes', 0));
  const costEvents = count(values['cost-events'], '--cost-events', base.costEvents);
  return {
    json: values.json,
    quick: values.quick,
    events: count(values.events, '--events', base.events),
    runs: count(values.runs, '--runs', base.runs),
    sizes,
    coldRuns: count(values['cold-runs'], '--cold-runs', base.coldRuns),
    costEvents,
    costWarmup: Math.min(base.costWarmup, costEvents),
    burstTasks: count(values['burst-tasks'], '--burst-tasks', base.burstTasks),
  };
}

interface BenchResult {
  throughput: ThroughputResult;
  replay: ReplayScaleResult;
  coldStart: ColdStartResult;
  cost: CostResult;
  burst: BurstResult;
  firstPublish: FirstPublishResult;
}

/** The figures as the JSON output holds them, rounded as the table prints them. */
function jsonReport(result: BenchResult): Record<string, unknown> {
  return {
    throughput: {
      eventPathEventsPerSec: Math.round(result.throughput.eventPathEventsPerSec),
      floorEventsPerSec: Math.round(result.throughput.floorEventsPerSec),
      outputFloorEventsPerSec: Math.round(result.throughput.outputFloorEventsPerSec),
      ratio: round(result.throughput.ratio, 3),
      outputRatio: round(result.throughput.outputRatio, 3),
      publishingShare: round(result.throughput.publishingShare, 3),
      publishBodyBytes: Math.round(result.throughput.publishBodyBytes),
      stages: Object.fromEntries(Object.entries(result.throughput.stages).map(([stage, share]) => [stage, round(share, 3)])),
    },
    replay: result.replay.points.map((point) => ({ events: point.events, wallMs: Math.round(point.wallMs), peakRssMb: round(point.peakRssMb, 1) })),
    coldStart: result.coldStart.rows.map((row) => ({
      handler: row.handler,
      bytes: row.bytes,
      medianMs: round(row.medianMs, 2),
      skeletonMedianMs: round(row.skeletonMedianMs, 2),
      ratio: round(row.ratio, 2),
      packages: Object.fromEntries(row.packages.slice(0, 12).map((entry) => [entry.name, entry.bytes])),
    })),
    firstPublish: {
      handlerMedianMs: round(result.firstPublish.handlerMedianMs, 1),
      skeletonMedianMs: round(result.firstPublish.skeletonMedianMs, 1),
      ratio: round(result.firstPublish.ratio, 2),
    },
    costPerMillionEventsUsd: round(result.cost.costPerMillionEventsUsd, 4),
    burst: {
      tasks: result.burst.tasks,
      deliveries: result.burst.deliveries,
      eventsPerSec: Math.round(result.burst.eventsPerSec),
      storeCallsPerEvent: round(result.burst.storeCallsPerEvent, 2),
      failedInvocations: result.burst.failedInvocations,
    },
  };
}

function round(value: number, digits: number): number {
  const factor = 10 ** digits;
  return Math.round(value * factor) / factor;
}

const number = (value: number, digits = 0): string => value.toLocaleString('en-US', { minimumFractionDigits: digits, maximumFractionDigits: digits });
const verdict = (pass: boolean): string => (pass ? 'PASS' : 'FAIL');
const row = (cells: readonly string[], widths: readonly number[]): string =>
  cells
    .map((cell, index) => (index === 0 ? cell.padEnd(widths[index] ?? 0) : cell.padStart(widths[index] ?? 0)))
    .join('  ')
    .trimEnd();

/** The human-readable report. */
function table(result: BenchResult, options: BenchOptions): string {
  const { throughput, replay, coldStart, cost, burst } = result;
  const lines: string[] = [];
  lines.push(`Throughput: ${number(throughput.events)} generated events per run (the recorded events, fresh ids), median of ${throughput.runs} run(s), in process`);
  lines.push(`  event path (handleEvent, in-memory store, SnsNotifier + SDK answered in process) ${number(throughput.eventPathEventsPerSec).padStart(10)} events/s`);
  lines.push(`  input floor (JSON.parse + JSON.stringify of the event)                          ${number(throughput.floorEventsPerSec).padStart(10)} events/s`);
  lines.push(`  output-aware floor (input floor + JSON.stringify of each Publish request)       ${number(throughput.outputFloorEventsPerSec).padStart(10)} events/s`);
  lines.push(`  ratio ${number(throughput.ratio, 3)} of the input floor (target ≥ ${THROUGHPUT_TARGET}): ${verdict(throughput.ratio >= THROUGHPUT_TARGET)}; ${number(throughput.outputRatio, 3)} of the output-aware floor`);
  lines.push(`  ${number(throughput.publishingShare * 100, 1)}% of the events publish; a Publish request body is ${number(throughput.publishBodyBytes)} bytes on average`);
  const { stages } = throughput;
  lines.push(`  stages alone, as a share of the input floor: parse + classify ${number(stages.parseClassify, 3)}; + alert + SNS message ${number(stages.buildAndSnsMessage, 3)}; the Slack function (read + render, per event) ${number(stages.slackFunction, 3)}`);

  lines.push('', 'Replay at scale: npm run replay -- --json FILE (generated NDJSON), wall time from spawn to exit');
  lines.push(`  peak RSS: ${replay.rssMethod}`);
  const replayWidths = [9, 9, 12, 14];
  lines.push(`  ${row(['events', 'wall ms', 'peak RSS MB', 'events/s'], replayWidths)}`);
  for (const point of replay.points) lines.push(`  ${row([number(point.events), number(point.wallMs), number(point.peakRssMb, 1), number(point.events / (point.wallMs / 1000))], replayWidths)}`);
  const first = replay.points[0];
  const last = replay.points.at(-1);
  if (first !== undefined && last !== undefined && last !== first) {
    lines.push(
      `  growth ${number(first.events)} → ${number(last.events)}: events ×${number(last.events / first.events, 1)}, wall time ×${number(last.wallMs / first.wallMs, 2)}, peak RSS ×${number(last.peakRssMb / first.peakRssMb, 2)}`,
    );
    // The difference between two sizes leaves out what every run pays once (npm, tsx and Node start-up, loading).
    const extra = last.events - first.events;
    lines.push(
      `  per extra event: ${number(((last.wallMs - first.wallMs) * 1000) / extra)} µs, ${number(((last.peakRssMb - first.peakRssMb) * 1024 * 1024) / extra)} bytes of peak RSS (de-duplication ids, task versions, grouping state)`,
    );
  }

  lines.push('', `Cold start: serverless.yml's custom.esbuild settings; require() in a fresh node, median of ${coldStart.runs}, interleaved with the skeleton`);
  lines.push(`  skeleton (@middy/core, SNS and ECS clients only): ${number(coldStart.skeletonBytes)} bytes`);
  const coldWidths = [40, 9, 10, 12, 6, 12, 10];
  lines.push(`  ${row(['handler', 'bytes', 'median ms', 'skeleton ms', 'ratio', `< ${BUNDLE_BYTES_TARGET / 1024} KiB`, `≤ ${LOAD_RATIO_TARGET}×`], coldWidths)}`);
  for (const entry of coldStart.rows) {
    lines.push(
      `  ${row([entry.handler, number(entry.bytes), number(entry.medianMs, 2), number(entry.skeletonMedianMs, 2), number(entry.ratio, 2), verdict(entry.bytes < BUNDLE_BYTES_TARGET), verdict(entry.ratio <= LOAD_RATIO_TARGET)], coldWidths)}`,
    );
  }

  lines.push('  largest parts of each bundle (KiB):');
  for (const entry of coldStart.rows) lines.push(`    ${entry.handler}: ${entry.packages.slice(0, 8).map((part) => `${part.name} ${number(part.bytes / 1024)}`).join(', ')}`);

  const { firstPublish } = result;
  lines.push('', `First publish: a fresh node process, require() to SNS's answer to the first Publish, median of ${firstPublish.runs} (dynalite, fauxqs and a loopback ECS on the same cores)`);
  lines.push(`  functions/task-events.ts, a recorded OOM stop: ${number(firstPublish.handlerMedianMs, 1)} ms; skeleton, one Publish: ${number(firstPublish.skeletonMedianMs, 1)} ms`);
  lines.push(`  ratio ${number(firstPublish.ratio, 2)} (target ≤ ${FIRST_PUBLISH_RATIO_TARGET}): ${verdict(firstPublish.ratio <= FIRST_PUBLISH_RATIO_TARGET)}`);

  const usd = (value: number): string => `$${number(value, 4)}`;
  lines.push('', `Cost: Lambda ${cost.architecture}, ${cost.memoryMb} MB, ${LAMBDA_PRICING.region}: $${LAMBDA_PRICING.usdPerGbSecond} per GB-s, $${LAMBDA_PRICING.usdPerMillionRequests} per million requests (${LAMBDA_PRICING.url})`);
  lines.push(`  measured: handleEvent over ${number(cost.events)} events, in memory, mean ${number(cost.meanMs, 3)} ms (billed ${number(cost.billedMs, 3)} ms, rounded up per event)`);
  lines.push(`  cost per million events, own code only:       ${usd(cost.costPerMillionEventsUsd)}`);
  lines.push('  AWS call latency (DynamoDB, SNS, ECS) is NOT included above.');
  lines.push('  --- estimate, not a measurement ---');
  lines.push(`  assuming ${ASSUMED_AWS_MS} ms of AWS calls per event (billed ${number(cost.withAwsBilledMs, 3)} ms): ${usd(cost.withAwsCostPerMillionEventsUsd)} per million events`);
  lines.push('', `Burst on one deployment: ${number(burst.tasks)} failed tasks, ${number(burst.deliveries)} deliveries at once, handler + DynamoDB on dynalite (same 2 cores)`);
  lines.push(`  ${number(burst.eventsPerSec)} events/s absorbed by one deployment record; ${number(burst.wallMs)} ms in all`);
  lines.push(`  store calls per event: ${number(burst.storeCallsPerEvent, 2)} (${Object.entries(burst.callsByMethod).map(([method, calls]) => `${method} ${number(calls)}`).join(', ')})`);
  lines.push(`  deliveries failing after Lambda's 2 retries: ${burst.failedInvocations} (target 0): ${verdict(burst.failedInvocations === 0)}`);
  if (options.quick) lines.push('', '--quick: tiny sizes, the figures are not meaningful.');
  return lines.join('\n');
}

/** Runs the six benchmarks one after the other (never side by side: they would share the two cores). */
async function runBench(options: BenchOptions): Promise<BenchResult> {
  const fixtures = loadFixtures();
  progress(`${fixtures.length} recorded events loaded`);
  const throughput = await measureThroughput(fixtures, { events: options.events, runs: options.runs });
  const cost = await measureCost(fixtures, { events: options.costEvents, warmup: options.costWarmup });
  const replay = await measureReplayScale(fixtures, options.sizes);
  const coldStart = await measureColdStart(options.coldRuns);
  const burst = await measureBurst(options.burstTasks);
  const firstPublish = await measureFirstPublish(options.coldRuns);
  return { throughput, replay, coldStart, cost, burst, firstPublish };
}

async function main(args: readonly string[]): Promise<number> {
  let options: BenchOptions | 'help';
  try {
    options = readOptions(args);
  } catch (error) {
    process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n\n${USAGE}\n`);
    return 2;
  }
  if (options === 'help') {
    process.stdout.write(`${USAGE}\n`);
    return 0;
  }
  const started = Date.now();
  const result = await runBench(options);
  progress(`done in ${Math.round((Date.now() - started) / 1000)} s`);
  process.stdout.write(options.json ? `${JSON.stringify(jsonReport(result))}\n` : `${table(result, options)}\n`);
  return 0;
}

process.exitCode = await main(process.argv.slice(2));
