import { describe, expect, it } from 'vitest';
import { StoreError } from '../../../lib/errors.ts';
import { STOPPED_TASK_CATEGORIES } from '../../../lib/history/categories.ts';
import { runHistory, whenOption, type HistoryTarget } from '../../../lib/history/command.ts';
import type { StoppedTaskEntry } from '../../../lib/history/entry.ts';
import type { StoppedTaskQuery } from '../../../lib/history/query.ts';
import { MemoryStore } from '../../../lib/store/memory-store.ts';
import { sampleStoppedTask } from '../../support/store-contract.ts';
import { CapturedOutput } from '../../support/output.ts';

const NOW = new Date('2025-03-14T10:00:00Z');
const KEPT = '2025-03-28T00:00:00Z';

async function storeWith(...entries: StoppedTaskEntry[]): Promise<MemoryStore> {
  const store = new MemoryStore();
  for (const entry of entries) await store.recordStoppedTask(entry, KEPT);
  return store;
}

/** Runs the command against `store`, remembering the target it was pointed at and the queries it made. */
async function run(store: MemoryStore, args: string[], env: Record<string, string> = { ALERT_TABLE_NAME: 'notifier-alerts' }) {
  const stdout = new CapturedOutput();
  const stderr = new CapturedOutput();
  const targets: HistoryTarget[] = [];
  const queries: StoppedTaskQuery[] = [];
  let closed = 0;
  const status = await runHistory(args, {
    stdout,
    stderr,
    env,
    now: () => NOW,
    reader: (target) => {
      targets.push(target);
      return {
        stoppedTasks: (query) => {
          queries.push(query);
          return store.stoppedTasks(query);
        },
        close: () => void (closed += 1),
      };
    },
  });
  return { status, stdout, stderr, targets, queries, closed };
}

const OOM = sampleStoppedTask({ task: '77ea7336e48e3a4e63c55244182d37c0', time: '2025-03-14T09:26:51.000Z' });
const EXIT = sampleStoppedTask({
  task: '668907325845bef3136ec2da66db18c7',
  time: '2025-03-14T08:10:02.000Z',
  category: 'app_error_exit',
  containers: [{ name: 'web', exitCode: 1, reason: null }],
  reason: 'Essential container in task exited',
});
const JOB = sampleStoppedTask({
  task: 'c28faa8c11aa4bd2a1c6f2a4b1d6e0f1',
  time: '2025-03-14T07:00:00.000Z',
  service: null,
  group: 'family:nightly-report',
  category: 'task_completed',
  severity: 'info',
  containers: [{ name: 'report', exitCode: 0, reason: null }],
  reason: null,
  stopCode: 'EssentialContainerExited',
});
const OLD = sampleStoppedTask({ task: 'aaaa', time: '2025-03-12T09:00:00.000Z' });

describe('runHistory', () => {
  it("prints a cluster's stopped tasks of the last 24 hours as a table, newest first", async () => {
    const { status, stdout, stderr, targets, closed } = await run(await storeWith(JOB, OOM, EXIT, OLD), ['--cluster', 'prod']);

    expect(status).toBe(0);
    expect(stderr.text).toBe('');
    expect(stdout.lines()).toEqual([
      '3 stopped tasks of cluster prod from 2025-03-13 10:00:00 to 2025-03-14 10:00:00 UTC, newest first:',
      'TIME (UTC)           SERVICE                TASK                              CATEGORY        EXIT CODES  REASON',
      '2025-03-14 09:26:51  orders-api             77ea7336e48e3a4e63c55244182d37c0  oom             web=137     Essential container in task exited · web: OutOfMemoryError: Container killed due to memory usage',
      '2025-03-14 08:10:02  orders-api             668907325845bef3136ec2da66db18c7  app_error_exit  web=1       Essential container in task exited',
      '2025-03-14 07:00:00  family:nightly-report  c28faa8c11aa4bd2a1c6f2a4b1d6e0f1  task_completed  report=0    EssentialContainerExited',
    ]);
    expect(targets).toEqual([{ tableName: 'notifier-alerts', region: null, endpoint: null }]);
    expect(closed).toBe(1);
  });

  it('passes the service, category, window, limit, table, Region and endpoint on', async () => {
    const { status, queries, targets } = await run(await storeWith(OOM), [
      '--cluster', 'prod', '--service', 'orders-api', '--category', 'oom', '--since', '7d', '--until', '2025-03-14T09:00', '--limit', '5', '--table', 'other-table', '--region', 'eu-west-1', '--endpoint', 'http://127.0.0.1:4566',
    ]);

    expect(status).toBe(0);
    // One more than the limit, to tell whether there are more.
    expect(queries).toEqual([{ cluster: 'prod', service: 'orders-api', category: 'oom', since: '2025-03-07T10:00:00.000Z', until: '2025-03-14T09:00:00.000Z', limit: 6, now: '2025-03-14T10:00:00.000Z' }]);
    expect(targets).toEqual([{ tableName: 'other-table', region: 'eu-west-1', endpoint: 'http://127.0.0.1:4566' }]);
  });

  it('narrows to the account and Region of a cluster ARN', async () => {
    const elsewhere = sampleStoppedTask({ task: 'bbbb', account: '444455556666', time: '2025-03-14T09:30:00.000Z' });
    const { stdout, queries } = await run(await storeWith(OOM, elsewhere), ['--cluster', 'arn:aws:ecs:us-west-2:111122223333:cluster/prod']);

    expect(queries[0]).toMatchObject({ cluster: 'prod', account: '111122223333', region: 'us-west-2' });
    expect(stdout.text).toContain('1 stopped task of cluster prod, account 111122223333, Region us-west-2 from');
    expect(stdout.text).not.toContain('bbbb');
  });

  it('adds an account and Region column when the tasks come from more than one', async () => {
    const elsewhere = sampleStoppedTask({ task: 'bbbb', account: '444455556666', region: 'eu-west-1', time: '2025-03-14T09:30:00.000Z' });
    const { stdout } = await run(await storeWith(OOM, elsewhere), ['--cluster', 'prod']);

    expect(stdout.lines().slice(1, 4)).toEqual([
      'TIME (UTC)           ACCOUNT / REGION          SERVICE     TASK                              CATEGORY  EXIT CODES  REASON',
      '2025-03-14 09:30:00  444455556666 / eu-west-1  orders-api  bbbb                              oom       web=137     Essential container in task exited · web: OutOfMemoryError: Container killed due to memory usage',
      '2025-03-14 09:26:51  111122223333 / us-west-2  orders-api  77ea7336e48e3a4e63c55244182d37c0  oom       web=137     Essential container in task exited · web: OutOfMemoryError: Container killed due to memory usage',
    ]);
  });

  it('prints one JSON object per task and line with --json, every field included', async () => {
    const { status, stdout } = await run(await storeWith(JOB, OOM), ['--cluster', 'prod', '--json']);

    expect(status).toBe(0);
    expect(stdout.lines().map((line) => JSON.parse(line) as unknown)).toEqual([OOM, JOB]);
  });

  it('says when more tasks matched than --limit shows', async () => {
    const { stdout } = await run(await storeWith(JOB, OOM, EXIT), ['--cluster', 'prod', '--limit', '2']);
    const json = await run(await storeWith(JOB, OOM, EXIT), ['--cluster', 'prod', '--limit', '2', '--json']);

    expect(stdout.lines()[0]).toBe('The newest 2 stopped tasks of cluster prod from 2025-03-13 10:00:00 to 2025-03-14 10:00:00 UTC, newest first:');
    expect(stdout.lines()).toHaveLength(5);
    expect(stdout.lines()[4]).toBe('More tasks matched: --limit 4 shows more, --since narrows the window.');
    expect(json.stdout.lines()).toHaveLength(2);
    expect(json.stderr.text).toBe('only the newest 2 shown; --limit shows more\n');
  });

  it('says so when the window holds no stopped task, and succeeds', async () => {
    const { status, stdout } = await run(await storeWith(OLD), ['--cluster', 'prod', '--service', 'orders-api']);

    expect(status).toBe(0);
    expect(stdout.lines()[0]).toBe('No stopped tasks of cluster prod, service orders-api from 2025-03-13 10:00:00 to 2025-03-14 10:00:00 UTC.');
  });

  it('makes text from events inert in the table and escapes what a terminal could act on in JSON', async () => {
    const hostile = sampleStoppedTask({
      reason: 'boom\u001b[2J\nnext line\u009b31m \u202eevil',
      containers: [{ name: 'web\u001b]0;title\u0007', exitCode: 1, reason: 'a\u2028b' }],
      group: 'service:x',
      service: 'x\u001b[1m',
    });
    const table = await run(await storeWith(hostile), ['--cluster', 'prod']);
    const json = await run(await storeWith(hostile), ['--cluster', 'prod', '--json']);

    // eslint-disable-next-line no-control-regex -- no control character may reach the terminal
    expect(table.stdout.text).not.toMatch(/[\u0000-\u0009\u000b-\u001f\u007f-\u009f\u2028\u202e]/u);
    expect(table.stdout.text).toContain('boom\\u001b[2J next line\\u009b31m \\u202eevil');
    // eslint-disable-next-line no-control-regex -- nor through JSON, whose escapes keep the value
    expect(json.stdout.text).not.toMatch(/[\u0000-\u0009\u000b-\u001f\u007f-\u009f\u2028\u202e]/u);
    expect(JSON.parse(json.stdout.text)).toEqual(hostile);
  });

  it('refuses an unknown category, listing the categories of stopped tasks', async () => {
    const { status, stderr, targets } = await run(await storeWith(OOM), ['--cluster', 'prod', '--category', 'out_of_memory']);

    expect(status).toBe(2);
    expect(stderr.text).toContain(`--category "out_of_memory" is not a category of stopped tasks; these are: ${[...STOPPED_TASK_CATEGORIES].sort().join(', ')}\n`);
    expect(stderr.text).toContain('oom, resource_init_failure');
    expect(stderr.text).toContain('Usage: npm run history');
    expect(targets).toEqual([]);
  });

  it.each([
    [['--service', 'x'], '--cluster is required: the name or ARN of the cluster'],
    [['--cluster', 'prod', '--since', 'yesterday'], '--since must be a time back from now (30m, 24h, 7d, 2w) or an ISO 8601 date or time (2025-03-14, 2025-03-14T09:00Z), got "yesterday"'],
    [['--cluster', 'prod', '--since', '7'], '--since must be a time back from now'],
    [['--cluster', 'prod', '--until', '2025-13-45'], '--until must be a time back from now'],
    [['--cluster', 'prod', '--since', '1h', '--until', '2h'], '--until (2025-03-14T08:00:00.000Z) must be after --since (2025-03-14T09:00:00.000Z)'],
    [['--cluster', 'prod', '--limit', '0'], '--limit must be a whole number from 1 to 10000, got "0"'],
    [['--cluster', 'prod', '--limit', 'ten'], '--limit must be a whole number from 1 to 10000, got "ten"'],
    [['--cluster', 'prod/x'], '--cluster must be a cluster name (letters, digits, - and _) or ARN, got "prod/x"'],
    [['--cluster', 'arn:aws:ecs:us-west-2:111122223333:service/prod/api'], '--cluster is not a cluster ARN'],
    [['--cluster', 'prod', '--account', '1234'], '--account must be a 12-digit AWS account id, got "1234"'],
    [['--cluster', 'prod', '--region', 'mars'], '--region is not an AWS Region (us-west-2): "mars"'],
    [['--cluster', 'prod', '--endpoint', 'localhost:8000'], '--endpoint must be an http(s) URL'],
    [['--cluster', 'prod', '--table', 'a b'], '--table is not a DynamoDB table name: "a b"'],
    [['--cluster', 'prod', '--wat'], "Unknown option '--wat'"],
    [['--cluster', 'prod', 'extra'], 'unexpected argument "extra"'],
  ])('refuses %j with a clear message and exit status 2', async (args, message) => {
    const { status, stderr, stdout, targets } = await run(await storeWith(OOM), args);

    expect(status).toBe(2);
    expect(stderr.text).toContain(message);
    expect(stdout.text).toBe('');
    expect(targets).toEqual([]);
  });

  it('asks for a table when neither --table nor ALERT_TABLE_NAME names one', async () => {
    const { status, stderr } = await run(await storeWith(OOM), ['--cluster', 'prod'], {});

    expect(status).toBe(2);
    expect(stderr.text).toContain('no table to read: give --table NAME or set ALERT_TABLE_NAME (the stack output AlertTableName names the table)');
  });

  it('prints the usage with --help and reads nothing', async () => {
    const { status, stdout, targets } = await run(await storeWith(OOM), ['--help']);

    expect(status).toBe(0);
    expect(stdout.text).toMatch(/^Usage: npm run history -- --cluster CLUSTER \[options\]/);
    expect(targets).toEqual([]);
  });

  it('reports a store failure with its cause and exit status 2, and still releases the client', async () => {
    const stdout = new CapturedOutput();
    const stderr = new CapturedOutput();
    let closed = false;
    const status = await runHistory(['--cluster', 'prod', '--endpoint', 'https://user:secret@db.example'], {
      stdout,
      stderr,
      env: { ALERT_TABLE_NAME: 'notifier-alerts' },
      now: () => NOW,
      reader: () => ({
        stoppedTasks: () => Promise.reject(new StoreError('DynamoDB Query on table notifier-alerts failed for stopped tasks of cluster prod', { cause: Object.assign(new Error('Requested resource not found'), { name: 'ResourceNotFoundException' }) })),
        close: () => void (closed = true),
      }),
    });

    expect(status).toBe(2);
    expect(stdout.text).toBe('');
    expect(stderr.lines()[0]).toBe('could not read the history of cluster prod from table notifier-alerts: DynamoDB Query on table notifier-alerts failed for stopped tasks of cluster prod (ResourceNotFoundException: Requested resource not found)');
    expect(stderr.text).not.toContain('secret');
    expect(closed).toBe(true);
  });
});

describe('whenOption', () => {
  it('reads durations back from now and ISO dates and times, zone-less times as UTC', () => {
    expect(whenOption('--since', '30m', NOW)).toBe('2025-03-14T09:30:00.000Z');
    expect(whenOption('--since', '24h', NOW)).toBe('2025-03-13T10:00:00.000Z');
    expect(whenOption('--since', '2w', NOW)).toBe('2025-02-28T10:00:00.000Z');
    expect(whenOption('--since', '2025-03-10', NOW)).toBe('2025-03-10T00:00:00.000Z');
    expect(whenOption('--since', '2025-03-10T08:15', NOW)).toBe('2025-03-10T08:15:00.000Z');
    expect(whenOption('--since', '2025-03-10T08:15:00+02:00', NOW)).toBe('2025-03-10T06:15:00.000Z');
    expect(whenOption('--since', '2025-03-10T08:15:00.5Z', NOW)).toBe('2025-03-10T08:15:00.500Z');
  });
});
