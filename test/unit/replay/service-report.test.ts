import { describe, expect, it } from 'vitest';
import type { AlertDecision } from '../../../lib/pipeline/decide.ts';
import type { Alert } from '../../../lib/alerts/alert.ts';
import type { Outcome } from '../../../lib/alerts/grouping.ts';
import { evaluate } from '../../../lib/pipeline/evaluate.ts';
import type { ReplayResult } from '../../../lib/replay/replay.ts';
import { MAX_TIMELINE, ServiceReport, type ServiceSummary } from '../../../lib/replay/service-report.ts';
import { sampleAlert } from '../../support/alerts.ts';
import { detailOf, loadFixture } from '../../support/fixtures.ts';

type VerdictResult = Extract<ReplayResult, { kind: 'verdict' }>;

function resultOf(event: Record<string, unknown>, origin: string): VerdictResult {
  return { kind: 'verdict', file: origin, origin, evaluated: evaluate(event, origin) };
}

/** A recorded fixture through the pipeline, optionally with envelope or detail fields changed. */
function fixture(path: string, envelope: Record<string, unknown> = {}, detail: Record<string, unknown> = {}): VerdictResult {
  const event = { ...loadFixture(path), ...envelope };
  event.detail = { ...detailOf(event), ...detail };
  return resultOf(event, `events/${path}`);
}

function decision(outcome: Outcome = { outcome: 'alert' }, messages: Alert[] = []): AlertDecision {
  return { alertKey: 'key', outcome, messages };
}

function info(): AlertDecision {
  return decision({ outcome: 'suppressed', suppressedBecause: 'info' });
}

function service(report: ServiceReport, name: string): ServiceSummary {
  const found = report.services().find((summary) => summary.name === name);
  if (found === undefined) throw new Error(`no row ${name} in ${report.services().map((summary) => summary.name).join(', ')}`);
  return found;
}

const DEPLOYMENT_FIXTURES = [
  'deployment/completed.json',
  'deployment/failed-circuit-breaker-tasks-plural.json',
  'deployment/failed-circuit-breaker.json',
  'deployment/in-progress.json',
  'deployment/rollback-circuit-breaker.json',
  'service-action/deployment-failed.json',
];

// The rollback of deployment/rollback-circuit-breaker.json, completed six minutes after it started.
const ROLLBACK_COMPLETED = (): VerdictResult =>
  fixture('deployment/completed.json', { id: 'b6c0c1f4-2d7e-4f6a-9c1d-3e5f7a9b1c2d', time: '2020-05-23T12:52:02Z' }, { deploymentId: 'ecs-svc/9120648113975041872' });

describe('ServiceReport', () => {
  it('gives each documented deployment event its deployment, outcome and first time, in time order', () => {
    const report = new ServiceReport();
    for (const path of DEPLOYMENT_FIXTURES) report.add(fixture(path), info());

    const row = service(report, 'default/servicetest');
    expect(row.key).toBe('111122223333|us-west-2|default|servicetest');
    expect(row.events).toBe(6);
    expect(row.bySeverity).toEqual({ critical: 3, warning: 1, info: 2 });
    expect(row.deployments).toEqual([
      // In progress at 12:31, completed at 12:39, then failed at 12:46:01 (the documented examples): the latest wins,
      // and the circuit breaker's rollback one second later replaces it.
      { id: 'ecs-svc/2470143911854296015', firstSeen: '2020-05-23T12:31:14Z', outcome: 'failed', timeToCompleteMs: null, rollback: false, rollbackTo: null, replacedBy: 'ecs-svc/9120648113975041872' },
      { id: 'ecs-svc/9120648113975041872', firstSeen: '2020-05-23T12:46:02Z', outcome: 'rolling back', timeToCompleteMs: null, rollback: true, rollbackTo: 'ecs-svc/6839103475922816504', replacedBy: null },
      { id: 'ecs-svc/3315267908402615519', firstSeen: '2021-09-02T08:17:29Z', outcome: 'failed', timeToCompleteMs: null, rollback: false, rollbackTo: null, replacedBy: null },
      { id: 'ecs-svc/8265379014426983150', firstSeen: '2024-03-14T16:22:41Z', outcome: 'failed', timeToCompleteMs: null, rollback: false, rollbackTo: null, replacedBy: null },
    ]);
  });

  it('times a completed deployment from its first event', () => {
    const report = new ServiceReport();
    report.add(fixture('deployment/in-progress.json'), info());
    report.add(fixture('deployment/completed.json'), info());

    expect(service(report, 'default/servicetest').deployments).toEqual([
      { id: 'ecs-svc/2470143911854296015', firstSeen: '2020-05-23T12:31:14Z', outcome: 'completed', timeToCompleteMs: 516_000, rollback: false, rollbackTo: null, replacedBy: null },
    ]);
  });

  it('marks the failed deployment rolled back once its rollback completes, whatever order the events come in', () => {
    const inOrder = ['deployment/in-progress.json', 'deployment/failed-circuit-breaker.json', 'deployment/rollback-circuit-breaker.json'].map((path) => fixture(path));
    for (const results of [
      [...inOrder, ROLLBACK_COMPLETED()],
      [ROLLBACK_COMPLETED(), ...[...inOrder].reverse()],
    ]) {
      const report = new ServiceReport();
      for (const result of results) report.add(result, info());

      expect(service(report, 'default/servicetest').deployments.map(({ id, outcome, timeToCompleteMs, replacedBy }) => ({ id, outcome, timeToCompleteMs, replacedBy }))).toEqual([
        { id: 'ecs-svc/2470143911854296015', outcome: 'rolled back', timeToCompleteMs: null, replacedBy: 'ecs-svc/9120648113975041872' },
        { id: 'ecs-svc/9120648113975041872', outcome: 'completed', timeToCompleteMs: 360_000, replacedBy: null },
      ]);
    }
  });

  it('counts task failures by category once per task, and Spot interruptions by task, instance and placement failure', () => {
    const report = new ServiceReport();
    report.add(fixture('task/stopped-oom.json'), decision());
    report.add(fixture('task/stopped-oom.json'), decision({ outcome: 'suppressed', suppressedBecause: 'duplicate' }));
    report.add(fixture('task/stopped-oom.json', { id: 'second-oom' }, { taskArn: 'arn:aws:ecs:us-west-2:111122223333:task/prod/0f0f0f0f0f0f0f0f0f0f0f0f0f0f0f0f' }), decision({ outcome: 'grouped' }));
    report.add(fixture('task/stopped-app-error-exit-1.json', { account: '111122223333', region: 'us-west-2' }, { clusterArn: 'arn:aws:ecs:us-west-2:111122223333:cluster/prod', group: 'service:orders-api' }), decision());
    report.add(fixture('task/spot-warning-running.json'), decision());
    report.add(fixture('task/spot-deprovisioning.json'), info());
    report.add(fixture('task/stopped-spot-interruption.json'), decision());
    report.add(fixture('service-action/placement-failure-fargate-spot.json'), decision());
    report.add(fixture('ec2/spot-interruption-warning.json'), decision());

    const orders = service(report, 'prod/orders-api');
    expect(orders.events).toBe(4);
    expect(orders.bySeverity).toEqual({ critical: 0, warning: 4, info: 0 });
    expect(orders.failures).toEqual([
      { category: 'oom', tasks: 2 },
      { category: 'app_error_exit', tasks: 1 },
    ]);
    expect(orders.failedTasks).toBe(3);
    const thumbnailer = service(report, 'prod/thumbnailer');
    expect(thumbnailer.spot).toEqual({ tasks: 1, instances: 0, placementFailures: 0 });
    expect(thumbnailer.failures).toEqual([
      { category: 'spot_interruption', tasks: 1 },
      { category: 'spot_interruption_warning', tasks: 1 },
    ]);
    expect(service(report, 'default/servicetest').spot).toEqual({ tasks: 0, instances: 0, placementFailures: 1 });
    expect(service(report, '(account)').spot).toEqual({ tasks: 0, instances: 1, placementFailures: 0 });
  });

  it('puts events without a service in their cluster’s row and events without a cluster in their account’s', () => {
    const report = new ServiceReport();
    report.add(fixture('container-instance/draining.json'), decision());
    report.add(fixture('ec2/spot-interruption-warning.json'), decision());

    expect(report.services().map(({ key, name, account, region, cluster, service: name2 }) => ({ key, name, account, region, cluster, service: name2 }))).toEqual([
      { key: '111122223333|us-east-1|default|-', name: 'cluster default (no service)', account: '111122223333', region: 'us-east-1', cluster: 'default', service: null },
      { key: '123456789012|us-east-2|-|-', name: '(account)', account: '123456789012', region: 'us-east-2', cluster: null, service: null },
    ]);
  });

  it('tells apart services of the same name in two Regions', () => {
    const report = new ServiceReport();
    report.add(fixture('task/stopped-oom.json'), decision());
    report.add(fixture('task/stopped-oom.json', { id: 'elsewhere', region: 'eu-west-1' }, { clusterArn: 'arn:aws:ecs:eu-west-1:111122223333:cluster/prod' }), decision());

    expect(report.services().map((row) => row.name)).toEqual(['prod/orders-api · eu-west-1', 'prod/orders-api · us-west-2']);
  });

  it('counts messages by kind in the row of what they are about, crash loops by their key, and keeps the console link', () => {
    const report = new ServiceReport();
    const crashLoopKey = '111122223333|us-west-2|prod|service:orders-api|crash-loop';
    report.add(fixture('task/stopped-oom.json'), decision({ outcome: 'alert' }, [sampleAlert(), sampleAlert({ key: crashLoopKey })]));
    report.addFlushed([sampleAlert({ kind: 'follow-up', time: '2025-03-14T09:31:51Z' })]);
    report.add(
      fixture('service-action/steady-state.json'),
      decision({ outcome: 'resolved' }, [sampleAlert({ kind: 'resolved', status: 'resolved' }), sampleAlert({ key: crashLoopKey, kind: 'resolved', status: 'resolved' })]),
    );

    const orders = service(report, 'prod/orders-api');
    expect(orders.messages).toEqual({ new: 2, 'follow-up': 1, repeat: 0, resolved: 2, deployment: 0 });
    expect(orders.crashLoops).toEqual({ new: 1, 'follow-up': 0, repeat: 0, resolved: 1, deployment: 0 });
    expect(orders.consoleUrl).toBe('https://us-west-2.console.aws.amazon.com/ecs/v2/clusters/prod/services/orders-api/health?region=us-west-2');
    // The steady-state event is about another service: its row has the event, not the messages it caused.
    expect(service(report, 'default/servicetest')).toMatchObject({ events: 1, messages: { new: 0, 'follow-up': 0, repeat: 0, resolved: 0 } });
  });

  it('lists each service’s events and messages in time order, whatever order they were read in', () => {
    const report = new ServiceReport();
    report.add(fixture('task/stopped-oom.json', { time: '2025-03-14T09:40:00Z' }), decision({ outcome: 'grouped' }));
    report.add(fixture('task/stopped-oom.json', { id: 'earlier' }), decision({ outcome: 'alert' }, [sampleAlert()]));
    report.addFlushed([sampleAlert({ kind: 'follow-up', time: '2025-03-14T09:45:00Z', title: 'Follow-up' })]);

    expect(service(report, 'prod/orders-api').timeline).toEqual([
      {
        type: 'event',
        time: '2025-03-14T09:26:51Z',
        category: 'oom',
        severity: 'warning',
        outcome: 'alert',
        subject: 'task 77ea7336',
        summary: 'STOPPED · EssentialContainerExited · Essential container in task exited',
        origin: 'events/task/stopped-oom.json',
      },
      expect.objectContaining({ type: 'message', time: '2025-03-14T09:26:51Z', kind: 'new', status: 'firing', severity: 'warning' }),
      expect.objectContaining({ type: 'event', time: '2025-03-14T09:40:00Z', outcome: 'grouped' }),
      expect.objectContaining({ type: 'message', time: '2025-03-14T09:45:00Z', kind: 'follow-up', title: 'Follow-up' }),
    ]);
  });

  it('says what became of an event whose alerts could not be delivered, and keeps control characters out of summaries', () => {
    const report = new ServiceReport();
    report.add(fixture('task/stopped-oom.json', {}, { stoppedReason: 'Essential container\u001b[2J\nexited' }), null);

    expect(service(report, 'prod/orders-api').timeline[0]).toMatchObject({ outcome: 'not delivered', summary: 'STOPPED · EssentialContainerExited · Essential container\\u001b[2J exited' });
  });

  it(`keeps at most ${MAX_TIMELINE} timeline entries per service and counts the rest`, () => {
    const report = new ServiceReport();
    const event = fixture('task/stopped-oom.json');
    for (let index = 0; index < MAX_TIMELINE + 5; index += 1) report.add(event, decision({ outcome: 'suppressed', suppressedBecause: 'duplicate' }));

    const orders = service(report, 'prod/orders-api');
    expect(orders.events).toBe(MAX_TIMELINE + 5);
    expect(orders.timeline).toHaveLength(MAX_TIMELINE);
    expect(orders.timelineOmitted).toBe(5);
  });
});
