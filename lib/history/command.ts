import { once } from 'node:events';
import type { Writable } from 'node:stream';
import { parseArgs } from 'node:util';
import { lastSegment, parseArn } from '../events/arn.ts';
import type { AlertStore } from '../store/store.ts';
import { STOPPED_TASK_CATEGORIES, isStoppedTaskCategory } from './categories.ts';
import type { StoppedTaskEntry } from './entry.ts';
import type { StoppedTaskQuery } from './query.ts';
import { historyLines, jsonLine, type ShownQuery } from './output.ts';

export const USAGE = `Usage: npm run history -- --cluster CLUSTER [options]

Lists the tasks of a cluster that stopped, newest first, with their category, exit codes and reason. ECS forgets a
stopped task about an hour after it stops; the monitor keeps each one in its table for HISTORY_RETENTION_DAYS
(default 14).

  --cluster NAME|ARN   the cluster (required); a cluster ARN also narrows to its account and Region
  --service NAME       only the tasks of this service
  --since WHEN         tasks that stopped from then on (default 24h)
  --until WHEN         tasks that stopped before then (default: now)
                       WHEN is a time back from now (30m, 24h, 7d, 2w) or an ISO 8601 date or time
                       (2025-03-14, 2025-03-14T09:00, 2025-03-14T09:00:00+02:00); times without a zone are UTC
  --category NAME      only the tasks of this category (oom, app_error_exit, …)
  --account ID         only the tasks of this account (a cluster name used in several accounts)
  --limit N            at most N tasks, the newest (default 50)
  --json               one JSON object per task and line, every field included
  --table NAME         the alert table (default: ALERT_TABLE_NAME; the stack output AlertTableName names it)
  --region REGION      the table's Region (default: the standard AWS configuration)
  --endpoint URL       a DynamoDB endpoint other than AWS's, such as a local emulator
  -h, --help           show this help

Credentials and the Region come from the standard AWS configuration (AWS_PROFILE, SSO, AWS_REGION, …); reading
needs dynamodb:Query on the table. Exit status: 0 when the history was read (even when it is empty), 2 on a
wrong argument or when the table could not be read.`;

/** Where the history is read: the table, and the Region and endpoint when given. */
export interface HistoryTarget {
  tableName: string;
  region: string | null;
  endpoint: string | null;
}

/** What the command reads through: a store's history query, and what to release when done. */
export type HistoryReader = Pick<AlertStore, 'stoppedTasks'> & { close?: () => void };

export interface HistoryIo {
  stdout: Writable;
  stderr: Writable;
  /** Where ALERT_TABLE_NAME is read from. */
  env: Readonly<Record<string, string | undefined>>;
  /** The clock that relative times (`--since 24h`) and expiry are judged by. */
  now: () => Date;
  /** The reader of `target`, built only once the arguments are known to be good. */
  reader: (target: HistoryTarget) => HistoryReader;
}

const DEFAULT_SINCE = '24h';
const DEFAULT_LIMIT = 50;
const MAX_LIMIT = 10_000;
const UNIT_MS: Record<string, number> = { m: 60_000, h: 3_600_000, d: 86_400_000, w: 604_800_000 };
// An ECS cluster or service name: up to 255 letters, digits, hyphens and underscores (CreateCluster, CreateService).
const ECS_NAME = /^[A-Za-z0-9_-]{1,255}$/;
// A DynamoDB table name: 3 to 255 of letters, digits, `_`, `-` and `.`, as ALERT_TABLE_NAME is checked in lib/env.ts.
const TABLE_NAME = /^[A-Za-z0-9_.-]{3,255}$/;
const REGION = /^[a-z]{2}(?:-[a-z]+)+-\d{1,2}$/;
const ISO_DATE = /^\d{4}-\d{2}-\d{2}$/;
const ISO_TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(?::\d{2}(?:\.\d{1,9})?)?(Z|[+-]\d{2}:?\d{2})?$/;

class UsageError extends Error {
  override readonly name = 'UsageError';
}

interface Options {
  help: boolean;
  json: boolean;
  query: ShownQuery;
  target: HistoryTarget;
}

/**
 * A `--since`/`--until` value as an ISO time: a duration back from `now` (`30m`, `24h`, `7d`, `2w`) or an ISO 8601
 * date or time, UTC when it names no zone (JavaScript would read a zone-less time as local time, which would make
 * the answer depend on the machine).
 */
export function whenOption(name: string, text: string, now: Date): string {
  const value = text.trim();
  const relative = /^(\d{1,6})([mhdw])$/.exec(value);
  if (relative !== null) return new Date(now.getTime() - Number(relative[1]) * (UNIT_MS[relative[2] ?? ''] ?? 0)).toISOString();
  const time = ISO_TIME.exec(value);
  const at = ISO_DATE.test(value) ? Date.parse(`${value}T00:00:00Z`) : time !== null ? Date.parse(time[1] === undefined ? `${value}Z` : value) : Number.NaN;
  if (Number.isNaN(at)) {
    throw new UsageError(`${name} must be a time back from now (30m, 24h, 7d, 2w) or an ISO 8601 date or time (2025-03-14, 2025-03-14T09:00Z), got ${JSON.stringify(text)}`);
  }
  return new Date(at).toISOString();
}

function clusterOption(text: string | undefined): Pick<StoppedTaskQuery, 'cluster' | 'account' | 'region'> {
  const value = text?.trim() ?? '';
  if (value === '') throw new UsageError('--cluster is required: the name or ARN of the cluster');
  if (value.startsWith('arn:')) {
    const arn = parseArn(value);
    const name = lastSegment(value);
    if (arn === null || arn.resourceType !== 'cluster' || name === null || !ECS_NAME.test(name)) {
      throw new UsageError(`--cluster is not a cluster ARN (arn:aws:ecs:REGION:ACCOUNT:cluster/NAME): ${JSON.stringify(value)}`);
    }
    return { cluster: name, ...(/^\d{12}$/.test(arn.account) ? { account: arn.account } : {}), ...(REGION.test(arn.region) ? { region: arn.region } : {}) };
  }
  if (!ECS_NAME.test(value)) throw new UsageError(`--cluster must be a cluster name (letters, digits, - and _) or ARN, got ${JSON.stringify(value)}`);
  return { cluster: value };
}

function serviceOption(text: string | undefined): string | undefined {
  if (text === undefined) return undefined;
  const value = text.trim();
  const name = value.startsWith('arn:') ? lastSegment(value) : value.replace(/^service:/, '');
  if (name === null || !ECS_NAME.test(name)) throw new UsageError(`--service must be a service name (letters, digits, - and _) or ARN, got ${JSON.stringify(text)}`);
  return name;
}

function categoryOption(text: string | undefined): string | undefined {
  if (text === undefined) return undefined;
  const value = text.trim();
  if (!isStoppedTaskCategory(value)) {
    throw new UsageError(`--category ${JSON.stringify(text)} is not a category of stopped tasks; these are: ${[...STOPPED_TASK_CATEGORIES].sort().join(', ')}`);
  }
  return value;
}

function readOptions(args: readonly string[], env: HistoryIo['env'], now: Date): Options {
  const { values, positionals } = parseArgs({
    args: [...args],
    allowPositionals: true,
    strict: true,
    options: {
      cluster: { type: 'string' },
      service: { type: 'string' },
      since: { type: 'string' },
      until: { type: 'string' },
      category: { type: 'string' },
      account: { type: 'string' },
      limit: { type: 'string' },
      json: { type: 'boolean', default: false },
      table: { type: 'string' },
      region: { type: 'string' },
      endpoint: { type: 'string' },
      help: { type: 'boolean', short: 'h', default: false },
    },
  });
  const target: HistoryTarget = { tableName: '', region: null, endpoint: null };
  if (values.help) return { help: true, json: false, query: { cluster: '', since: '', limit: DEFAULT_LIMIT, now: now.toISOString() }, target };
  if (positionals.length > 0) throw new UsageError(`unexpected argument ${JSON.stringify(positionals[0])}`);

  const cluster = clusterOption(values.cluster);
  const service = serviceOption(values.service);
  const category = categoryOption(values.category);
  const account = values.account?.trim();
  if (account !== undefined && !/^\d{12}$/.test(account)) throw new UsageError(`--account must be a 12-digit AWS account id, got ${JSON.stringify(values.account)}`);
  if (account !== undefined && cluster.account !== undefined && account !== cluster.account) throw new UsageError(`--account ${account} is not the account of the cluster ARN (${cluster.account})`);
  const since = whenOption('--since', values.since ?? DEFAULT_SINCE, now);
  const until = values.until === undefined ? undefined : whenOption('--until', values.until, now);
  if (until !== undefined && until <= since) throw new UsageError(`--until (${until}) must be after --since (${since})`);
  let limit = DEFAULT_LIMIT;
  if (values.limit !== undefined) {
    limit = Number(values.limit);
    if (!/^\d+$/.test(values.limit.trim()) || limit < 1 || limit > MAX_LIMIT) throw new UsageError(`--limit must be a whole number from 1 to ${MAX_LIMIT}, got ${JSON.stringify(values.limit)}`);
  }

  const tableName = (values.table ?? env.ALERT_TABLE_NAME ?? '').trim();
  if (tableName === '') throw new UsageError('no table to read: give --table NAME or set ALERT_TABLE_NAME (the stack output AlertTableName names the table)');
  if (!TABLE_NAME.test(tableName)) throw new UsageError(`${values.table === undefined ? 'ALERT_TABLE_NAME' : '--table'} is not a DynamoDB table name: ${JSON.stringify(tableName)}`);
  const region = values.region?.trim() ?? null;
  if (region !== null && !REGION.test(region)) throw new UsageError(`--region is not an AWS Region (us-west-2): ${JSON.stringify(values.region)}`);
  const endpoint = values.endpoint?.trim() ?? null;
  if (endpoint !== null && !/^https?:\/\/[^\s/]+/.test(endpoint)) throw new UsageError('--endpoint must be an http(s) URL');

  return {
    help: false,
    json: values.json,
    query: {
      ...cluster,
      ...(account === undefined ? {} : { account }),
      ...(service === undefined ? {} : { service }),
      ...(category === undefined ? {} : { category }),
      since,
      ...(until === undefined ? {} : { until }),
      limit,
      now: now.toISOString(),
    },
    target: { tableName, region, endpoint },
  };
}

async function write(stream: Writable, text: string): Promise<void> {
  if (!stream.write(`${text}\n`)) await once(stream, 'drain');
}

function errorText(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/**
 * The history command: reads the arguments, queries the stopped tasks, and prints them as a table (or one JSON
 * object per line with `--json`); see USAGE. Returns the exit status: 0 when the history was read, even empty; 2 on a
 * usage error or when the table could not be read (the error, never a credential, on stderr).
 */
export async function runHistory(args: readonly string[], io: HistoryIo): Promise<number> {
  const now = io.now();
  let options: Options;
  try {
    options = readOptions(args, io.env, now);
  } catch (error) {
    await write(io.stderr, `${errorText(error)}\n\n${USAGE}`);
    return 2;
  }
  if (options.help) {
    await write(io.stdout, USAGE);
    return 0;
  }

  const { query, target } = options;
  let reader: HistoryReader | null = null;
  let entries: StoppedTaskEntry[];
  try {
    reader = io.reader(target);
    // One more than shown tells whether there are more.
    entries = await reader.stoppedTasks({ ...query, limit: query.limit + 1 });
  } catch (error) {
    const cause = error instanceof Error && error.cause instanceof Error && !errorText(error).includes(error.cause.message) ? ` (${error.cause.name}: ${error.cause.message})` : '';
    await write(io.stderr, `could not read the history of cluster ${query.cluster} from table ${target.tableName}: ${errorText(error)}${cause}`);
    await write(io.stderr, 'Credentials and the Region come from the standard AWS configuration (AWS_PROFILE, AWS_REGION) or --region.');
    return 2;
  } finally {
    reader?.close?.();
  }
  const more = entries.length > query.limit;
  const shown = entries.slice(0, query.limit);
  if (options.json) {
    for (const entry of shown) await write(io.stdout, jsonLine(entry));
    if (more) await write(io.stderr, `only the newest ${query.limit} shown; --limit shows more`);
  } else {
    for (const line of historyLines(shown, query, more)) await write(io.stdout, line);
  }
  return 0;
}
