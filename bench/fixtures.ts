import { randomBytes, randomUUID } from 'node:crypto';
import { createWriteStream, readFileSync } from 'node:fs';
import { once } from 'node:events';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { eventFilesBelow } from '../lib/replay/sources.ts';

/** The project root: where `npm run replay` runs and `functions/`, `events/` and `serverless.yml` live. */
export const ROOT = fileURLToPath(new URL('../', import.meta.url));
export const EVENTS_DIR = join(ROOT, 'events');

/** One recorded event: where it comes from (`task/stopped-oom.json`, `scenarios/oom-crash-loop.jsonl:3`) and its compact JSON text. */
export interface Fixture {
  origin: string;
  text: string;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/**
 * Every recorded event, in the order the replay reads them: `events/**\/*.json` and each line of
 * `events/scenarios/*.jsonl`, recorded API responses (`events/api/`) left out. The text is compact JSON, the way
 * EventBridge delivers an event and NDJSON holds one.
 */
export function loadFixtures(): Fixture[] {
  return eventFilesBelow(EVENTS_DIR).flatMap((path) => {
    const name = relative(EVENTS_DIR, path);
    const text = readFileSync(path, 'utf8');
    if (!path.endsWith('.jsonl')) return [{ origin: name, text: JSON.stringify(JSON.parse(text)) }];
    return text.split('\n').flatMap((line, index) => (line.trim() === '' ? [] : [{ origin: `${name}:${index + 1}`, text: JSON.stringify(JSON.parse(line)) }]));
  });
}

/** The median of some measurements (the mean of the middle two for an even count). */
export function median(values: readonly number[]): number {
  if (values.length === 0) throw new Error('median of no values');
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  const upper = sorted[middle] ?? 0;
  return sorted.length % 2 === 1 ? upper : ((sorted[middle - 1] ?? upper) + upper) / 2;
}

/** A progress line on standard error, so that standard output holds only the table or the JSON. */
export function progress(message: string): void {
  process.stderr.write(`bench: ${message}\n`);
}

// Task ARNs, old (`task/ID`) and current (`task/CLUSTER/ID`) forms; the recorded ids are all 32 hex digits.
const TASK_ARN = /arn:aws[\w-]*:ecs:[^:"]*:\d{12}:task\/(?:[^/"]+\/)?([0-9a-f]{32})\b/g;
const ISO_TIME = /\b\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(?:\.\d{1,9})?Z\b/g;
const ID_PLACEHOLDER = '__bench_event_id__';

/** A fixture made ready for copying: its text with a placeholder id, the task ids it names, and its time. */
interface Template {
  text: string;
  taskIds: string[];
  time: number | null;
}

function templateOf(fixture: Fixture): Template {
  const value: unknown = JSON.parse(fixture.text);
  if (!isRecord(value)) throw new Error(`fixture ${fixture.origin} is not a JSON object`);
  const taskIds = [...new Set([...fixture.text.matchAll(TASK_ARN)].map((match) => match[1] ?? ''))].filter((id) => id !== '');
  const time = typeof value.time === 'string' && !Number.isNaN(Date.parse(value.time)) ? Date.parse(value.time) : null;
  // Spreading keeps `id` where it was, so the copies keep the key order of the recorded event.
  return { text: JSON.stringify({ ...value, id: ID_PLACEHOLDER }), taskIds, time };
}

export interface GenerateOptions {
  /** Time of the first event, in milliseconds since the epoch. */
  start: number;
  /** Time between two events, in milliseconds: 10 s spreads 100,000 events over 11.6 days. */
  stepMs: number;
}

export const DEFAULT_GENERATE: GenerateOptions = { start: Date.parse('2026-01-05T00:00:00Z'), stepMs: 10_000 };

/** The timestamp moved by `delta` milliseconds, written with fractional seconds only when it had them. */
function shifted(iso: string, delta: number): string {
  const moved = new Date(Date.parse(iso) + delta).toISOString();
  return iso.includes('.') ? moved : moved.replace(/\.\d{3}Z$/, 'Z');
}

/**
 * `count` events copied from the fixtures in turn (a round is one pass over them), one compact JSON text each:
 *
 * - every event gets a fresh `id` (a UUID), so none is a duplicate delivery of another;
 * - every task id (32 hex digits) gets a fresh one per round, replaced everywhere in the event (`resources`,
 *   `detail.taskArn`, `containers[].taskArn`, container ARNs, runtime ids), so one event stays consistent and the
 *   events of a recorded scenario still talk about the same task within a round, while rounds never share a task;
 * - the i-th event happens at `start + i × stepMs`, and every ISO timestamp in it moves by the same amount as its
 *   `time`, so its own times keep their order and grouping windows close as the clock runs over days.
 *
 * @example [...generateEvents(loadFixtures(), 3)].map((text) => JSON.parse(text).id) // three fresh UUIDs
 */
export function* generateEvents(fixtures: readonly Fixture[], count: number, options: GenerateOptions = DEFAULT_GENERATE): Generator<string> {
  if (fixtures.length === 0) throw new Error('no fixtures to generate events from');
  const templates = fixtures.map(templateOf);
  let taskIds = new Map<string, string>();
  for (let i = 0; i < count; i += 1) {
    const index = i % templates.length;
    if (index === 0) taskIds = new Map();
    const template = templates[index];
    if (template === undefined) continue;
    let text = template.text;
    for (const id of template.taskIds) {
      let fresh = taskIds.get(id);
      if (fresh === undefined) {
        fresh = randomBytes(16).toString('hex');
        taskIds.set(id, fresh);
      }
      text = text.replaceAll(id, fresh);
    }
    if (template.time !== null) {
      const delta = options.start + i * options.stepMs - template.time;
      text = text.replace(ISO_TIME, (iso) => shifted(iso, delta));
    }
    yield text.replace(ID_PLACEHOLDER, randomUUID());
  }
}

/**
 * Writes NDJSON files of generated events, one per size: the files share their events (the smaller ones are the
 * first lines of the larger), so the sizes differ in length only. Returns each file's path.
 */
export async function writeEventFiles(dir: string, fixtures: readonly Fixture[], sizes: readonly number[], options: GenerateOptions = DEFAULT_GENERATE): Promise<Map<number, string>> {
  const outputs = [...new Set(sizes)].map((size) => ({ size, path: join(dir, `events-${size}.ndjson`), stream: createWriteStream(join(dir, `events-${size}.ndjson`)) }));
  const largest = Math.max(0, ...sizes);
  let i = 0;
  for (const text of generateEvents(fixtures, largest, options)) {
    for (const output of outputs) {
      if (i < output.size && !output.stream.write(`${text}\n`)) await once(output.stream, 'drain');
    }
    i += 1;
  }
  await Promise.all(
    outputs.map(async (output) => {
      output.stream.end();
      await once(output.stream, 'finish');
    }),
  );
  return new Map(outputs.map((output) => [output.size, output.path]));
}
