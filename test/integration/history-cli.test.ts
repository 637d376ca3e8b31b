import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { runHistory } from '../../lib/history/command.ts';
import { recordHistory } from '../../lib/history/record.ts';
import { tableHistoryReader } from '../../lib/history/table-reader.ts';
import { evaluate } from '../../lib/pipeline/evaluate.ts';
import { DynamoDbStore } from '../../lib/store/dynamodb-store.ts';
import { startDynamoDb, type LocalDynamoDb } from '../support/dynalite.ts';
import { fixturePaths, loadFixture } from '../support/fixtures.ts';
import { CapturedOutput } from '../support/output.ts';

// `npm run history` end to end over the wire: every recorded event goes through recordHistory into DynamoDB
// (dynalite), and the command reads it back through its own SDK client, as on a person's machine.

const NOW = new Date('2025-03-15T00:00:00Z');
const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const run = promisify(execFile);
let db: LocalDynamoDb;

beforeAll(async () => {
  db = await startDynamoDb();
  const store = new DynamoDbStore(db.documentClient, db.tableName);
  for (const path of fixturePaths()) await recordHistory(evaluate(loadFixture(path), path).verdict, store, { retentionDays: 14 });
});

afterAll(async () => {
  await db.close();
});

beforeEach(() => {
  vi.stubEnv('AWS_ACCESS_KEY_ID', 'test');
  vi.stubEnv('AWS_SECRET_ACCESS_KEY', 'test');
  vi.stubEnv('AWS_REGION', 'us-east-1');
  vi.stubEnv('AWS_PROFILE', undefined);
  vi.stubEnv('AWS_MAX_ATTEMPTS', '1');
});

async function history(args: string[], env: Record<string, string> = {}) {
  const stdout = new CapturedOutput();
  const stderr = new CapturedOutput();
  const status = await runHistory(args, { stdout, stderr, env, now: () => NOW, reader: tableHistoryReader });
  return { status, stdout, stderr };
}

describe('npm run history against DynamoDB', () => {
  it("lists a service's stopped tasks of the last day, newest first, from the table the events were written to", async () => {
    const { status, stdout, stderr } = await history(['--cluster', 'prod', '--service', 'checkout-api', '--table', db.tableName, '--endpoint', db.endpoint]);

    expect(stderr.text).toBe('');
    expect(status).toBe(0);
    expect(stdout.lines()[0]).toBe('5 stopped tasks of cluster prod, service checkout-api from 2025-03-14 00:00:00 to 2025-03-15 00:00:00 UTC, newest first:');
    expect(stdout.lines().slice(2).map((line) => line.split(/\s{2,}/).slice(0, 4))).toEqual([
      ['2025-03-14 15:00:41', 'checkout-api', '18ddb81c1297a22b793090c22062b0c6', 'unknown_stop'],
      ['2025-03-14 09:34:47', 'checkout-api', 'e775f425247886cb1ada97a6645fd884', 'image_pull_failure'],
      ['2025-03-14 09:26:52', 'checkout-api', 'fcc059f8aa08b7ed256062bd6ffe5bdb', 'service_scale_in'],
      ['2025-03-14 09:20:34', 'checkout-api', 'e51f2e6fff017093501f2a9dc1c85e08', 'task_failed_to_start_network'],
      ['2025-03-14 04:00:49', 'checkout-api', 'f6e85701f68cba5c329383980ed4103a', 'infrastructure_maintenance'],
    ]);
  });

  it('reads the table named by ALERT_TABLE_NAME at the endpoint of AWS_ENDPOINT_URL_DYNAMODB, and prints JSON lines', async () => {
    vi.stubEnv('AWS_ENDPOINT_URL_DYNAMODB', db.endpoint);
    const { status, stdout } = await history(['--cluster', 'prod', '--category', 'oom', '--json'], { ALERT_TABLE_NAME: db.tableName });

    expect(status).toBe(0);
    expect(stdout.lines().map((line) => JSON.parse(line) as unknown)).toEqual([
      expect.objectContaining({
        time: '2025-03-14T09:26:51.000Z',
        service: 'orders-api',
        taskDefinition: 'orders-api:212',
        category: 'oom',
        containers: [
          { name: 'orders-api', exitCode: 137, reason: 'OutOfMemoryError: Container killed due to memory usage' },
          { name: 'envoy', exitCode: 143, reason: null },
        ],
      }),
    ]);
  });

  it('lists standalone tasks by their task family, and keeps older stops out of the default window', async () => {
    const lastDay = await history(['--cluster', 'batch', '--table', db.tableName, '--endpoint', db.endpoint]);
    const lastTwoWeeks = await history(['--cluster', 'legacy', '--since', '14d', '--table', db.tableName, '--endpoint', db.endpoint]);

    expect(lastDay.stdout.lines().slice(2).map((line) => line.split(/\s{2,}/)[1])).toEqual(['family:ledger-export', 'family:genome-align', 'family:nightly-report']);
    // The 2019 stop of cluster legacy is long past its retention: gone, as TTL would have it.
    expect(lastTwoWeeks.stdout.lines()[0]).toMatch(/^No stopped tasks of cluster legacy/);
  });

  it('fails with exit status 2 and the DynamoDB error when the table does not exist', async () => {
    const { status, stdout, stderr } = await history(['--cluster', 'prod', '--table', 'no-such-table', '--endpoint', db.endpoint]);

    expect(status).toBe(2);
    expect(stdout.text).toBe('');
    expect(stderr.lines()[0]).toMatch(/^could not read the history of cluster prod from table no-such-table: DynamoDB Query on table no-such-table failed for stopped tasks of cluster prod: ResourceNotFoundException: /);
  });
});

describe('npm run history after npm run replay -- --table, against a local table', () => {
  // Two child processes of npm and tsx over dynalite: seconds on a loaded machine.
  it('lists the stopped tasks of the replayed crash loop, newest first', { timeout: 120_000 }, async () => {
    const local = await startDynamoDb();
    try {
      const env = { ...process.env, NO_COLOR: '1', AWS_ENDPOINT_URL_DYNAMODB: local.endpoint, AWS_REGION: 'us-west-2', AWS_ACCESS_KEY_ID: 'test', AWS_SECRET_ACCESS_KEY: 'test' };
      const replayed = await run('npm', ['run', '--silent', 'replay', '--', '--table', local.tableName, 'events/scenarios/oom-crash-loop.jsonl'], { cwd: ROOT, env, timeout: 60_000 });
      expect(replayed.stdout).toContain('Replayed 10 events from 1 file');
      const listed = await run('npm', ['run', '--silent', 'history', '--', '--table', local.tableName, '--endpoint', local.endpoint, '--cluster', 'prod', '--since', '2025-06-02T00:00:00Z', '--json'], { cwd: ROOT, env, timeout: 60_000 });
      const entries = listed.stdout.trim().split('\n').map((line) => JSON.parse(line) as { time: string; service: string; category: string });
      // Nine STOPPED events of eight tasks (one task's stop is delivered twice, with a newer version): one row per task.
      expect(entries).toHaveLength(8);
      expect(entries.map((entry) => entry.service)).toEqual(Array(8).fill('orders-api'));
      expect(entries.every((entry) => entry.category === 'oom')).toBe(true);
      expect(entries.map((entry) => entry.time)).toEqual([...entries.map((entry) => entry.time)].sort().reverse());
    } finally {
      await local.close();
    }
  });
});
