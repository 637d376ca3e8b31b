import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { evaluate } from '../../lib/pipeline.ts';
import { fixturePaths, loadFixture } from '../support/fixtures.ts';
import { serviceActionEvent, taskEvent } from '../support/events.ts';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const TIMEOUT = 60_000;

interface Result {
  status: number | null;
  stdout: string;
  stderr: string;
}

/** Runs `npm run replay -- ARGS` as a user would, from `cwd`, with colour off as in any pipe. */
function replayCommand(args: string[], options: { cwd?: string; input?: string } = {}): Result {
  const result = spawnSync('npm', ['run', '--silent', '--prefix', ROOT, 'replay', '--', ...args], {
    cwd: options.cwd ?? ROOT,
    input: options.input ?? '',
    encoding: 'utf8',
    env: { ...process.env, NO_COLOR: '1', FORCE_COLOR: undefined },
    timeout: TIMEOUT,
  });
  return { status: result.status, stdout: result.stdout, stderr: result.stderr };
}

function tempFolder(files: Record<string, string>): string {
  const dir = mkdtempSync(join(tmpdir(), 'replay-cli-'));
  for (const [name, content] of Object.entries(files)) writeFileSync(join(dir, name), content);
  return dir;
}

const OOM = taskEvent({ stopCode: 'EssentialContainerExited', stoppedReason: 'Essential container in task exited' }, [
  { name: 'web', exitCode: 137, reason: 'OutOfMemoryError: Container killed due to memory usage' },
]);

describe('npm run replay', { timeout: TIMEOUT }, () => {
  it('replays every recorded event under events/ with no arguments and shows each one that alerts', () => {
    const verdicts = fixturePaths().map((path) => evaluate(loadFixture(path), path).verdict);
    const alerting = verdicts.filter((verdict) => verdict.alert);
    const { status, stdout, stderr } = replayCommand([]);
    expect(stderr).not.toMatch(/ERROR/);
    expect(status).toBe(0);
    expect(stdout.match(/^(CRITICAL|WARNING) {2}/gm)).toHaveLength(alerting.length);
    const critical = alerting.filter((verdict) => verdict.severity === 'critical').length;
    expect(stdout).toContain(
      `Replayed ${verdicts.length} events from ${verdicts.length} files: ${alerting.length} alerts (${critical} critical, ${alerting.length - critical} warning), ${verdicts.length - alerting.length} info, 0 errors.`,
    );
  });

  it('shows the output the README promises: its example blocks and summary line appear verbatim', () => {
    const readme = readFileSync(join(ROOT, 'README.md'), 'utf8');
    const section = readme.slice(readme.indexOf('## What the replay shows'), readme.indexOf('## Replaying your own events'));
    const example = /```text\n([\s\S]*?)```/.exec(section)?.[1] ?? '';
    const blocks = example.split('\n\n').filter((block) => /^(CRITICAL|WARNING|Replayed)/.test(block));
    expect(blocks.length).toBeGreaterThanOrEqual(4);
    const { stdout } = replayCommand([]);
    for (const block of blocks) expect(stdout).toContain(block);
  });

  it('prints with --json exactly the verdict the pipeline gives for each recorded event, in order', () => {
    const { status, stdout } = replayCommand(['--json', 'events/']);
    expect(status).toBe(0);
    const lines = stdout.trim().split('\n').map((line) => JSON.parse(line) as Record<string, unknown>);
    const expected = fixturePaths().map((path) => {
      const { envelope, verdict } = evaluate(loadFixture(path), `events/${path}:1`);
      return { id: envelope.id, detailType: envelope.detailType, file: `events/${path}`, ...verdict };
    });
    expect(lines).toEqual(expected);
  });

  it('prints the verdict contract for one event file named relative to where the command is typed', () => {
    const dir = tempFolder({ 'some-event.json': JSON.stringify(OOM, null, 2) });
    const { status, stdout } = replayCommand(['--json', 'some-event.json'], { cwd: dir });
    expect(status).toBe(0);
    const line = JSON.parse(stdout) as Record<string, unknown>;
    expect(Object.keys(line)).toEqual([
      'id', 'detailType', 'file', 'category', 'severity', 'alert', 'spot', 'deploymentId', 'account', 'region', 'cluster', 'service',
      'taskArn', 'containerInstanceArn', 'ec2InstanceId', 'cause', 'remedy', 'docsUrl', 'containers', 'time', 'status', 'stopCode',
      'reason', 'taskDefinitionArn', 'group', 'patternId', 'warnings',
    ]);
    expect(line).toMatchObject({ file: 'some-event.json', category: 'oom', severity: 'warning', alert: true, containers: [expect.objectContaining({ name: 'web', exitCode: 137 })] });
  });

  it('gives a clear error line for a malformed file, replays the rest, and exits with status 2', () => {
    const dir = tempFolder({ 'a-broken.json': '{"detail-type": "ECS Task State Change",\n  "detail": }\n', 'b-good.json': JSON.stringify(OOM) });
    const { status, stdout } = replayCommand(['--json', dir]);
    expect(status).toBe(2);
    const lines = stdout.trim().split('\n').map((line) => JSON.parse(line) as Record<string, unknown>);
    expect(lines).toHaveLength(2);
    expect(lines[0]).toEqual({ error: expect.stringMatching(/^line 1: not valid JSON \(/), file: join(dir, 'a-broken.json') });
    expect(lines[1]).toMatchObject({ file: join(dir, 'b-good.json'), category: 'oom' });
  });

  it('reads newline-delimited events from standard input with -', () => {
    const input = [OOM, serviceActionEvent({ reason: 'RESOURCE:MEMORY' })].map((event) => JSON.stringify(event)).join('\n');
    const { status, stdout } = replayCommand(['-'], { input });
    expect(status).toBe(0);
    expect(stdout).toMatch(/^WARNING {2}oom {2}/m);
    expect(stdout).toMatch(/^CRITICAL {2}placement_failure_insufficient_resources {2}/m);
    expect(stdout).toContain('  Source     stdin:2');
  });
});
