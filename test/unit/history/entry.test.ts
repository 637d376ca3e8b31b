import { describe, expect, it } from 'vitest';
import { MAX_CONTAINERS, MAX_REASON_LENGTH, readStoppedTaskEntry, stoppedTaskEntry } from '../../../lib/history/entry.ts';
import { evaluate } from '../../../lib/pipeline/evaluate.ts';
import { taskEvent } from '../../support/events.ts';
import { detailOf, loadFixture } from '../../support/fixtures.ts';
import { sampleStoppedTask } from '../../support/store-contract.ts';

function verdictOf(event: Record<string, unknown>) {
  return evaluate(event, 'test').verdict;
}

function fixture(path: string, detail: Record<string, unknown> = {}): Record<string, unknown> {
  const event = loadFixture(path);
  event.detail = { ...detailOf(event), ...detail };
  return event;
}

describe('stoppedTaskEntry', () => {
  it('keeps what a person asks about a stopped task: where, which task, why, and each exit code', () => {
    expect(stoppedTaskEntry(verdictOf(loadFixture('task/stopped-oom.json')))).toEqual({
      time: '2025-03-14T09:26:51.000Z',
      account: '111122223333',
      region: 'us-west-2',
      cluster: 'prod',
      service: 'orders-api',
      group: 'service:orders-api',
      taskArn: 'arn:aws:ecs:us-west-2:111122223333:task/prod/77ea7336e48e3a4e63c55244182d37c0',
      taskDefinition: 'orders-api:212',
      category: 'oom',
      severity: 'warning',
      stopCode: 'EssentialContainerExited',
      reason: 'Essential container in task exited',
      containers: [
        { name: 'orders-api', exitCode: 137, reason: 'OutOfMemoryError: Container killed due to memory usage' },
        { name: 'envoy', exitCode: 143, reason: null },
      ],
      deploymentId: 'ecs-svc/9571171551795520066',
      spot: false,
      startedBy: 'ecs-svc/9571171551795520066',
    });
  });

  it('files a standalone task without a service, and a Spot stop as Spot', () => {
    const job = stoppedTaskEntry(verdictOf(loadFixture('task/stopped-standalone-job-completed.json')));
    const spot = stoppedTaskEntry(verdictOf(loadFixture('task/stopped-spot-interruption.json')));

    expect(job).toMatchObject({ service: null, category: 'task_completed' });
    expect(job?.group).toMatch(/^family:/);
    expect(spot).toMatchObject({ category: 'spot_interruption', spot: true });
  });

  it('returns null for anything that is not a stopped task', () => {
    for (const path of ['task/lifecycle-running.json', 'task/spot-warning-running.json', 'task/deprovisioning-scale-in.json', 'service-action/steady-state.json', 'deployment/failed-circuit-breaker.json', 'container-instance/draining.json']) {
      expect(stoppedTaskEntry(verdictOf(loadFixture(path))), path).toBeNull();
    }
  });

  it('returns null for a stop it could not file: no time, no task ARN, or no cluster', () => {
    const untimed = loadFixture('task/stopped-oom.json');
    untimed.time = 'not a time';
    const noTask = fixture('task/stopped-oom.json', { taskArn: undefined });
    noTask.resources = [];
    const noCluster = fixture('task/stopped-oom.json', { clusterArn: undefined, taskArn: 'arn:aws:ecs:us-west-2:111122223333:task/77ea7336e48e3a4e63c55244182d37c0' });
    noCluster.resources = [];

    expect(stoppedTaskEntry(verdictOf(untimed))).toBeNull();
    expect(stoppedTaskEntry(verdictOf(noTask))).toBeNull();
    expect(stoppedTaskEntry(verdictOf(noCluster))).toBeNull();
  });

  it('bounds the reasons, the container names and the number of containers, so an entry stays small', () => {
    const containers = Array.from({ length: 14 }, (_, index) => ({ name: `c${index}-${'n'.repeat(300)}`, exitCode: index, reason: 'r'.repeat(2_000) }));
    const entry = stoppedTaskEntry(verdictOf(taskEvent({ stopCode: 'EssentialContainerExited', stoppedReason: 'x'.repeat(5_000) }, containers)));

    expect(entry?.reason).toHaveLength(MAX_REASON_LENGTH);
    expect(entry?.reason?.endsWith('…')).toBe(true);
    expect(entry?.containers).toHaveLength(MAX_CONTAINERS);
    expect(Math.max(...(entry?.containers ?? []).map((container) => container.name.length))).toBeLessThanOrEqual(255);
    expect(Math.max(...(entry?.containers ?? []).map((container) => container.reason?.length ?? 0))).toBeLessThanOrEqual(500);
    expect(JSON.stringify(entry).length).toBeLessThan(12_000);
  });

  it('keeps untrusted text as the event gave it: each output escapes it for itself', () => {
    const hostile = '<script>alert(1)</script> & \u001b[2J';
    const entry = stoppedTaskEntry(verdictOf(taskEvent({ stopCode: 'EssentialContainerExited', stoppedReason: hostile }, [{ name: hostile, exitCode: 1 }])));

    expect(entry?.reason).toBe(hostile);
    expect(entry?.containers[0]?.name).toBe(hostile);
  });
});

describe('readStoppedTaskEntry', () => {
  it('reads back an entry as written, dropping attributes it does not know (keys, TTL)', () => {
    const entry = sampleStoppedTask();

    expect(readStoppedTaskEntry({ ...entry, pk: 'history#prod', sk: 'x', expiresAt: 1 })).toEqual(entry);
  });

  it('refuses an item with a missing field, a wrong type, an unknown category or a malformed container', () => {
    const entry: Record<string, unknown> = { ...sampleStoppedTask() };
    const broken = [
      { ...entry, time: undefined },
      { ...entry, cluster: 7 },
      { ...entry, service: 3 },
      { ...entry, reason: undefined },
      { ...entry, spot: 'no' },
      { ...entry, category: 'not_a_category' },
      { ...entry, severity: 'fatal' },
      { ...entry, containers: 'web=1' },
      { ...entry, containers: [{ name: 'web', exitCode: '1', reason: null }] },
      { ...entry, containers: [{ exitCode: 1, reason: null }] },
      null,
      'entry',
    ];
    for (const item of broken) expect(readStoppedTaskEntry(item), JSON.stringify(item)).toBeNull();
  });
});
