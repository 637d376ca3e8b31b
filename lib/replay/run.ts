import { once } from 'node:events';
import type { Readable, Writable } from 'node:stream';
import { parseArgs } from 'node:util';
import { renderError, renderSummary, renderVerdict } from './human-output.ts';
import { jsonLine } from './json-output.ts';
import { readInputs } from './read-inputs.ts';
import { replay } from './replay.ts';
import { resolveSources } from './sources.ts';
import { Tally } from './tally.ts';
import { painter, wantsColor } from './terminal-text.ts';

export const USAGE = `Usage: npm run replay -- [options] [PATH...]

Replays saved EventBridge events through the classifier, with no AWS account, and shows what would alert.
PATH is a file, a folder (searched recursively for *.json, *.jsonl, *.ndjson; api/ folders are skipped),
or - for standard input. A file may hold one event, a JSON array of events, or one event per line.
With no PATH, the recorded events in events/ are replayed.

Options:
  --json        one JSON object per input event, in input order: the verdict with id, detailType and file
  --all         also show events that do not alert (severity info)
  --color       colour the output even when it is not a terminal
  --no-color    never colour the output (NO_COLOR is honoured too)
  -h, --help    show this help

Exit status: 0 when every input was classified, 2 when some could not be read (they are reported, the rest go on).`;

export interface ReplayIo {
  stdin: Readable;
  stdout: Writable & { isTTY?: boolean };
  stderr: Writable & { isTTY?: boolean };
  /** Where relative paths are resolved from and shown relative to. */
  cwd: string;
  env: NodeJS.ProcessEnv;
  /** What to replay when no path is given: the bundled recorded events. */
  defaultPaths: readonly string[];
}

/** Inputs between progress updates on a terminal; below this a replay is too quick to need one. */
const PROGRESS_EVERY = 5000;

async function write(stream: Writable, text: string): Promise<void> {
  if (!stream.write(text)) await once(stream, 'drain');
}

interface Options {
  json: boolean;
  all: boolean;
  color: boolean | undefined;
  help: boolean;
  paths: string[];
}

function readOptions(args: readonly string[]): Options {
  const { values, positionals } = parseArgs({
    args: [...args],
    allowPositionals: true,
    strict: true,
    options: {
      json: { type: 'boolean', default: false },
      all: { type: 'boolean', default: false },
      color: { type: 'boolean' },
      'no-color': { type: 'boolean' },
      help: { type: 'boolean', short: 'h', default: false },
    },
  });
  const color = values['no-color'] === true ? false : values.color;
  return { json: values.json, all: values.all, color, help: values.help, paths: positionals };
}

/**
 * The replay command: reads the inputs, runs each through the pipeline and writes one block (or JSON line) per
 * event, then a summary. Returns the exit status: 0, or 2 when an input could not be read or the arguments are wrong.
 */
export async function runReplay(args: readonly string[], io: ReplayIo): Promise<number> {
  let options: Options;
  try {
    options = readOptions(args);
  } catch (error) {
    await write(io.stderr, `${error instanceof Error ? error.message : String(error)}\n\n${USAGE}\n`);
    return 2;
  }
  if (options.help) {
    await write(io.stdout, `${USAGE}\n`);
    return 0;
  }

  const paint = painter(!options.json && wantsColor(options.color, io.env, io.stdout.isTTY === true));
  const errorPaint = painter(wantsColor(options.color, io.env, io.stderr.isTTY === true));
  const sources = await resolveSources(options.paths.length > 0 ? options.paths : io.defaultPaths, io.cwd);
  const tally = new Tally();
  const showProgress = io.stderr.isTTY === true;
  let shown = 0;

  for await (const result of replay(readInputs(sources, io.stdin))) {
    tally.add(result);
    if (options.json) {
      await write(io.stdout, `${jsonLine(result)}\n`);
    } else if (result.kind === 'error') {
      await write(io.stderr, `${renderError(result, errorPaint)}\n`);
    } else if (result.verdict.alert || options.all) {
      await write(io.stdout, `${shown === 0 ? '' : '\n'}${renderVerdict(result, paint)}\n`);
      shown += 1;
    }
    const count = tally.events + tally.errors;
    if (showProgress && count % PROGRESS_EVERY === 0) await write(io.stderr, `\r${count} events read…`);
  }
  if (showProgress && tally.events + tally.errors >= PROGRESS_EVERY) await write(io.stderr, '\r\u001b[K');

  if (!options.json) await write(io.stdout, `${shown === 0 ? '' : '\n'}${renderSummary(tally, paint)}\n`);
  return tally.errors > 0 ? 2 : 0;
}
