import { createReadStream } from 'node:fs';
import { createInterface } from 'node:readline';
import type { Readable } from 'node:stream';
import { readValues } from './json-values.ts';
import type { Source } from './sources.ts';

/** One input of the replay: an event to run through the pipeline, or something that could not be read as one. */
export type ReplayInput =
  | { kind: 'event'; value: unknown; file: string; origin: string }
  | { kind: 'error'; file: string; error: string };

const LINE_DELIMITED = /\.(jsonl|ndjson)$/i;

function linesOf(stream: Readable): AsyncIterable<string> {
  return createInterface({ input: stream, crlfDelay: Infinity });
}

function errorText(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

async function* inputsOf(stream: Readable, file: string, lineDelimited: boolean): AsyncGenerator<ReplayInput> {
  try {
    for await (const item of readValues(linesOf(stream), { lineDelimited })) {
      if ('error' in item) yield { kind: 'error', file, error: item.error };
      else yield { kind: 'event', value: item.value, file, origin: `${file}:${item.line}` };
    }
  } catch (error) {
    // A read that fails part-way (a folder named like a file, a vanished file) ends this source, not the replay.
    yield { kind: 'error', file, error: `cannot read: ${errorText(error)}` };
  }
}

/**
 * Every input of the given sources, in order, streamed: events are read one at a time, never a whole file at once.
 *
 * @example for await (const input of readInputs(await resolveSources(['events/'], cwd), process.stdin)) ...
 */
export async function* readInputs(sources: readonly Source[], stdin: Readable): AsyncGenerator<ReplayInput> {
  for (const source of sources) {
    switch (source.kind) {
      case 'unreadable':
        yield { kind: 'error', file: source.name, error: source.error };
        break;
      case 'stdin':
        yield* inputsOf(stdin, source.name, false);
        break;
      case 'file':
        yield* inputsOf(createReadStream(source.path, { encoding: 'utf8' }), source.name, LINE_DELIMITED.test(source.path));
        break;
    }
  }
}
