import { execFile } from 'node:child_process';
import { readdirSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough, Readable } from 'node:stream';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { esbuildSettings } from '../../bench/cold-start.ts';
import { DEFAULT_GENERATE, generateEvents, loadFixtures, ROOT, writeEventFiles } from '../../bench/fixtures.ts';
import { evaluate } from '../../lib/pipeline/evaluate.ts';
import { runReplay } from '../../lib/replay/run.ts';

const run = promisify(execFile);
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;
const TASK_ID_IN_ARN = /:task\/(?:[^/"]+\/)?([0-9a-f]{32})\b/g;

function record(value: unknown): Record<string, unknown> {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) throw new Error('not a JSON object');
  return value as Record<string, unknown>;
}

function taskIdsIn(text: string): string[] {
  return [...text.matchAll(TASK_ID_IN_ARN)].map((match) => match[1]!);
}

/** Task ids of the task ARNs in the places a task event names its task. */
function taskArnIds(event: Record<string, unknown>): string[] {
  const detail = record(event.detail);
  const containers = Array.isArray(detail.containers) ? detail.containers.map(record) : [];
  const arns = [
    ...(Array.isArray(event.resources) ? event.resources.filter((arn): arn is string => typeof arn === 'string' && arn.includes(':task/')) : []),
    String(detail.taskArn),
    ...containers.map((container) => String(container.taskArn)),
  ];
  const containerTaskIds = containers.map((container) => /:container\/[^/]+\/([0-9a-f]{32})\//.exec(String(container.containerArn))?.[1]);
  return [...arns.map((arn) => /([0-9a-f]{32})$/.exec(arn)?.[1]), ...containerTaskIds].map((id) => id ?? 'missing');
}

describe('bench', () => {
  const fixtures = loadFixtures();

  it('generates events with fresh unique ids and task ARNs, consistent within an event, that the pipeline reads as the fixture', () => {
    const rounds = 3;
    const texts = [...generateEvents(fixtures, fixtures.length * rounds)];
    const events = texts.map((text) => record(JSON.parse(text)));
    const recordedIds = new Set(fixtures.map((fixture) => record(JSON.parse(fixture.text)).id));
    const recordedTaskIds = new Set(fixtures.flatMap((fixture) => taskIdsIn(fixture.text)));

    const ids = events.map((event) => event.id);
    expect(new Set(ids).size).toBe(ids.length);
    for (const id of ids) {
      expect(id).toMatch(UUID);
      expect(recordedIds.has(id)).toBe(false);
    }
    const taskIdsByRound = Array.from({ length: rounds }, (_, round) => new Set(texts.slice(round * fixtures.length, (round + 1) * fixtures.length).flatMap(taskIdsIn)));
    expect(taskIdsByRound[0]!.size).toBeGreaterThan(0);
    for (const [round, taskIds] of taskIdsByRound.entries()) {
      for (const id of taskIds) {
        expect(recordedTaskIds.has(id)).toBe(false);
        for (const other of taskIdsByRound.slice(round + 1)) expect(other.has(id)).toBe(false);
      }
    }
    const taskEvents = events.filter((event) => event['detail-type'] === 'ECS Task State Change');
    expect(taskEvents.length).toBeGreaterThan(0);
    for (const event of taskEvents) expect(new Set(taskArnIds(event)).size).toBe(1);

    for (const [index, text] of texts.entries()) {
      const fixture = fixtures[index % fixtures.length]!;
      const generated = evaluate(JSON.parse(text), `generated:${index}`);
      expect(generated.verdict.category).toBe(evaluate(JSON.parse(fixture.text), fixture.origin).verdict.category);
      expect(generated.envelope.time).toBe(new Date(DEFAULT_GENERATE.start + index * DEFAULT_GENERATE.stepMs).toISOString().replace('.000Z', 'Z'));
    }
  });

  // A child process over a large input: seconds on a loaded machine, so an explicit timeout, not vitest's 5 s.
  it('shows the replay progress on a terminal for a large generated input', { timeout: 120_000 }, async () => {
    const dir = await mkdtemp(join(tmpdir(), 'bench-test-'));
    try {
      const file = (await writeEventFiles(dir, fixtures, [5_000])).get(5_000)!;
      const stderr = Object.assign(new PassThrough(), { isTTY: true });
      const chunks: string[] = [];
      stderr.on('data', (chunk: Buffer) => chunks.push(chunk.toString('utf8')));
      const status = await runReplay(['--json', file], {
        stdin: Readable.from(['']),
        stdout: Object.assign(new PassThrough().resume(), { isTTY: false }),
        stderr,
        cwd: dir,
        env: {},
        defaultPaths: [dir],
        apiDir: join(dir, 'api'),
      });
      expect(status).toBe(0);
      expect(chunks.join('')).toContain('\r5000 events read…');
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it('reads the esbuild settings of a serverless.yml custom.esbuild block', () => {
    const yml = ['custom:', '  esbuild:', '    bundle: true', '    sourcemap: linked', '    # why', "    mainFields: ['module', 'main']", '    exclude: []', '    format: cjs', '  other: 1'].join('\n');
    expect(esbuildSettings(yml)).toEqual({ bundle: true, sourcemap: 'linked', mainFields: ['module', 'main'], external: [], format: 'cjs' });
    expect(() => esbuildSettings(yml.replace('format: cjs', 'splitting: true'))).toThrow(/custom\.esbuild\.splitting/);
  });

  it('prints exactly the documented JSON shape with --json on a tiny run', { timeout: 180_000 }, async () => {
    const { stdout } = await run(process.execPath, ['--import', 'tsx', 'bench/run.ts', '--json', '--quick'], { cwd: ROOT, maxBuffer: 1024 * 1024 });
    const lines = stdout.trim().split('\n');
    expect(lines).toHaveLength(1);
    const report = record(JSON.parse(lines[0]!));

    expect(Object.keys(report).sort()).toEqual(['burst', 'coldStart', 'costPerMillionEventsUsd', 'firstPublish', 'replay', 'throughput']);
    expect(report.burst).toEqual({ tasks: 20, deliveries: expect.any(Number), eventsPerSec: expect.any(Number), storeCallsPerEvent: expect.any(Number), failedInvocations: 0 });
    const throughput = record(report.throughput);
    expect(Object.keys(throughput).sort()).toEqual(['eventPathEventsPerSec', 'floorEventsPerSec', 'outputFloorEventsPerSec', 'outputRatio', 'publishBodyBytes', 'publishingShare', 'ratio', 'stages']);
    expect(Object.entries(throughput).filter(([key]) => key !== 'stages').every(([, value]) => typeof value === 'number' && value > 0)).toBe(true);
    expect(Object.keys(record(throughput.stages)).sort()).toEqual(['buildAndSnsMessage', 'parseClassify', 'slackFunction']);
    expect(report.firstPublish).toEqual({ handlerMedianMs: expect.any(Number), skeletonMedianMs: expect.any(Number), ratio: expect.any(Number) });
    expect(report.replay).toEqual([
      { events: 200, wallMs: expect.any(Number), peakRssMb: expect.any(Number) },
      { events: 600, wallMs: expect.any(Number), peakRssMb: expect.any(Number) },
    ]);
    const handlers = readdirSync(join(ROOT, 'functions')).filter((name) => name.endsWith('.ts'));
    const rows: unknown[] = Array.isArray(report.coldStart) ? report.coldStart : [];
    expect(rows).toHaveLength(handlers.length);
    for (const row of rows) {
      expect(Object.keys(record(row)).sort()).toEqual(['bytes', 'handler', 'medianMs', 'packages', 'ratio', 'skeletonMedianMs']);
      expect(row).toEqual({ handler: expect.stringMatching(/^functions\/.+\.ts$/), bytes: expect.any(Number), medianMs: expect.any(Number), skeletonMedianMs: expect.any(Number), ratio: expect.any(Number), packages: expect.any(Object) });
      const packages = Object.entries(record(record(row).packages));
      // Every function sends through the SDK's core, and the parts add up to no more than the bundle.
      expect(packages.map(([name]) => name)).toContain('@smithy/core');
      expect(packages.reduce((sum, [, bytes]) => sum + Number(bytes), 0)).toBeLessThanOrEqual(Number(record(row).bytes));
    }
    expect(typeof report.costPerMillionEventsUsd).toBe('number');
    expect(report.costPerMillionEventsUsd).toBeGreaterThan(0.2);
  });
});
