import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import type { Alert } from '../../../lib/alerts/alert.ts';
import { EVENTS_DIR } from '../../support/fixtures.ts';
import { replay, scenario, type Replayed } from '../../support/scenario-replay.ts';

// Recorded sequences replayed in order, as the replay command does (the events' times are the clock, due messages go
// out before each event and at the end), with the recorded ECS API answers of events/api: exactly which messages
// come out.

/** The alerts people are told (deployment notices, for pipelines, are tested in deploy/notices.test.ts). */
function told(sent: Alert[]): [string, string, string][] {
  return sent.map((alert) => [alert.kind, alert.severity, alert.title]);
}

function alerts(sent: Alert[]): Alert[] {
  return sent.filter((alert) => alert.kind !== 'deployment');
}

async function replayAlerts(events: Record<string, unknown>[]): Promise<Replayed> {
  const replayed = await replay(events);
  return { ...replayed, sent: alerts(replayed.sent) };
}

describe('scenario: a deployment fails and the circuit breaker rolls it back', () => {
  it('sends one trouble alert with the failure breakdown, one rollback update and one resolution', async () => {
    const { sent, outcomes } = await replayAlerts(scenario('deployment-rollback'));
    expect(outcomes).toEqual([
      'suppressed:info', // deployment started
      'grouped', // first failed task of the new deployment, counted
      'grouped',
      'suppressed:info', // an old task replaced by the deployment: not a failure
      'alert', // the third failed task: the deployment is in trouble
      'grouped',
      'grouped', // the circuit breaker fails it: already told
      'grouped', // rollback starts: an update of the same alert
      'resolved', // the rollback deployment completed
      'suppressed:info', // steady state: nothing left to resolve
    ]);
    expect(told(sent)).toEqual([
      ['new', 'critical', 'Deployment in trouble – service checkout (shop-prod): 3 tasks failed'],
      ['follow-up', 'critical', 'Deployment rolling back – service checkout (shop-prod) to ecs-svc/4715832049917311442'],
      ['resolved', 'critical', 'Resolved: Deployment in trouble – service checkout (shop-prod)'],
    ]);
    // The recorded DescribeServices answer adds the service's counts (the old deployment keeps serving).
    expect(sent[0]!.summary).toBe('Deployment ecs-svc/5830265113750824417 of service checkout (shop-prod): 3 tasks failed — 3× image pull failed. The service runs 4 of 4 tasks.');
    expect(sent[1]!.summary).toBe(
      'Deployment ecs-svc/5830265113750824417 of service checkout (shop-prod): 4 tasks failed — 3× image pull failed, 1× out of memory; circuit breaker rolling back to ecs-svc/4715832049917311442. The service runs 4 of 4 tasks. ECS reports the rollback in progress (ROLLBACK_IN_PROGRESS): The circuit breaker initiated the rollback operation.',
    );
    expect(sent[2]!.summary).toBe(
      'Rollback ecs-svc/6172093350118462233 of service checkout (back to ecs-svc/4715832049917311442) completed at 2025-09-16T10:09:40Z. Deployment in trouble for service checkout (shop-prod), firing since 2025-09-16T10:03:05Z, is over (6 events in all).',
    );
    expect(new Set(sent.map((alert) => alert.key))).toEqual(new Set(['111122223333|eu-west-1|shop-prod|service:checkout|deployment:ecs-svc/5830265113750824417']));
  });

  it('sends the same messages when the sequence is delivered with duplicates and out of order', async () => {
    const inOrder = await replayAlerts(scenario('deployment-rollback'));
    // A test fixture, not a demo: the default replay shows each story once.
    const shuffled = await replayAlerts(scenario('test/fixtures/deployment-rollback.shuffled.jsonl'));
    expect(shuffled.sent.map((alert) => [alert.kind, alert.key])).toEqual(inOrder.sent.map((alert) => [alert.kind, alert.key]));
    expect(shuffled.sent[1]!.summary).toBe(inOrder.sent[1]!.summary);
    expect(shuffled.outcomes.filter((outcome) => outcome === 'suppressed:duplicate')).toHaveLength(2);
  });
});

describe('scenario: a deployment fails, delivered in an unlucky order (issue 11, cases 2 and 3)', () => {
  it('tells one "Deployment failed" alert when FAILED comes before the task stops, which fold into it', async () => {
    const { sent, outcomes } = await replayAlerts(scenario('test/fixtures/deployment-rollback.failed-first.jsonl'));
    expect(outcomes).toEqual(['suppressed:info', 'alert', 'grouped', 'grouped']);
    expect(told(sent)).toEqual([['new', 'critical', 'Deployment failed – service checkout (shop-prod)']]);
    expect(sent[0]!.summary).toContain('ECS deployment circuit breaker: task failed to start');
  });

  it('folds a stop of the failed deployment delivered after the resolution into its story, opening nothing', async () => {
    const inOrder = await replayAlerts(scenario('deployment-rollback'));
    const { sent, outcomes } = await replayAlerts(scenario('test/fixtures/deployment-rollback.late-stop.jsonl'));
    expect(outcomes.at(-1)).toBe('grouped');
    expect(told(sent)).toEqual(told(inOrder.sent));
    expect(sent.map((alert) => [alert.kind, alert.key])).toEqual(inOrder.sent.map((alert) => [alert.kind, alert.key]));
    expect(sent.at(-1)!.status).toBe('resolved');
  });
});

describe('scenario: Fargate Spot takes back two tasks of a service within the repeat interval (issue 11, case 6)', () => {
  it('tells the second interruption as an update with the count, instead of counting it silently', async () => {
    const { sent } = await replayAlerts(scenario('fargate-spot-twice'));
    expect(told(sent)).toEqual([
      ['new', 'warning', 'Spot interruption warning – service thumbnailer (prod)'],
      ['follow-up', 'warning', 'Spot interruption warning – service thumbnailer (prod): interruption 2 in 24 h'],
      ['resolved', 'warning', 'Resolved: Spot interruption warning – service thumbnailer (prod)'],
    ]);
    expect(sent[0]!.summary).toContain('First Spot interruption of this service in 24 hours.');
    expect(sent[0]!.summary).toContain('Fargate Spot is taking back task 5b7d9f1a of service thumbnailer (prod)');
    expect(sent[1]!.summary).toContain('Fargate Spot is taking back task 8d2e4f6a of service thumbnailer (prod)');
    expect(sent[1]!.summary).toContain('Spot interruption 2 of this service in 24 hours.');
  });
});

describe('scenario: a deployment fails and nothing rolls it back', () => {
  it('tells the failure as an update of the open trouble alert, a minute later, since no rollback says more', async () => {
    const { sent } = await replayAlerts(scenario('test/fixtures/deployment-rollback.no-rollback.jsonl'));

    expect(sent.map((alert) => [alert.kind, alert.severity, alert.title])).toEqual([
      ['new', 'critical', 'Deployment in trouble – service checkout (shop-prod): 3 tasks failed'],
      ['follow-up', 'critical', 'Deployment failed – service checkout (shop-prod)'],
    ]);
    // The recorded DescribeServiceDeployments answer of checkout was taken while it rolled back; this story shares it.
    expect(sent[1]!.summary).toBe('Deployment ecs-svc/5830265113750824417 of service checkout (shop-prod): 3 tasks failed — 3× image pull failed; ECS deployment circuit breaker: task failed to start. The service runs 4 of 4 tasks. ECS reports the rollback in progress (ROLLBACK_IN_PROGRESS): The circuit breaker initiated the rollback operation.');
  });

  it('tells nothing more when the rollback follows within the minute: the rollback update says both', async () => {
    const { sent } = await replayAlerts(scenario('deployment-rollback'));
    expect(sent.map((alert) => alert.title)).not.toContain('Deployment failed – service checkout (shop-prod)');
  });
});

describe('scenario: a scheduled one-off task fails, and its next run succeeds', () => {
  it('names what launched the failed run, and resolves its alert when a later run of the family succeeds', async () => {
    const { sent } = await replayAlerts(scenario('one-off-task-fails-then-succeeds'));

    expect(sent.map((alert) => [alert.kind, alert.title])).toEqual([
      ['new', 'Task failed to start – task ledger-export (batch)'],
      ['resolved', 'Resolved: Task failed to start – task ledger-export (batch)'],
    ]);
    expect(sent[0]!.summary).toBe('Task eac56a3b of task ledger-export (batch), started by events-rule/ledger-export-hourly, stopped (TaskFailedToStart): Task failed to start.');
    expect(sent[1]!.summary).toMatch(/^Task 5b1f0c2e8a9d4e7f9c3a1b2d4e6f8a0c of the same task family completed successfully at 2025-03-14T12:03:25Z\./);
  });

  it('keeps a service task’s summary free of its deployment id', async () => {
    const { sent } = await replayAlerts(scenario('deployment-rollback'));
    expect(sent.some((alert) => alert.summary.includes('started by'))).toBe(false);
  });
});

describe('scenario: a crash loop, then recovery', () => {
  it('warns once, then raises one critical crash-loop alert naming the cause, folds the rest in, and resolves on steady state', async () => {
    const { sent } = await replayAlerts(scenario('oom-crash-loop'));
    expect(told(sent)).toEqual([
      ['new', 'warning', 'Out of memory – service orders-api (prod)'],
      ['new', 'critical', 'Crash loop – service orders-api (prod): 3 tasks stopped in 10 min'],
      ['follow-up', 'critical', 'Crash loop – service orders-api (prod): 5 more tasks in 5 min'],
      ['resolved', 'critical', 'Resolved: Crash loop – service orders-api (prod)'],
    ]);
  });
});

describe('scenario: Fargate Spot takes one task of three', () => {
  it('sends one warning, no page, with the task counts from the ECS API, and folds the task’s stop into it', async () => {
    const { sent, outcomes } = await replayAlerts(scenario('fargate-spot-one-of-three'));
    expect(outcomes).toEqual(['alert', 'suppressed:info', 'grouped', 'resolved']);
    expect(told(sent)).toEqual([
      ['new', 'warning', 'Spot interruption warning – service thumbnailer (prod)'],
      ['resolved', 'warning', 'Resolved: Spot interruption warning – service thumbnailer (prod)'],
    ]);
    expect(sent[0]!.summary).toBe(
      'Fargate Spot is taking back task 3f1c5e8a of service thumbnailer (prod): it got SIGTERM and stops in about two minutes. 2 of 3 tasks running. First Spot interruption of this service in 24 hours.',
    );
    expect(sent.every((alert) => alert.severity !== 'critical')).toBe(true);
  });
});

describe('scenario: an EC2 Spot instance running tasks of two services is reclaimed', () => {
  it('sends one warning naming both services, folds the draining into it, and tells the task stops in its follow-up', async () => {
    const { sent, outcomes } = await replayAlerts(scenario('ec2-spot-two-services'));
    expect(outcomes).toEqual(['suppressed:info', 'suppressed:info', 'alert', 'grouped', 'grouped', 'grouped', 'suppressed:info']);
    expect(told(sent)).toEqual([
      ['new', 'warning', 'EC2 Spot interruption warning – instance i-0b1c2d3e4f5a6b7c8 (batch-ec2)'],
      ['follow-up', 'warning', 'Spot interruption – instance i-0b1c2d3e4f5a6b7c8 (batch-ec2): 2 more tasks in 5 min'],
    ]);
    expect(sent[1]!.summary).toBe('2 more tasks of instance i-0b1c2d3e4f5a6b7c8 (batch-ec2) stopped within 5 minutes of the first alert: Host EC2 (instance i-0b1c2d3e4f5a6b7c8) terminated.');
    expect(sent[1]!.key).toBe(sent[0]!.key);
    expect(sent[0]!.summary).toContain('On it: 1 task of service ingest, 1 task of service reports.');
    expect(sent[0]!.key).toBe('111122223333|us-east-1|batch-ec2|instance:i-0b1c2d3e4f5a6b7c8|ec2_spot_interruption_warning');
  });
});

describe('scenario: AWS schedules the retirement of Fargate tasks', () => {
  it('sends one notice naming the tasks, which ones their service replaces and which to relaunch', async () => {
    const event = JSON.parse(readFileSync(`${EVENTS_DIR}health/fargate-task-retirement.json`, 'utf8')) as Record<string, unknown>;
    const { sent } = await replayAlerts([event]);
    expect(told(sent)).toEqual([['new', 'warning', 'Fargate task retirement scheduled – cluster examplecluster']]);
    expect(sent[0]!.summary).toMatch(
      /^AWS will retire 2 Fargate tasks for maintenance from .+\. 1 of service web \(00805ce1d81940b5a37398e5a2c23333\): the service replaces them by itself\. 1 standalone \(00805ce1d81940b5a37398e5a2c25555\): relaunch them yourself, before the date if they must not be cut off\.$/,
    );
  });
});
