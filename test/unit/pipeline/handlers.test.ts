import type { Context } from 'aws-lambda';
import { describe, expect, it, vi } from 'vitest';
import { handler as taskHandler } from '../../../functions/task-events.ts';
import type { Alert } from '../../../lib/alerts/alert.ts';
import { DEFAULT_GROUPING } from '../../../lib/alerts/grouping.ts';
import { UNAVAILABLE_LOOKUPS, type EventOrigin } from '../../../lib/aws/account-lookups.ts';
import { ConfigError, EventParseError } from '../../../lib/errors.ts';
import { eventBridgeHandler, flushHandler, type EventHandlerDeps } from '../../../lib/pipeline/receive.ts';
import { awsEventHandlerDeps } from '../../../lib/pipeline/wiring-lookups.ts';
import { awsFlushDeps } from '../../../lib/pipeline/wiring.ts';
import { createLogger } from '../../../lib/log.ts';
import { createMetrics } from '../../../lib/metrics.ts';
import { recordedLookups } from '../../../lib/replay/recorded-api.ts';
import { MemoryStore } from '../../../lib/store/memory-store.ts';
import { deploymentEvent, genericEvent, taskEvent } from '../../support/events.ts';
import { EVENTS_DIR, loadFixture } from '../../support/fixtures.ts';

const context = { awsRequestId: 'c0ffee00-0000-4000-8000-000000000001' } as Context;

const OOM = taskEvent({ stopCode: 'EssentialContainerExited', stoppedReason: 'Essential container in task exited' }, [
  { name: 'web', exitCode: 137, reason: 'OutOfMemoryError: Container killed due to memory usage' },
]);

const OTHER_TASK = 'arn:aws:ecs:us-west-2:111122223333:task/prod/dddddddddddddddddddddddddddddddd';

/** In-memory dependencies: a real store, a notifier that records, a logger that keeps its lines. */
function fakeDeps(now = '2025-03-14T09:27:00Z'): EventHandlerDeps & { lines: Record<string, unknown>[]; sent: Alert[] } {
  const lines: Record<string, unknown>[] = [];
  const sent: Alert[] = [];
  return {
    lines,
    sent,
    logger: createLogger((line) => lines.push(JSON.parse(line) as Record<string, unknown>)),
    alerting: { store: new MemoryStore(), notifier: { publish: async (alert) => void sent.push(alert) }, grouping: DEFAULT_GROUPING },
    now: () => new Date(now),
  };
}

describe('eventBridgeHandler', () => {
  it('classifies a task stop, publishes its alert and logs the verdict and the outcome as JSON lines', async () => {
    const deps = fakeDeps();
    const result = await eventBridgeHandler(() => deps)(OOM, context);
    expect(result.verdict).toMatchObject({ category: 'oom', severity: 'warning', service: 'api' });
    expect(result.decision).toMatchObject({ alertKey: '111122223333|us-west-2|prod|service:api|oom', outcome: { outcome: 'alert' } });
    expect(deps.sent.map((alert) => alert.title)).toEqual(['Out of memory – service api (prod)']);
    expect(deps.lines).toEqual([
      expect.objectContaining({ level: 'info', message: 'event classified', id: '3317b2af-7005-947d-b652-f55e762e571a', category: 'oom', severity: 'warning', alert: true, cluster: 'prod', service: 'api' }),
      expect.objectContaining({ level: 'info', message: 'alerting done', outcome: 'alert', published: [expect.objectContaining({ kind: 'new' })] }),
    ]);
  });

  it('sends a follow-up that fell due with the next invocation', async () => {
    const deps = fakeDeps('2025-03-14T09:40:00Z');
    const handler = eventBridgeHandler(() => deps);
    await handler(OOM, context);
    const second = { ...taskEvent({ stopCode: 'EssentialContainerExited', taskArn: 'arn:aws:ecs:us-west-2:111122223333:task/prod/ffffffffffffffffffffffffffffffff' }, [{ name: 'web', exitCode: 137, reason: 'OutOfMemoryError: Container killed due to memory usage' }]), id: 'second', time: '2025-03-14T09:28:00Z' };
    // The wall clock is past the window: the follow-up goes out in the same invocation.
    const result = await handler(second, context);
    expect(result.decision.outcome).toEqual({ outcome: 'grouped' });
    expect(deps.sent.map((alert) => alert.kind)).toEqual(['new', 'follow-up']);
  });

  it('logs warnings about incomplete events next to the verdict', async () => {
    const deps = fakeDeps();
    const event = deploymentEvent({ eventName: 'SERVICE_DEPLOYMENT_FAILED' });
    delete event.time;
    await eventBridgeHandler(() => deps)(event, context);
    expect(deps.lines[0]).toMatchObject({ level: 'warn', message: 'event read with warnings', warnings: ['envelope field "time" is missing'], category: 'deployment_failed' });
  });

  it('rejects an unclassifiable event with a typed error, logged with its field, so Lambda retries it', async () => {
    const deps = fakeDeps();
    await expect(eventBridgeHandler(() => deps)({ 'detail-type': 'ECS Container Instance State Change' }, context)).rejects.toBeInstanceOf(EventParseError);
    expect(deps.lines).toEqual([
      {
        level: 'error',
        message: 'event rejected',
        origin: 'lambda request c0ffee00-0000-4000-8000-000000000001',
        field: 'detail',
        errorName: 'EventParseError',
        errorMessage: 'lambda request c0ffee00-0000-4000-8000-000000000001: field "detail" is missing',
      },
    ]);
    expect(deps.sent).toEqual([]);
  });

  it('fails the invocation when publishing fails, so the event is retried rather than lost', async () => {
    const deps = fakeDeps();
    deps.alerting.notifier = { publish: async () => Promise.reject(new Error('SNS throttled')) };
    await expect(eventBridgeHandler(() => deps)(OOM, context)).rejects.toThrow('SNS throttled');
  });

  it('counts the event, its outcome and the messages sent as EMF metrics, and a failure as outcome failed', async () => {
    const emitted: Record<string, unknown>[] = [];
    const deps = { ...fakeDeps(), metrics: createMetrics((line) => emitted.push(JSON.parse(line) as Record<string, unknown>), () => 1741944420000) };
    const handler = eventBridgeHandler(() => deps);
    await handler(OOM, context);
    deps.alerting.notifier = { publish: async () => Promise.reject(new Error('SNS throttled')) };
    const failing = { ...taskEvent({ stopCode: 'EssentialContainerExited', taskArn: OTHER_TASK }), id: 'failing' };
    await expect(handler(failing, context)).rejects.toThrow('SNS throttled');
    await expect(handler({ 'detail-type': 'ECS Task State Change' }, context)).rejects.toBeInstanceOf(EventParseError);

    const members = emitted.map(({ _aws, ...rest }) => rest);
    expect(members).toEqual([
      { Category: 'oom', Severity: 'warning', Events: 1, Outcome: 'alert', Outcomes: 1, Kind: 'new', MessagesSent: 1 },
      { Category: 'app_error_exit', Severity: 'warning', Events: 1, Outcome: 'failed', Outcomes: 1 },
      { Outcome: 'failed', Outcomes: 1 },
    ]);
    expect(emitted[0]).toMatchObject({ _aws: { Timestamp: 1741944420000, CloudWatchMetrics: [{ Namespace: 'EcsIncidentNotifier', Dimensions: [['Category', 'Severity']], Metrics: [{ Name: 'Events', Unit: 'Count' }] }, {}, {}] } });
  });

  it('logs the event id, detail-type, category, alert key and outcome of an event, and of one that fails', async () => {
    const deps = fakeDeps();
    const handler = eventBridgeHandler(() => deps);
    await handler(OOM, context);
    deps.alerting.notifier = { publish: async () => Promise.reject(new Error('SNS throttled')) };
    await expect(handler({ ...taskEvent({ stopCode: 'EssentialContainerExited', taskArn: OTHER_TASK }), id: 'failing' }, context)).rejects.toThrow('SNS throttled');

    const event = { id: '3317b2af-7005-947d-b652-f55e762e571a', detailType: 'ECS Task State Change', category: 'oom' };
    const failing = { id: 'failing', detailType: 'ECS Task State Change', category: 'app_error_exit' };
    expect(deps.lines).toEqual([
      expect.objectContaining({ message: 'event classified', ...event }),
      expect.objectContaining({ message: 'alerting done', ...event, alertKey: '111122223333|us-west-2|prod|service:api|oom', outcome: 'alert' }),
      expect.objectContaining({ message: 'event classified', ...failing }),
      expect.objectContaining({ level: 'error', message: 'event failed', ...failing, outcome: 'failed', errorMessage: 'SNS throttled' }),
    ]);
    expect(JSON.stringify(deps.lines)).not.toMatch(/hooks\.slack|webhook/i);
  });

  it('classifies EC2 and Health signals the same way', async () => {
    const deps = fakeDeps();
    const result = await eventBridgeHandler(() => deps)(genericEvent('EC2 Spot Instance Interruption Warning', 'aws.ec2', { 'instance-id': 'i-0a1b2c3d4e5f67890', 'instance-action': 'terminate' }), context);
    expect(result.verdict).toMatchObject({ category: 'ec2_spot_interruption_warning', spot: true });
    expect(deps.sent.map((alert) => alert.category)).toEqual(['ec2_spot_interruption_warning']);
  });

  it('fails at the first invocation naming the missing variable when the function is not configured', async () => {
    await expect(taskHandler(OOM, context)).rejects.toThrow(ConfigError);
    await expect(taskHandler(OOM, context)).rejects.toThrow(/environment variable ALERT_TABLE_NAME is not set|ALERT_TOPIC_ARN/);
  });
});

describe('eventBridgeHandler with member accounts', () => {
  it('looks each event up in the account and Region it comes from', async () => {
    const deps = fakeDeps('2025-03-14T11:06:00Z');
    const recorded = await recordedLookups(`${EVENTS_DIR}api`);
    const asked: EventOrigin[] = [];
    deps.lookupsFor = (origin) => {
      asked.push(origin);
      return recorded(origin);
    };
    const handler = eventBridgeHandler(() => deps);

    await handler(loadFixture('task/spot-warning-member-account.json'), context);
    await handler(loadFixture('task/spot-warning-running.json'), context);

    expect(asked).toEqual([
      { account: '222222222222', region: 'us-west-2', partition: 'aws' },
      { account: '111122223333', region: 'us-west-2', partition: 'aws' },
    ]);
    expect(deps.sent.map((alert) => [alert.key, alert.summary.match(/\d of \d tasks running/)?.[0], alert.enriched])).toEqual([
      ['222222222222|us-west-2|prod|service:thumbnailer|spot_interruption_warning', '3 of 4 tasks running', true],
      // The monitoring account's own thumbnailer:19 is not recorded: its service answers, its task definition does not.
      ['111122223333|us-west-2|prod|service:thumbnailer|spot_interruption_warning', '2 of 3 tasks running', false],
    ]);
  });

  it("still alerts, marked not enriched, when a member account's lookups answer nothing", async () => {
    const deps = fakeDeps('2025-03-14T11:06:00Z');
    deps.lookupsFor = () => UNAVAILABLE_LOOKUPS;
    const result = await eventBridgeHandler(() => deps)(loadFixture('task/spot-warning-member-account.json'), context);
    expect(result.decision.outcome).toEqual({ outcome: 'alert' });
    expect(deps.sent.map((alert) => [alert.title, alert.enriched])).toEqual([['Spot interruption warning – service thumbnailer (prod)', false]]);
  });

  it('fails at the first invocation naming MONITOR_ACCOUNT_ID or a malformed MEMBER_LOOKUP_ROLE_NAME', async () => {
    vi.stubEnv('ALERT_TABLE_NAME', 'ecs-incident-notifier-alerts');
    vi.stubEnv('ALERT_TOPIC_ARN', 'arn:aws:sns:eu-west-1:111122223333:ecs-alerts');
    vi.stubEnv('AWS_REGION', 'eu-west-1');
    vi.stubEnv('MONITOR_ACCOUNT_ID', '');
    expect(() => awsEventHandlerDeps()).toThrow(new ConfigError('MONITOR_ACCOUNT_ID', 'is not set'));
    vi.stubEnv('MONITOR_ACCOUNT_ID', '111122223333');
    vi.stubEnv('MEMBER_LOOKUP_ROLE_NAME', 'arn:aws:iam::222222222222:role/lookup');
    expect(() => awsEventHandlerDeps()).toThrow(ConfigError);
    vi.stubEnv('MEMBER_LOOKUP_ROLE_NAME', '');
    expect(awsEventHandlerDeps().lookupsFor).toBeTypeOf('function');
  });

  it('reads the runbook and owner tag keys the deploy parameters give, defaulting to runbook and owner', () => {
    vi.stubEnv('ALERT_TABLE_NAME', 'ecs-incident-notifier-alerts');
    vi.stubEnv('ALERT_TOPIC_ARN', 'arn:aws:sns:eu-west-1:111122223333:ecs-alerts');
    vi.stubEnv('AWS_REGION', 'eu-west-1');
    vi.stubEnv('MONITOR_ACCOUNT_ID', '111122223333');
    vi.stubEnv('RUNBOOK_TAG_KEY', undefined);
    vi.stubEnv('OWNER_TAG_KEY', undefined);
    expect(awsEventHandlerDeps().alerting.tagKeys).toEqual({ runbook: 'runbook', owner: 'owner' });
    vi.stubEnv('RUNBOOK_TAG_KEY', 'team:runbook');
    vi.stubEnv('OWNER_TAG_KEY', 'Owner');
    expect(awsEventHandlerDeps().alerting.tagKeys).toEqual({ runbook: 'team:runbook', owner: 'Owner' });
  });

  it('builds the flush function without the monitor account: it looks nothing up', () => {
    vi.stubEnv('ALERT_TABLE_NAME', 'ecs-incident-notifier-alerts');
    vi.stubEnv('ALERT_TOPIC_ARN', 'arn:aws:sns:eu-west-1:111122223333:ecs-alerts');
    vi.stubEnv('MONITOR_ACCOUNT_ID', undefined);
    const deps = awsFlushDeps();
    expect(deps.lookupsFor).toBeUndefined();
    expect([deps.alerting.taskDefinitions, deps.alerting.lookups]).toEqual([undefined, undefined]);
  });
});

describe('flushHandler', () => {
  it('sends the follow-ups of windows that have closed, once', async () => {
    const deps = fakeDeps('2025-03-14T09:27:00Z');
    const handler = eventBridgeHandler(() => deps);
    await handler(OOM, context);
    const sameFailure = taskEvent({ stopCode: 'EssentialContainerExited', taskArn: 'arn:aws:ecs:us-west-2:111122223333:task/prod/eeeeeeeeeeeeeeeeeeeeeeeeeeeeeeee' }, [
      { name: 'web', exitCode: 137, reason: 'OutOfMemoryError: Container killed due to memory usage' },
    ]);
    await handler({ ...sameFailure, id: 'x', time: '2025-03-14T09:28:00Z' }, context);
    expect(deps.sent.map((alert) => alert.kind)).toEqual(['new']);
    deps.now = () => new Date('2025-03-14T09:35:00Z');
    const flush = flushHandler(() => deps);
    expect(await flush({}, context)).toEqual({ published: 1 });
    expect(await flush({}, context)).toEqual({ published: 0 });
    expect(deps.sent.map((alert) => alert.kind)).toEqual(['new', 'follow-up']);
  });
});
