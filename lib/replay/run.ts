import { once } from 'node:events';
import { writeFile } from 'node:fs/promises';
import { relative, resolve } from 'node:path';
import type { Readable, Writable } from 'node:stream';
import { parseArgs } from 'node:util';
import { alertOnEvent, withLookups, type AlertDecision, type AlertingDeps } from '../pipeline/decide.ts';
import { flushDue } from '../pipeline/publish.ts';
import type { Alert } from '../alerts/alert.ts';
import { DEFAULT_GROUPING, type GroupingConfig } from '../alerts/grouping.ts';
import { originOf } from '../aws/account-lookups.ts';
import { MemoryStore } from '../store/memory-store.ts';
import type { AlertStore } from '../store/store.ts';
import { renderAlert } from './alert-output.ts';
import { openDestinations } from './destinations.ts';
import { readRoutes, routeLine } from './routes-output.ts';
import { routeAlert } from '../routing/route.ts';
import type { RoutingConfig } from '../routing/config.ts';
import { renderHtmlReport } from './html-report.ts';
import { historyForReport } from '../history/report.ts';
import { renderError, renderSummary, renderVerdict } from './human-output.ts';
import { endOfInputLine, jsonLine } from './json-output.ts';
import { readInputs } from './read-inputs.ts';
import { recordedLookups } from './recorded-api.ts';
import { replay } from './replay.ts';
import { ServiceReport } from './service-report.ts';
import { renderServiceTable } from './service-table.ts';
import { resolveSources } from './sources.ts';
import { Tally } from './tally.ts';
import { painter, wantsColor } from './terminal-text.ts';

/** How long, in event time, the replay remembers an event id or a resource version to recognise a duplicate. */
export const REPLAY_DEDUPE_HORIZON_MS = 86_400_000;

/** The store of the deployed functions on `table`; the SDK is loaded only for --table. */
async function tableStore(table: string): Promise<AlertStore> {
  const [{ DynamoDbStore }, { dynamoDocumentClient }] = await Promise.all([import('../store/dynamodb-store.ts'), import('../aws/clients/dynamodb.ts')]);
  return new DynamoDbStore(dynamoDocumentClient(), table);
}

/** Days of stopped tasks the report's history shows before the last event (what the deployed default keeps). */
const REPORT_HISTORY_DAYS = 14;

export const USAGE = `Usage: npm run replay -- [options] [PATH...]

Replays saved EventBridge events through the same pipeline as the Lambda functions, with no AWS account:
classification, de-duplication, grouping and resolved notices, and shows the alerts that would go out.
PATH is a file, a folder (searched recursively for *.json, *.jsonl, *.ndjson; api/ folders are skipped),
or - for standard input. A file may hold one event, a JSON array of events, or one event per line.
With no PATH, the recorded events in events/ are replayed. The events' own times are the clock.

Output:
  --json               one JSON object per input event, in input order: the verdict with id, detailType,
                       file, alertKey and outcome (alert, grouped, resolved, suppressed + suppressedBecause)
  --all                also show every event's verdict, including those that do not alert
  --color, --no-color  colour the output or not (default: when it is a terminal; NO_COLOR is honoured)
  --report FILE.html   also write a self-contained HTML page: the per-service table and each service's timeline

Where the alerts go (besides the terminal):
  --out FILE           write each message as it would be published to SNS, one JSON object per line
  --publish            publish to the SNS topic of --topic-arn or ALERT_TOPIC_ARN (standard AWS credentials;
                       AWS_ENDPOINT_URL_SNS points it at a local emulator)
  --topic-arn ARN      the topic for --publish
  --slack-webhook URL  post each message to this Slack incoming webhook
  --slack-token TOKEN  post to Slack with a bot token instead, one thread per alert (needs --slack-channel)
  --slack-channel ID   the channel of --slack-token
  --slack-api-url URL  Slack's Web API for --slack-token (default https://slack.com/api; a local receiver to try)
  --teams-webhook URL  post each message to this Microsoft Teams Workflows webhook, as an Adaptive Card
  --pagerduty-url URL  send each message as a PagerDuty Events API v2 event to this endpoint
                       (https://events.pagerduty.com/v2/enqueue, or a local receiver)
  --pagerduty-key KEY  the routing key sent with it (default PAGERDUTY_ROUTING_KEY; needed for PagerDuty itself)
  --routes FILE        show under each message the route and destinations a routes file gives it (as deployed)
  --table NAME         keep the state in this DynamoDB table instead of memory, stopped-task history included, as
                       the functions do (standard AWS credentials; AWS_ENDPOINT_URL_DYNAMODB points it at a local
                       one); read it back with npm run history -- --table NAME
  Each destination prints one line at the end (on standard error): what it was sent.

Grouping:
  --window MINUTES     grouping window after an alert (default 5, or ALERT_WINDOW_MINUTES)
  --repeat HOURS       repeat a still-firing alert at most this often (default 4, or ALERT_REPEAT_HOURS)

  -h, --help           show this help

Exit status: 0 when every input was classified and every message delivered, 2 otherwise (each problem is
reported, and the rest of the input is still replayed).`;

export interface ReplayIo {
  stdin: Readable;
  stdout: Writable & { isTTY?: boolean };
  stderr: Writable & { isTTY?: boolean };
  /** Where relative paths are resolved from and shown relative to. */
  cwd: string;
  env: NodeJS.ProcessEnv;
  /** What to replay when no path is given: the bundled recorded events. */
  defaultPaths: readonly string[];
  /** Recorded ECS API responses that stand in for the ECS API (`events/api`). */
  apiDir: string;
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
  out: string | undefined;
  report: string | undefined;
  publish: boolean;
  topicArn: string | undefined;
  slackWebhook: string | undefined;
  teamsWebhook: string | undefined;
  pagerDuty: { url: string; routingKey: string } | undefined;
  slackBot: { token: string; channel: string; apiUrl: string } | undefined;
  routes: string | undefined;
  table: string | undefined;
  grouping: GroupingConfig;
  paths: string[];
}

class UsageError extends Error {
  override readonly name = 'UsageError';
}

function positiveNumber(text: string | undefined, name: string, fallback: number): number {
  if (text === undefined || text === '') return fallback;
  const value = Number(text);
  if (!Number.isFinite(value) || value <= 0) throw new UsageError(`${name} must be a positive number, got "${text}"`);
  return value;
}

/** A routing key for local receivers, which do not check it; PagerDuty itself refuses it. */
const LOCAL_ROUTING_KEY = 'replay0000000000000000000000000a';

function pagerDutyOption(url: string | undefined, key: string | undefined): Options['pagerDuty'] {
  if (url === undefined) return undefined;
  if (!/^https?:\/\//.test(url)) throw new UsageError('--pagerduty-url must be an http(s) URL');
  const local = /^http:\/\/(127\.0\.0\.1|localhost|\[::1\])[:/]/.test(url);
  if ((key === undefined || key === '') && !local) throw new UsageError('--pagerduty-url needs a routing key: --pagerduty-key KEY or PAGERDUTY_ROUTING_KEY');
  return { url, routingKey: key === undefined || key === '' ? LOCAL_ROUTING_KEY : key };
}

function slackBotOption(token: string | undefined, channel: string | undefined, apiUrl: string | undefined): Options['slackBot'] {
  if (token === undefined) {
    if (channel !== undefined || apiUrl !== undefined) throw new UsageError('--slack-channel and --slack-api-url go with --slack-token');
    return undefined;
  }
  if (channel === undefined || channel.trim() === '') throw new UsageError('--slack-token needs --slack-channel ID');
  const url = apiUrl ?? 'https://slack.com/api';
  if (!/^https?:\/\//.test(url)) throw new UsageError('--slack-api-url must be an http(s) URL');
  return { token, channel: channel.trim(), apiUrl: url };
}

function tableOption(table: string | undefined): string | undefined {
  if (table !== undefined && !/^[A-Za-z0-9_.-]{3,255}$/.test(table)) throw new UsageError(`--table is not a DynamoDB table name: ${JSON.stringify(table)}`);
  return table;
}

function readOptions(args: readonly string[], env: NodeJS.ProcessEnv): Options {
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
      out: { type: 'string' },
      report: { type: 'string' },
      publish: { type: 'boolean', default: false },
      'topic-arn': { type: 'string' },
      'slack-webhook': { type: 'string' },
      'slack-token': { type: 'string' },
      'slack-channel': { type: 'string' },
      'slack-api-url': { type: 'string' },
      'teams-webhook': { type: 'string' },
      'pagerduty-url': { type: 'string' },
      'pagerduty-key': { type: 'string' },
      routes: { type: 'string' },
      table: { type: 'string' },
      window: { type: 'string' },
      repeat: { type: 'string' },
    },
  });
  const topicArn = values['topic-arn'] ?? env.ALERT_TOPIC_ARN;
  if (values.publish && (topicArn === undefined || topicArn === '')) throw new UsageError('--publish needs a topic: --topic-arn ARN or ALERT_TOPIC_ARN');
  const slackWebhook = values['slack-webhook'];
  if (slackWebhook !== undefined && !/^https?:\/\//.test(slackWebhook)) throw new UsageError('--slack-webhook must be an http(s) URL');
  const teamsWebhook = values['teams-webhook'];
  if (teamsWebhook !== undefined && !/^https?:\/\//.test(teamsWebhook)) throw new UsageError('--teams-webhook must be an http(s) URL');
  const pagerDuty = pagerDutyOption(values['pagerduty-url'], values['pagerduty-key'] ?? env.PAGERDUTY_ROUTING_KEY);
  const slackBot = slackBotOption(values['slack-token'], values['slack-channel'], values['slack-api-url']);
  return {
    json: values.json,
    all: values.all,
    color: values['no-color'] === true ? false : values.color,
    help: values.help,
    out: values.out,
    report: values.report,
    publish: values.publish,
    topicArn,
    slackWebhook,
    teamsWebhook,
    pagerDuty,
    slackBot,
    routes: values.routes,
    table: tableOption(values.table),
    grouping: {
      windowMinutes: positiveNumber(values.window ?? env.ALERT_WINDOW_MINUTES, '--window', DEFAULT_GROUPING.windowMinutes),
      repeatHours: positiveNumber(values.repeat ?? env.ALERT_REPEAT_HOURS, '--repeat', DEFAULT_GROUPING.repeatHours),
    },
    paths: positionals,
  };
}

function errorText(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/**
 * The replay command: reads the inputs, runs each through the pipeline and alerting, and writes the messages that
 * go out (or one JSON line per event), then a summary. Returns the exit status: 0, or 2 when an input could not be
 * read, a message could not be delivered, or the arguments are wrong.
 */
export async function runReplay(args: readonly string[], io: ReplayIo): Promise<number> {
  let options: Options;
  try {
    options = readOptions(args, io.env);
  } catch (error) {
    await write(io.stderr, `${errorText(error)}\n\n${USAGE}\n`);
    return 2;
  }
  if (options.help) {
    await write(io.stdout, `${USAGE}\n`);
    return 0;
  }

  const paint = painter(!options.json && wantsColor(options.color, io.env, io.stdout.isTTY === true));
  const errorPaint = painter(wantsColor(options.color, io.env, io.stderr.isTTY === true));
  const sources = await resolveSources(options.paths.length > 0 ? options.paths : io.defaultPaths, io.cwd);
  let routing: RoutingConfig | null = null;
  if (options.routes !== undefined) {
    try {
      routing = await readRoutes(resolve(io.cwd, options.routes), options.routes);
    } catch (error) {
      await write(io.stderr, `${errorText(error)}\n`);
      return 2;
    }
  }
  const destinations = await openDestinations(options, io);
  // EventBridge retries a delivery for at most 24 hours, so a duplicate comes within a day of its event: the replay
  // forgets seen event ids and versions a day of event time after them, and its memory stays flat over long inputs.
  const store = options.table === undefined ? new MemoryStore({ horizonMs: REPLAY_DEDUPE_HORIZON_MS }) : await tableStore(options.table);
  // In memory, stopped tasks are kept only for the report's history: without a report, memory stays flat however
  // long the input. A table keeps them as the deployed functions do.
  const alerting: AlertingDeps = {
    store,
    notifier: destinations.notifier,
    grouping: options.grouping,
    ...(options.report === undefined && options.table === undefined ? {} : { history: { retentionDays: REPORT_HISTORY_DAYS, ...(options.table === undefined ? {} : { keptFrom: () => new Date() }) } }),
  };
  let lastEventTime = '';
  const lookupsFor = await recordedLookups(io.apiDir);
  const tally = new Tally();
  const report = new ServiceReport();
  const showProgress = io.stderr.isTTY === true;
  let shown = 0;
  const show = async (block: string): Promise<void> => {
    await write(io.stdout, `${shown === 0 ? '' : '\n'}${block}\n`);
    shown += 1;
  };
  const showMessages = async (messages: readonly Alert[], source: string | null = null): Promise<void> => {
    tally.addMessages(messages);
    if (options.json) return;
    for (const message of messages) {
      await show(renderAlert(message, paint, source));
      if (routing !== null) await show(routeLine(routeAlert(message, routing)));
    }
  };
  const fail = async (file: string, error: string): Promise<void> => {
    tally.add({ kind: 'error', file, error });
    if (options.json) await write(io.stdout, `${jsonLine({ kind: 'error', file, error })}\n`);
    else await write(io.stderr, `${renderError({ kind: 'error', file, error }, errorPaint)}\n`);
  };

  for await (const result of replay(readInputs(sources, io.stdin))) {
    if (result.kind === 'error') {
      await fail(result.file, result.error);
      continue;
    }
    tally.add(result);
    if (options.all && !options.json) await show(renderVerdict(result, paint));
    let decision: AlertDecision | null = null;
    try {
      // The event's own time is the clock: what fell due before it goes out first, so replays are repeatable.
      const time = result.evaluated.verdict.time;
      if (time !== null && time > lastEventTime) lastEventTime = time;
      let due: Alert[] = [];
      if (time !== null) {
        due = await flushDue(time, alerting);
        report.addFlushed(due);
        await showMessages(due);
      }
      // As in Lambda, each event is looked up in its own account and Region (here: their recordings).
      decision = await alertOnEvent(result.evaluated, withLookups(alerting, lookupsFor(originOf(result.evaluated.envelope))));
      tally.addOutcome(decision.outcome);
      if (options.json) await write(io.stdout, `${jsonLine(result, decision, due)}\n`);
      await showMessages(decision.messages, result.origin);
    } catch (error) {
      await fail(result.file, `${result.origin}: alerts could not be delivered: ${errorText(error)}`);
    }
    report.add(result, decision);
    const count = tally.events + tally.errors;
    if (showProgress && count % PROGRESS_EVERY === 0) await write(io.stderr, `\r${count} events read…`);
  }
  try {
    const flushed = await flushDue('', alerting, true);
    report.addFlushed(flushed);
    await showMessages(flushed);
    if (options.json && flushed.length > 0) await write(io.stdout, `${endOfInputLine(flushed)}\n`);
  } catch (error) {
    await fail('(end of input)', `alerts could not be delivered: ${errorText(error)}`);
  }
  await destinations.close();
  for (const line of destinations.confirmations()) await write(io.stderr, `${line}\n`);
  if (showProgress && tally.events + tally.errors >= PROGRESS_EVERY) await write(io.stderr, '\r\u001b[K');

  if (!options.json) {
    const table = renderServiceTable(report, paint);
    await write(io.stdout, `${shown === 0 ? '' : '\n'}${renderSummary(tally, paint)}\n${table === '' ? '' : `\n${table}\n`}`);
  }
  let reportFailed = false;
  if (options.report !== undefined) {
    const inputs = (options.paths.length > 0 ? options.paths : io.defaultPaths.map((path) => relative(io.cwd, path) || '.')).map((path) => (path === '-' ? 'standard input' : path));
    try {
      const history = await historyForReport(store, report.services(), lastEventTime === '' ? new Date(0).toISOString() : lastEventTime);
      const html = renderHtmlReport(report, { inputs, files: tally.files.size, errors: tally.errors, history });
      await writeFile(resolve(io.cwd, options.report), html);
      await write(io.stderr, `Report written to ${options.report}\n`);
    } catch (error) {
      reportFailed = true;
      await write(io.stderr, `${renderError({ kind: 'error', file: options.report, error: `the report could not be written: ${errorText(error)}` }, errorPaint)}\n`);
    }
  }
  return tally.errors > 0 || reportFailed ? 2 : 0;
}
