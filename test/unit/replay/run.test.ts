import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough, Readable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { runReplay, USAGE } from '../../../lib/replay/run.ts';
import { serviceActionEvent, taskEvent } from '../../support/events.ts';

const OOM = taskEvent({ stopCode: 'EssentialContainerExited', stoppedReason: 'Essential container in task exited' }, [
  { name: 'web', exitCode: 137, reason: 'OutOfMemoryError: Container killed due to memory usage' },
]);
const PLACEMENT = serviceActionEvent({ reason: 'RESOURCE:CPU' });
const STEADY = serviceActionEvent({ eventType: 'INFO', eventName: 'SERVICE_STEADY_STATE' });

interface Run {
  status: number;
  stdout: string;
  stderr: string;
}

function collect(stream: PassThrough): () => string {
  const chunks: string[] = [];
  stream.on('data', (chunk: Buffer) => chunks.push(chunk.toString('utf8')));
  return () => chunks.join('');
}

async function run(args: string[], files: Record<string, string> = {}, options: { stdin?: string; env?: NodeJS.ProcessEnv; tty?: boolean } = {}): Promise<Run> {
  const cwd = mkdtempSync(join(tmpdir(), 'replay-run-'));
  for (const [name, content] of Object.entries(files)) writeFileSync(join(cwd, name), content);
  const stdout = Object.assign(new PassThrough(), { isTTY: options.tty ?? false });
  const stderr = Object.assign(new PassThrough(), { isTTY: false });
  const out = collect(stdout);
  const err = collect(stderr);
  const status = await runReplay(args, {
    stdin: Readable.from([options.stdin ?? '']),
    stdout,
    stderr,
    cwd,
    env: options.env ?? {},
    defaultPaths: [cwd],
  });
  return { status, stdout: out(), stderr: err() };
}

function jsonLines(text: string): Record<string, unknown>[] {
  return text
    .trim()
    .split('\n')
    .map((line) => JSON.parse(line) as Record<string, unknown>);
}

describe('runReplay --json', () => {
  it('prints one verdict per event in input order, with id, detailType and file first', async () => {
    const { status, stdout, stderr } = await run(['--json', 'a.json', 'b.jsonl'], {
      'a.json': JSON.stringify(OOM, null, 2),
      'b.jsonl': `${JSON.stringify(STEADY)}\n${JSON.stringify(PLACEMENT)}\n`,
    });
    expect(status).toBe(0);
    expect(stderr).toBe('');
    const lines = jsonLines(stdout);
    expect(lines.map((line) => [line.file, line.category, line.severity])).toEqual([
      ['a.json', 'oom', 'warning'],
      ['b.jsonl', 'service_steady_state', 'info'],
      ['b.jsonl', 'placement_failure_insufficient_resources', 'critical'],
    ]);
    expect(Object.keys(lines[0]!).slice(0, 4)).toEqual(['id', 'detailType', 'file', 'category']);
    expect(lines[0]).toMatchObject({ id: '3317b2af-7005-947d-b652-f55e762e571a', detailType: 'ECS Task State Change', service: 'api', cluster: 'prod', patternId: 60 });
  });

  it('prints an error line in place of an unreadable input, goes on, and exits with status 2', async () => {
    const { status, stdout } = await run(['--json', 'bad.json', 'missing.json', 'good.json'], {
      'bad.json': '{"detail-type": "ECS Task State Change", "detail": {',
      'good.json': JSON.stringify(PLACEMENT),
    });
    expect(status).toBe(2);
    expect(jsonLines(stdout)).toEqual([
      { error: 'line 1: the JSON value starting here is not closed before the end of the input', file: 'bad.json' },
      { error: 'no such file or folder', file: 'missing.json' },
      expect.objectContaining({ file: 'good.json', category: 'placement_failure_insufficient_resources' }),
    ]);
  });

  it('names the missing field of an event that cannot be classified', async () => {
    const { status, stdout } = await run(['--json', '-'], {}, { stdin: '{"id": "x", "detail": {}}\n' });
    expect(status).toBe(2);
    expect(jsonLines(stdout)).toEqual([{ error: 'stdin:1: field "detail-type" is missing', file: 'stdin' }]);
  });
});

describe('runReplay for people', () => {
  it('shows a block for each alerting event and none for info events, then the summary', async () => {
    const { status, stdout } = await run([], { 'events.jsonl': [OOM, STEADY, PLACEMENT].map((event) => JSON.stringify(event)).join('\n') });
    expect(status).toBe(0);
    const blocks = stdout.split('\n\n');
    expect(blocks[0]).toMatch(/^WARNING {2}oom {2}2025-03-14T09:26:53Z\n {2}cluster prod · service api · deployment ecs-svc\/9223370526127282714 · task 0a1b2c3d4e5f60718293a4b5c6d7e8f9 · 111122223333 us-west-2\n/);
    expect(blocks[0]).toContain('  Why        The container used more memory than its hard limit and the kernel killed it (OutOfMemoryError) (container "web").');
    expect(blocks[0]).toContain('  Container  web: exit 137 — Killed for using more memory than its limit (OutOfMemoryError); reason: OutOfMemoryError: Container killed due to memory usage');
    expect(blocks[0]).toContain('  Source     events.jsonl:1');
    expect(blocks[1]).toMatch(/^CRITICAL {2}placement_failure_insufficient_resources {2}/);
    expect(stdout).not.toMatch(/^INFO/m);
    expect(blocks[2]).toBe('Replayed 3 events from 1 file: 2 alerts (1 critical, 1 warning), 1 info, 0 errors.');
    expect(blocks[3]).toBe(
      [
        'category                                   critical  warning     info',
        'oom                                               0        1        0',
        'service_steady_state                              0        0        1',
        'placement_failure_insufficient_resources          1        0        0',
        'total                                             1        1        1',
        '',
      ].join('\n'),
    );
  });

  it('shows info events too with --all', async () => {
    const { stdout } = await run(['--all', 'e.json'], { 'e.json': JSON.stringify(STEADY) });
    expect(stdout).toMatch(/^INFO {2}service_steady_state {2}/);
  });

  it('writes errors to standard error and counts them in the summary', async () => {
    const { status, stdout, stderr } = await run(['e.jsonl'], { 'e.jsonl': `not json\n${JSON.stringify(OOM)}` });
    expect(status).toBe(2);
    expect(stderr).toMatch(/^ERROR {2}e\.jsonl: line 1: not valid JSON \(/);
    expect(stdout).toContain('Replayed 1 event from 1 file: 1 alert (0 critical, 1 warning), 0 info, 1 error.');
  });

  it('colours severities on a terminal and never lets event text carry escape sequences through', async () => {
    const hostile = taskEvent({ stopCode: 'EssentialContainerExited', stoppedReason: 'Essential container in task exited\u001b]0;pwned\u0007' });
    const { stdout } = await run(['e.json'], { 'e.json': JSON.stringify(hostile) }, { tty: true });
    expect(stdout).toContain('\u001b[1;33mWARNING\u001b[0m');
    expect(stdout).toContain('Essential container in task exited\\u001b]0;pwned\\u0007');
    expect(stdout).not.toContain('\u001b]0;');
  });

  it('does not colour on a terminal when NO_COLOR is set', async () => {
    const { stdout } = await run(['e.json'], { 'e.json': JSON.stringify(OOM) }, { tty: true, env: { NO_COLOR: '1' } });
    expect(stdout).not.toContain('\u001b[');
  });

  it('says so when there is nothing to replay', async () => {
    const { status, stdout } = await run([]);
    expect(status).toBe(0);
    expect(stdout).toBe('Replayed 0 events from 0 files: 0 alerts (0 critical, 0 warning), 0 info, 0 errors.\n');
  });
});

describe('runReplay arguments', () => {
  it('prints the usage with --help', async () => {
    const { status, stdout } = await run(['--help']);
    expect(status).toBe(0);
    expect(stdout).toBe(`${USAGE}\n`);
  });

  it('rejects an unknown option with the usage and status 2', async () => {
    const { status, stdout, stderr } = await run(['--jsno']);
    expect(status).toBe(2);
    expect(stdout).toBe('');
    expect(stderr).toContain("Unknown option '--jsno'");
    expect(stderr).toContain(USAGE);
  });
});
