import { execFile } from 'node:child_process';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { promisify } from 'node:util';
import { build, type BuildOptions, type Metafile } from 'esbuild';
import { median, progress, ROOT } from './fixtures.ts';

const run = promisify(execFile);

export interface ColdStartRow {
  /** The entry file: `functions/task-events.ts`. */
  handler: string;
  /** Size of the bundled `.js` (the source map apart). */
  bytes: number;
  /** Median time to `require()` the bundle in a fresh Node process. */
  medianMs: number;
  /** The same for the skeleton bundle, measured in the same rounds. */
  skeletonMedianMs: number;
  /** medianMs / skeletonMedianMs. */
  ratio: number;
  /** Bytes of the bundle by package (`@aws-sdk/client-ecs`, `lib/classify` for our own folders), largest first. */
  packages: { name: string; bytes: number }[];
}

export interface ColdStartResult {
  rows: ColdStartRow[];
  skeletonBytes: number;
  runs: number;
}

/** Targets (issue 13): a handler loads no slower than the skeleton, and its bundle stays under this size. */
export const LOAD_RATIO_TARGET = 1.0;
export const BUNDLE_BYTES_TARGET = 350 * 1024;

/**
 * The settings of `custom.esbuild` in serverless.yml, read with a small reader of that one block (flat `key: value`
 * lines, values true/false, bare words or a flow list of quoted strings), so the bench bundles exactly as the deploy
 * does. A key the bench does not know fails the run rather than be silently ignored.
 */
export function esbuildSettings(serverlessYml: string): BuildOptions {
  const lines = serverlessYml.split('\n');
  const start = lines.findIndex((line, index) => line === '  esbuild:' && lines.slice(0, index).some((earlier) => earlier === 'custom:'));
  if (start < 0) throw new Error('serverless.yml has no custom.esbuild block');
  const settings: Record<string, unknown> = {};
  for (const line of lines.slice(start + 1)) {
    if (/^\s*(#.*)?$/.test(line)) continue;
    const match = /^ {4}([A-Za-z]+):\s*(.*?)\s*$/.exec(line);
    if (match === null) break;
    const [, key = '', raw = ''] = match;
    if (raw === 'true' || raw === 'false') settings[key] = raw === 'true';
    else if (raw.startsWith('{')) settings[key] = Object.fromEntries([...raw.matchAll(/['"]([^'"]+)['"]\s*:\s*['"]([^'"]+)['"]/g)].map((pair) => [pair[1] ?? '', pair[2] ?? '']));
    else if (raw.startsWith('[')) settings[key] = [...raw.matchAll(/['"]([^'"]*)['"]/g)].map((item) => item[1] ?? '');
    else settings[key] = raw.replace(/^['"]|['"]$/g, '');
  }
  const options: BuildOptions = {};
  for (const [key, value] of Object.entries(settings)) {
    switch (key) {
      case 'bundle':
      case 'minify':
      case 'keepNames':
        if (typeof value !== 'boolean') throw new Error(`custom.esbuild.${key} in serverless.yml is not true or false`);
        options[key] = value;
        break;
      case 'sourcemap':
        if (value !== 'linked' && value !== 'inline' && value !== 'external' && value !== 'both' && typeof value !== 'boolean') throw new Error(`custom.esbuild.sourcemap "${String(value)}" is not one esbuild knows`);
        options.sourcemap = value;
        break;
      case 'platform':
        if (value !== 'node' && value !== 'neutral' && value !== 'browser') throw new Error(`custom.esbuild.platform "${String(value)}" is not one esbuild knows`);
        options.platform = value;
        break;
      case 'format':
        if (value !== 'cjs' && value !== 'esm' && value !== 'iife') throw new Error(`custom.esbuild.format "${String(value)}" is not one esbuild knows`);
        options.format = value;
        break;
      case 'target':
        options.target = String(value);
        break;
      case 'mainFields':
      case 'exclude':
        if (!Array.isArray(value)) throw new Error(`custom.esbuild.${key} in serverless.yml is not a list`);
        // serverless-esbuild marks `exclude` external (and leaves it out of the package); empty here: everything bundled.
        if (key === 'mainFields') options.mainFields = value.map(String);
        else options.external = value.map(String);
        break;
      case 'alias':
        // A flow map of package to replacement (the Lambda bundles' credential provider).
        if (typeof value !== 'object' || value === null || Array.isArray(value)) throw new Error('custom.esbuild.alias in serverless.yml is not a map');
        options.alias = value as Record<string, string>;
        break;
      case 'packager':
        // How serverless-esbuild installs externals into the zip; nothing to bundle.
        break;
      default:
        throw new Error(`custom.esbuild.${key} in serverless.yml is not known to bench/cold-start.ts; teach it before comparing`);
    }
  }
  return options;
}

/**
 * The yardstick's build settings, fixed: serverless.yml's `custom.esbuild` as it was when the targets were set
 * (2026-12, issue 13), with keepNames on and the SDK's default credential chain. The handlers are built with
 * today's settings; the skeleton stays the same, so that a ratio below 1 is a real gain and not a moved yardstick.
 */
export const SKELETON_SETTINGS: BuildOptions = {
  bundle: true,
  minify: true,
  sourcemap: 'linked',
  keepNames: true,
  target: 'node20',
  platform: 'node',
  format: 'cjs',
  mainFields: ['module', 'main'],
  external: [],
};

// Exports keep the modules in the bundle (the SDK packages declare `sideEffects: false`, so a bare import would be
// dropped); nothing is created.
const SKELETON = `export { default as middy } from '@middy/core';
export { SNSClient } from '@aws-sdk/client-sns';
export { ECSClient } from '@aws-sdk/client-ecs';
`;

// What a fresh Node process does to load the bundle, and nothing more: process start-up is not counted.
const LOAD = 'const t=process.hrtime.bigint(); require(process.argv[1]); console.log(Number(process.hrtime.bigint()-t)/1e6)';

// The environment serverless.yml gives the functions: functions/deliver.ts reads its routes (here the Slack webhook) when loaded.
const FUNCTION_ENV = {
  AWS_REGION: 'us-east-1',
  ALERT_TOPIC_ARN: 'arn:aws:sns:us-east-1:111122223333:bench-alerts',
  ALERT_TABLE_NAME: 'bench-alerts',
  SLACK_WEBHOOK_PARAMETER: '/bench/slack-webhook',
};

async function loadMs(file: string): Promise<number> {
  const { stdout } = await run(process.execPath, ['-e', LOAD, file], { env: { ...process.env, ...FUNCTION_ENV } });
  const ms = Number(stdout.trim().split('\n').at(-1));
  if (!Number.isFinite(ms)) throw new Error(`loading ${file} printed no time: ${stdout}`);
  return ms;
}

/** What each package (or folder of ours) puts in the bundle, from esbuild's metafile, largest first. */
export function packageBytes(metafile: Metafile, outfile: string): ColdStartRow['packages'] {
  const output = Object.entries(metafile.outputs).find(([path]) => outfile.endsWith(path) || path.endsWith(basename(outfile)))?.[1];
  if (output === undefined) throw new Error(`esbuild's metafile has no output ${outfile}`);
  const bytes = new Map<string, number>();
  for (const [input, { bytesInOutput }] of Object.entries(output.inputs)) {
    const name = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(input)?.[1] ?? input.split('/').slice(0, input.startsWith('lib/') ? 2 : 1).join('/');
    bytes.set(name, (bytes.get(name) ?? 0) + bytesInOutput);
  }
  return [...bytes].map(([name, size]) => ({ name, bytes: size })).sort((a, b) => b.bytes - a.bytes);
}

/** Every handler entry point: `functions/*.ts`. */
export function handlerEntries(): string[] {
  return readdirSync(join(ROOT, 'functions'))
    .filter((name) => name.endsWith('.ts'))
    .sort()
    .map((name) => `functions/${name}`);
}

/**
 * Bundles each handler and a skeleton (only `@middy/core` and the SNS and ECS clients) with serverless.yml's esbuild
 * settings, then loads each in fresh Node processes, `runs` rounds after one discarded warm-up round, the bundles
 * interleaved within a round so that machine noise touches all alike.
 */
export async function measureColdStart(runs: number): Promise<ColdStartResult> {
  const options = esbuildSettings(readFileSync(join(ROOT, 'serverless.yml'), 'utf8'));
  const dir = await mkdtemp(join(tmpdir(), 'bench-cold-'));
  try {
    const handlers = handlerEntries();
    progress(`cold start: bundling ${handlers.length} handlers and the skeleton with serverless.yml's esbuild settings`);
    const skeleton = join(dir, 'skeleton.js');
    await build({ ...SKELETON_SETTINGS, stdin: { contents: SKELETON, resolveDir: ROOT, sourcefile: 'skeleton.ts', loader: 'ts' }, outfile: skeleton, logLevel: 'error' });
    const bundles: { handler: string; file: string; packages: ColdStartRow['packages'] }[] = [];
    for (const handler of handlers) {
      const file = join(dir, `${basename(handler, '.ts')}.js`);
      const { metafile } = await build({ ...options, entryPoints: [join(ROOT, handler)], outfile: file, absWorkingDir: ROOT, logLevel: 'error', metafile: true });
      bundles.push({ handler, file, packages: packageBytes(metafile, file) });
    }
    const times = new Map<string, number[]>([[skeleton, []], ...bundles.map((bundle): [string, number[]] => [bundle.file, []])]);
    for (let round = 0; round <= runs; round += 1) {
      if (round > 0) progress(`cold start: round ${round}/${runs}`);
      for (const file of times.keys()) {
        const ms = await loadMs(file);
        if (round > 0) times.get(file)?.push(ms);
      }
    }
    const skeletonMedianMs = median(times.get(skeleton) ?? []);
    const rows = bundles.map(({ handler, file, packages }): ColdStartRow => {
      const medianMs = median(times.get(file) ?? []);
      return { handler, bytes: statSync(file).size, medianMs, skeletonMedianMs, ratio: medianMs / skeletonMedianMs, packages };
    });
    return { rows, skeletonBytes: statSync(skeleton).size, runs };
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}
