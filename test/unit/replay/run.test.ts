import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough, Readable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { runReplay, USAGE } from '../../../lib/replay/run.ts';
import { serviceActionEvent, taskEvent } from '../../support/events.ts';
import { EVENTS_DIR } from '../../support/fixtures.ts';

// Events of one service, a minute apart, each with its own id (the builders share one).
const OOM = {
  ...taskEvent({ stopCode: 'EssentialContainerExited', stoppedReason: 'Essential container in task exited' }, [
    { name: 'web', exitCode: 137, reason: 'OutOfMemoryError: Container killed due to memory usage' },
  ]),
  id: 'e-oom',
};
const PLACEMENT = { ...serviceActionEvent({ reason: 'RESOURCE:CPU' }), id: 'e-placement', time: '2025-03-14T09:27:30Z' };
const STEADY = { ...serviceActionEvent({ eventType: 'INFO', eventName: 'SERVICE_STEADY_STATE' }), id: 'e-steady', time: '2025-03-14T09:40:00Z' };
const SCALE_IN = {
  ...taskEvent(
    {
      stopCode: 'ServiceSchedulerInitiated',
      stoppedReason: 'Scaling activity initiated by (deployment ecs-svc/1)',
      taskArn: 'arn:aws:ecs:us-west-2:111122223333:task/prod/5ca1e1e5ca1e1e5ca1e1e5ca1e1e5ca1',
    },
    [{ name: 'web', exitCode: 143 }],
  ),
  id: 'e-scale-in',
};

interface Run {
  status: number;
  stdout: string;
  stderr: string;
  cwd: string;
}

function collect(stream: PassThrough): () => string {
  const chunks: string[] = [];
  stream.on('data', (chunk: Buffer) => chunks.push(chunk.toString('utf8')));
  return () => chunks.join('');
}

async function run(args: string[], files: Record<string, string> = {}, options: { stdin?: string; env?: NodeJS.ProcessEnv; tty?: boolean; apiDir?: string } = {}): Promise<Run> {
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
    apiDir: options.apiDir ?? join(cwd, 'api'),
  });
  return { status, stdout: out(), stderr: err(), cwd };
}

/** The time the envelope helper gives the sample events. */
const OOM_TIME = (taskEvent({}) as { time: string }).time;

function jsonLines(text: string): Record<string, unknown>[] {
  return text
    .trim()
    .split('\n')
    .map((line) => JSON.parse(line) as Record<string, unknown>);
}

describe('runReplay --json', () => {
  it('prints one verdict per event in input order, with id, detailType, file, alert key and outcome first', async () => {
    const { status, stdout, stderr } = await run(['--json', 'a.json', 'b.jsonl'], {
      'a.json': JSON.stringify(OOM, null, 2),
      'b.jsonl': `${JSON.stringify(PLACEMENT)}\n${JSON.stringify(OOM)}\n${JSON.stringify(STEADY)}\n${JSON.stringify(SCALE_IN)}\n`,
    });
    expect(status).toBe(0);
    expect(stderr).toBe('');
    const lines = jsonLines(stdout);
    expect(lines.map((line) => [line.file, line.category, line.severity, line.outcome, line.suppressedBecause])).toEqual([
      ['a.json', 'oom', 'warning', 'alert', undefined],
      ['b.jsonl', 'placement_failure_insufficient_resources', 'critical', 'alert', undefined],
      ['b.jsonl', 'oom', 'warning', 'suppressed', 'duplicate'],
      ['b.jsonl', 'service_steady_state', 'info', 'resolved', undefined],
      ['b.jsonl', 'service_scale_in', 'info', 'suppressed', 'info'],
    ]);
    expect(Object.keys(lines[0]!).slice(0, 7)).toEqual(['id', 'detailType', 'file', 'alertKey', 'outcome', 'messages', 'category']);
    expect(lines[0]).toMatchObject({ id: 'e-oom', detailType: 'ECS Task State Change', alertKey: '111122223333|us-west-2|prod|service:api|oom', service: 'api', patternId: 60 });
  });

  it('names the messages each event caused, the due ones that went out before it, and what the end of the input sent', async () => {
    const second = {
      ...taskEvent({ stopCode: 'EssentialContainerExited', stoppedReason: 'Essential container in task exited', taskArn: 'arn:aws:ecs:us-west-2:111122223333:task/prod/1a1b2c3d4e5f60718293a4b5c6d7e8f9' }, [
        { name: 'web', exitCode: 137, reason: 'OutOfMemoryError: Container killed due to memory usage' },
      ]),
      id: 'e-oom-2',
      time: '2025-03-14T09:28:00Z',
    };
    const later = { ...PLACEMENT, id: 'e-later', time: '2025-03-14T09:45:00Z' };
    const again = { ...PLACEMENT, id: 'e-later-2', time: '2025-03-14T09:46:00Z' };
    const { stdout } = await run(['--json', 'a.jsonl'], { 'a.jsonl': [OOM, second, later, again].map((event) => JSON.stringify(event)).join('\n') });
    const lines = jsonLines(stdout);
    const kinds = (messages: unknown): unknown => (messages as { kind: string; title: string }[] | undefined)?.map((message) => [message.kind, message.title]);
    expect(lines.map((line) => [line.outcome ?? (line.endOfInput === true ? 'end' : null), kinds(line.messages), kinds(line.due)])).toEqual([
      ['alert', [['new', 'Out of memory – service api (prod)']], undefined],
      ['grouped', [], undefined],
      ['alert', [['new', expect.stringMatching(/^Cannot place task/)]], [['follow-up', 'Out of memory – service api (prod): 1 more task in 5 min']]],
      ['grouped', [], undefined],
      ['end', [['follow-up', expect.stringMatching(/^Cannot place task.*: 1 more event in 5 min$/)]], undefined],
    ]);
    expect((lines[0]!.messages as Record<string, unknown>[])[0]).toMatchObject({ kind: 'new', key: '111122223333|us-west-2|prod|service:api|oom', status: 'firing', severity: 'warning', time: OOM_TIME });
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
  it('shows each message that would go out, a resolved notice when the service recovers, then the summary', async () => {
    const { status, stdout } = await run([], { 'events.jsonl': [OOM, PLACEMENT, OOM, SCALE_IN, STEADY].map((event) => JSON.stringify(event)).join('\n') });
    expect(status).toBe(0);
    const blocks = stdout.split('\n\n');
    expect(blocks.map((block) => block.split('\n')[0])).toEqual([
      'WARNING  Out of memory – service api (prod)',
      'CRITICAL  Cannot place task: not enough CPU, memory, ports or ENIs – service api (prod)',
      'RESOLVED  Resolved: Out of memory – service api (prod)',
      'RESOLVED  Resolved: Cannot place task: not enough CPU, memory, ports or ENIs – service api (prod)',
      expect.stringMatching(/^Replayed 5 events/),
      expect.stringMatching(/^category/),
      expect.stringMatching(/^service {3}events/),
    ]);
    expect(blocks[0]).toBe(
      [
        'WARNING  Out of memory – service api (prod)',
        '  new alert · 2025-03-14T09:26:53Z · not enriched · 111122223333|us-west-2|prod|service:api|oom',
        '  Task 0a1b2c3d of service api (prod) stopped (EssentialContainerExited): OutOfMemoryError in container web.',
        '  Why        Container "web": The container used more memory than its hard limit and the kernel killed it (OutOfMemoryError).',
        '  Do         Raise the container or task memory, or find the leak; size JVM or Node heaps below the limit.',
        '  Reason     Essential container in task exited',
        '  Container  web: exit 137 — Killed for using more memory than its limit (OutOfMemoryError); reason: OutOfMemoryError: Container killed due to memory usage',
        '  Task def   api:42',
        '  Service    https://us-west-2.console.aws.amazon.com/ecs/v2/clusters/prod/services/api/health?region=us-west-2',
        '  Task       https://us-west-2.console.aws.amazon.com/ecs/v2/clusters/prod/tasks/0a1b2c3d4e5f60718293a4b5c6d7e8f9/configuration?region=us-west-2',
        '  Docs       https://docs.aws.amazon.com/AmazonECS/latest/developerguide/out-of-memory.html',
        '  Source     events.jsonl:1',
      ].join('\n'),
    );
    expect(blocks[2]).toContain('  Service api reached steady state at 2025-03-14T09:40:00Z. Out of memory for service api (prod), firing since 2025-03-14T09:26:53Z, is over (1 event in all).');
    expect(blocks[4]).toBe(
      [
        'Replayed 5 events from 1 file: 1 critical, 2 warning, 2 info, 0 errors.',
        'Sent 4 messages (2 critical, 2 warning, 0 info): 2 new alerts, 0 follow-ups, 0 repeats, 2 resolved, 0 deployment notices. Events 0 grouped, 1 resolving, suppressed: 1 duplicate, 0 stale, 1 info, 0 repeat-interval, 0 late.',
      ].join('\n'),
    );
    expect(blocks[5]).toBe(
      [
        'category                                   critical  warning     info',
        'oom                                               0        2        0',
        'service_scale_in                                  0        0        1',
        'service_steady_state                              0        0        1',
        'placement_failure_insufficient_resources          1        0        0',
        'total                                             1        2        2',
      ].join('\n'),
    );
  });

  it('groups a burst of failures of one service into one alert and one follow-up', async () => {
    const burst = [0, 1, 2, 3].map((minute) => ({
      ...taskEvent({ stopCode: 'EssentialContainerExited', taskArn: `arn:aws:ecs:us-west-2:111122223333:task/prod/${minute}bcdef0123456789abcdef012345678` }, [
        { name: 'web', exitCode: 137, reason: 'OutOfMemoryError: Container killed due to memory usage' },
      ]),
      id: `burst-${minute}`,
      time: `2025-03-14T09:2${minute}:00Z`,
    }));
    const { stdout } = await run(['--window', '10'], { 'burst.jsonl': burst.slice(0, 2).map((event) => JSON.stringify(event)).join('\n') });
    expect(stdout.match(/^(WARNING|CRITICAL|RESOLVED) .*/gm)).toEqual(['WARNING  Out of memory – service api (prod)', 'WARNING  Out of memory – service api (prod): 1 more task in 10 min']);
    expect(stdout).toContain('  1 more task of service api (prod) stopped within 10 minutes of the first alert: OutOfMemoryError in container web.');
    expect(stdout).toContain('  Tasks      1bcdef01');
  });

  it('calls a burst of three or more failures of one service a crash loop, critical, instead of more warnings', async () => {
    const burst = [0, 1, 2, 3].map((minute) => ({
      ...taskEvent({ stopCode: 'EssentialContainerExited', taskArn: `arn:aws:ecs:us-west-2:111122223333:task/prod/${minute}bcdef0123456789abcdef012345678` }, [
        { name: 'web', exitCode: 137, reason: 'OutOfMemoryError: Container killed due to memory usage' },
      ]),
      id: `burst-${minute}`,
      time: `2025-03-14T09:2${minute}:00Z`,
    }));
    const { stdout } = await run([], { 'burst.jsonl': burst.map((event) => JSON.stringify(event)).join('\n') });
    expect(stdout.match(/^(WARNING|CRITICAL|RESOLVED) .*/gm)).toEqual([
      'WARNING  Out of memory – service api (prod)',
      'CRITICAL  Crash loop – service api (prod): 3 tasks stopped in 10 min',
      'CRITICAL  Crash loop – service api (prod): 1 more task in 5 min',
    ]);
  });

  it('shows every event’s verdict too with --all, info events included', async () => {
    const { stdout } = await run(['--all', 'e.json'], { 'e.json': JSON.stringify(STEADY) });
    expect(stdout).toMatch(/^INFO {2}service_steady_state {2}/);
  });

  it('writes each message as its SNS publish request to the --out file', async () => {
    const { status, cwd } = await run(['--out', 'published.jsonl', '--topic-arn', 'arn:aws:sns:us-west-2:111122223333:ecs-alerts', 'e.jsonl'], {
      'e.jsonl': [OOM, STEADY].map((event) => JSON.stringify(event)).join('\n'),
    });
    expect(status).toBe(0);
    const published = jsonLines(readFileSync(join(cwd, 'published.jsonl'), 'utf8'));
    expect(published.map((request) => [request.TopicArn, request.MessageStructure, request.Subject])).toEqual([
      ['arn:aws:sns:us-west-2:111122223333:ecs-alerts', 'json', expect.stringContaining('Out of memory')],
      ['arn:aws:sns:us-west-2:111122223333:ecs-alerts', 'json', expect.stringContaining('RESOLVED')],
    ]);
    expect(published[1]!.MessageAttributes).toMatchObject({ status: { DataType: 'String', StringValue: 'resolved' }, severity: { DataType: 'String', StringValue: 'warning' } });
  });

  it('rejects --publish without a topic, and a bad --window', async () => {
    expect((await run(['--publish'])).stderr).toContain('--publish needs a topic: --topic-arn ARN or ALERT_TOPIC_ARN');
    const bad = await run(['--window', 'soon']);
    expect(bad.status).toBe(2);
    expect(bad.stderr).toContain('--window must be a positive number, got "soon"');
  });

  it('writes errors to standard error and counts them in the summary', async () => {
    const { status, stdout, stderr } = await run(['e.jsonl'], { 'e.jsonl': `not json\n${JSON.stringify(OOM)}` });
    expect(status).toBe(2);
    expect(stderr).toMatch(/^ERROR {2}e\.jsonl: line 1: not valid JSON \(/);
    expect(stdout).toContain('Replayed 1 event from 1 file: 0 critical, 1 warning, 0 info, 1 error.');
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
    expect(stdout).toBe(
      'Replayed 0 events from 0 files: 0 critical, 0 warning, 0 info, 0 errors.\nSent 0 messages (0 critical, 0 warning, 0 info): 0 new alerts, 0 follow-ups, 0 repeats, 0 resolved, 0 deployment notices. Events 0 grouped, 0 resolving, suppressed: 0 duplicate, 0 stale, 0 info, 0 repeat-interval, 0 late.\n',
    );
  });
});

describe('runReplay with recorded ECS API responses', () => {
  const API_DIR = join(EVENTS_DIR, 'api');
  const MEMBER_EVENT = join(EVENTS_DIR, 'task/spot-warning-member-account.json');

  it("enriches a member account's alert from that account's recordings", async () => {
    const { status, stdout } = await run([MEMBER_EVENT], {}, { apiDir: API_DIR });

    expect(status).toBe(0);
    const [alert] = stdout.split('\n\n');
    expect(alert?.split('\n').slice(0, 3)).toEqual([
      'WARNING  Spot interruption warning – service thumbnailer (prod)',
      '  new alert · 2025-03-14T11:05:00Z · spot · 222222222222|us-west-2|prod|service:thumbnailer|spot_interruption_warning',
      '  Fargate Spot is taking back task 4b7e2f9c of service thumbnailer (prod): it got SIGTERM and stops in about two minutes. 3 of 4 tasks running. First Spot interruption of this service in 24 hours.',
    ]);
    expect(alert).toContain('  Task def   thumbnailer:7\n');
  });

  it("never answers a member account's event from the monitoring account's recording of a same-named service", async () => {
    const { stdout } = await run([join(EVENTS_DIR, 'task/spot-warning-running.json'), MEMBER_EVENT], {}, { apiDir: API_DIR });
    const summaries = stdout.split('\n').filter((line) => line.includes('Fargate Spot is taking back task'));
    expect(summaries.map((line) => /task (\w+) of .*?(\d of \d) tasks running/.exec(line)?.slice(1))).toEqual([
      ['66890732', '2 of 3'],
      ['4b7e2f9c', '3 of 4'],
    ]);
  });

  it('marks the same event not enriched when nothing of its account is recorded', async () => {
    const { stdout } = await run([MEMBER_EVENT]);
    expect(stdout.split('\n')[1]).toBe('  new alert · 2025-03-14T11:05:00Z · spot · not enriched · 222222222222|us-west-2|prod|service:thumbnailer|spot_interruption_warning');
    expect(stdout).not.toContain('tasks running');
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

describe('runReplay per service', () => {
  it('ends the output with a table of the services after the summary', async () => {
    const { stdout } = await run([], { 'events.jsonl': [OOM, PLACEMENT, OOM, SCALE_IN, STEADY].map((event) => JSON.stringify(event)).join('\n') });
    expect(stdout.split('\n\n').at(-1)).toBe(
      [
        'service   events              deployments  failures  spot  crash loops  messages',
        'prod/api  5 (1 crit, 2 warn)  -            oom×1     -     -            4 (2 new, 2 resolved)',
        '',
      ].join('\n'),
    );
  });

  it('prints no table with --json: standard output stays one line per event', async () => {
    const { stdout } = await run(['--json', 'e.jsonl'], { 'e.jsonl': [OOM, STEADY].map((event) => JSON.stringify(event)).join('\n') });
    expect(jsonLines(stdout)).toHaveLength(2);
  });

  it('writes a self-contained HTML report with --report, event text escaped, and says where', async () => {
    const hostile = { ...taskEvent({ stopCode: 'EssentialContainerExited', stoppedReason: '<script>alert(1)</script><img src=x onerror=alert(1)>' }), id: 'e-hostile' };
    const { status, stdout, stderr, cwd } = await run(['--json', '--report', 'report.html', 'e.jsonl'], { 'e.jsonl': [OOM, hostile, STEADY].map((event) => JSON.stringify(event)).join('\n') });
    expect(status).toBe(0);
    expect(jsonLines(stdout)).toHaveLength(3);
    expect(stderr).toBe('Report written to report.html\n');
    const page = readFileSync(join(cwd, 'report.html'), 'utf8');
    expect(page).toMatch(/^<!doctype html>/);
    expect(page).toContain(`<meta http-equiv="Content-Security-Policy" content="default-src &#39;none&#39;; style-src &#39;unsafe-inline&#39;">`);
    expect(page).toContain('<p>Inputs: <code>e.jsonl</code></p>');
    expect(page).toContain('<a href="#service-1">prod/api</a>');
    expect(page).toContain('&lt;script&gt;alert(1)&lt;/script&gt;&lt;img src=x onerror=alert(1)&gt;');
    expect(page).not.toMatch(/<script|<img/);
  });

  it('exits with status 2 when the report cannot be written', async () => {
    const { status, stderr } = await run(['--report', 'no-such-folder/report.html', 'e.json'], { 'e.json': JSON.stringify(OOM) });
    expect(status).toBe(2);
    expect(stderr).toMatch(/^ERROR {2}no-such-folder\/report\.html: the report could not be written: ENOENT/);
  });
});
