import { spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { evaluate } from '../../lib/pipeline/evaluate.ts';
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
  it('replays every recorded event under events/ with no arguments, telling the crash loop as a warning, a crash-loop alert, its follow-up and a resolution', () => {
    const scenarios = readdirSync(join(ROOT, 'events/scenarios')).filter((name) => name.endsWith('.jsonl'));
    const scenarioEvents = scenarios.reduce((sum, name) => sum + readFileSync(join(ROOT, 'events/scenarios', name), 'utf8').trim().split('\n').length, 0);
    const { status, stdout, stderr } = replayCommand([]);
    expect(stderr).not.toMatch(/ERROR/);
    expect(status).toBe(0);
    const summary = /^Replayed (\d+) events from (\d+) files: .*\nSent (\d+) messages \(\d+ critical, \d+ warning, \d+ info\): /m.exec(stdout);
    expect(summary?.slice(1, 3)).toEqual([String(fixturePaths().length + scenarioEvents), String(fixturePaths().length + scenarios.length)]);
    expect(stdout.match(/^(CRITICAL|WARNING|INFO|RESOLVED) {2}/gm)).toHaveLength(Number(summary?.[3]));
    const crashLoop = stdout.split('\n\n').filter((block) => block.includes('2025-06-02') && block.includes('service orders-api'));
    expect(crashLoop.map((block) => block.split('\n')[0])).toEqual([
      'WARNING  Out of memory – service orders-api (prod)',
      'CRITICAL  Crash loop – service orders-api (prod): 3 tasks stopped in 10 min',
      'CRITICAL  Crash loop – service orders-api (prod): 5 more tasks in 5 min',
      'RESOLVED  Resolved: Crash loop – service orders-api (prod)',
    ]);
  });

  it('shows the output the README promises: its example blocks and summary lines appear verbatim', () => {
    const readme = readFileSync(join(ROOT, 'README.md'), 'utf8');
    const section = readme.slice(readme.indexOf('## What the replay shows'), readme.indexOf('## What people receive'));
    const examples = [...section.matchAll(/```text\n([\s\S]*?)```/g)].map((match) => match[1] ?? '');
    const blocks = examples.flatMap((example) => example.trim().split('\n\n'));
    const messages = blocks.filter((block) => /^(CRITICAL|WARNING|RESOLVED) /.test(block));
    const summary = blocks.filter((block) => block.startsWith('Replayed '));
    const table = blocks.filter((block) => block.startsWith('service '));
    expect([messages.length, summary.length, table.length]).toEqual([3, 1, 1]);
    const scenario = replayCommand(['events/scenarios/deployment-rollback.jsonl']).stdout;
    for (const block of messages) expect(scenario).toContain(block);
    expect(replayCommand([]).stdout).toContain(summary[0]);
    expect(replayCommand(['events/scenarios/']).stdout).toContain(table[0]);
  });

  it('publishes the email the README shows, with its subject', () => {
    const readme = readFileSync(join(ROOT, 'README.md'), 'utf8');
    const section = readme.slice(readme.indexOf('## What people receive'), readme.indexOf('### The SNS message'));
    const subject = /\(subject `([^`]+)`\)/.exec(section)?.[1];
    const email = /```text\n([\s\S]*?)```/.exec(section)?.[1];
    const dir = mkdtempSync(join(tmpdir(), 'replay-out-'));
    const { status } = replayCommand(['--out', join(dir, 'published.jsonl'), 'events/scenarios/deployment-rollback.jsonl']);
    expect(status).toBe(0);
    const published = readFileSync(join(dir, 'published.jsonl'), 'utf8')
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line) as { Subject: string; Message: string });
    const shown = published.find((request) => request.Subject === subject);
    expect(shown).toBeDefined();
    expect(`${(JSON.parse(shown!.Message) as { email: string }).email.trimEnd()}\n`).toBe(email);
  });

  it('prints with --json exactly the verdict the pipeline gives for each recorded event, in order, with what alerting did', () => {
    const { status, stdout } = replayCommand(['--json', 'events/']);
    expect(status).toBe(0);
    const all = stdout.trim().split('\n').map((line) => JSON.parse(line) as Record<string, unknown>);
    // The last line tells what the end of the input sent (the follow-ups of windows it closed), not an event.
    expect(all.filter((line) => line.endOfInput === true)).toEqual(all.at(-1)?.endOfInput === true ? [all.at(-1)] : []);
    const lines = all.filter((line) => line.endOfInput !== true);
    const recorded = lines.filter((line) => String(line.file).endsWith('.json'));
    // A task of several containers whose definition is recorded is classified again with its essential flags.
    const apiDir = join(ROOT, 'events/api/describe-task-definition');
    const definitions = new Map(
      readdirSync(apiDir).map((name) => {
        const definition = (JSON.parse(readFileSync(join(apiDir, name), 'utf8')) as { taskDefinition: { taskDefinitionArn: string; containerDefinitions: { name: string; essential?: boolean }[] } }).taskDefinition;
        return [definition.taskDefinitionArn, new Set(definition.containerDefinitions.filter((container) => container.essential !== false).map((container) => container.name))];
      }),
    );
    const expected = fixturePaths().map((path) => {
      const { envelope, verdict, refine } = evaluate(loadFixture(path), `events/${path}:1`);
      const essentialContainers = definitions.get(verdict.taskDefinitionArn ?? '');
      const informed = refine === undefined || essentialContainers === undefined ? verdict : refine({ essentialContainers });
      return { id: envelope.id, detailType: envelope.detailType, file: `events/${path}`, ...informed };
    });
    expect(recorded.map(({ alertKey, outcome, suppressedBecause, messages, due, ...verdict }) => verdict)).toEqual(expected);
    expect(recorded.find((line) => line.file === 'events/task/stopped-oom.json')?.containers).toEqual([expect.objectContaining({ essential: true }), expect.objectContaining({ essential: false })]);
    for (const line of lines) expect(['alert', 'grouped', 'resolved', 'suppressed']).toContain(line.outcome);
    const crashLoop = lines.filter((line) => line.file === 'events/scenarios/oom-crash-loop.jsonl');
    expect(crashLoop.map((line) => line.suppressedBecause ?? line.outcome)).toEqual(['alert', 'grouped', 'alert', 'grouped', 'duplicate', 'grouped', 'grouped', 'grouped', 'grouped', 'resolved']);
  });

  it('prints the verdict contract for one event file named relative to where the command is typed', () => {
    const dir = tempFolder({ 'some-event.json': JSON.stringify(OOM, null, 2) });
    const { status, stdout } = replayCommand(['--json', 'some-event.json'], { cwd: dir });
    expect(status).toBe(0);
    const line = JSON.parse(stdout) as Record<string, unknown>;
    expect(Object.keys(line)).toEqual([
      'id', 'detailType', 'file', 'alertKey', 'outcome', 'messages', 'category', 'severity', 'alert', 'spot', 'deploymentId', 'account', 'region', 'cluster', 'service',
      'taskArn', 'containerInstanceArn', 'ec2InstanceId', 'cause', 'remedy', 'docsUrl', 'containers', 'time', 'status', 'stopCode',
      'reason', 'taskDefinitionArn', 'group', 'startedBy', 'patternId', 'warnings',
    ]);
    expect(line).toMatchObject({
      file: 'some-event.json',
      alertKey: '111122223333|us-west-2|prod|service:api|oom',
      outcome: 'alert',
      category: 'oom',
      severity: 'warning',
      alert: true,
      containers: [expect.objectContaining({ name: 'web', exitCode: 137 })],
    });
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
    const placement = { ...serviceActionEvent({ reason: 'RESOURCE:MEMORY' }), id: 'e-placement' };
    const input = [OOM, placement].map((event) => JSON.stringify(event)).join('\n');
    const { status, stdout } = replayCommand(['-'], { input });
    expect(status).toBe(0);
    expect(stdout).toMatch(/^WARNING {2}Out of memory – service api \(prod\)$/m);
    expect(stdout).toMatch(/^CRITICAL {2}Cannot place task: not enough CPU, memory, ports or ENIs – service api \(prod\)$/m);
    expect(stdout).toContain('  Source     stdin:2');
  });

  it('alerts once when the same events are replayed twice in one run', () => {
    const { status, stdout } = replayCommand(['events/scenarios/oom-crash-loop.jsonl', 'events/scenarios/oom-crash-loop.jsonl']);
    expect(status).toBe(0);
    expect(stdout).toContain('Sent 4 messages (3 critical, 1 warning, 0 info): 2 new alerts, 1 follow-up, 0 repeats, 1 resolved, 0 deployment notices. Events 6 grouped, 1 resolving, suppressed: 11 duplicate');
  });
});
