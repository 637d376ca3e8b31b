import { describe, expect, it } from 'vitest';
import { alertOnEvent, type AlertingDeps } from '../../../lib/pipeline/decide.ts';
import type { Alert } from '../../../lib/alerts/alert.ts';
import { applyAlert, closeQuietly, DEFAULT_GROUPING, openGroup, resolveGroup } from '../../../lib/alerts/grouping.ts';
import { countFailure, DEFAULT_CRASH_LOOP } from '../../../lib/trackers/deploy/crash-loop.ts';
import { trackDeployment } from '../../../lib/trackers/deploy/deployments.ts';
import { evaluate } from '../../../lib/pipeline/evaluate.ts';
import { countInterruption } from '../../../lib/trackers/spot/track.ts';
import { MemoryStore } from '../../../lib/store/memory-store.ts';
import { sampleAlert } from '../../support/alerts.ts';
import { deploymentEvent, serviceActionEvent, taskEvent, verdictOf } from '../../support/events.ts';

// What EventBridge's missing order does to a story, one rule at a time: a late event folds into what was resolved, a
// recovery seen first resolves the alert that arrives after it, a story's parts find each other whichever comes first.

const SCOPE = '111122223333|us-west-2|prod|service:api';

function alertAt(time: string, task = 'aaaaaaaa1'): Alert {
  const alert = sampleAlert({ time });
  alert.facts.taskArn = `arn:aws:ecs:us-west-2:111122223333:task/prod/${task}`;
  return alert;
}

function resolvedAt(time: string) {
  const opened = openGroup(null, alertAt('2025-06-02T14:00:00Z'), SCOPE, 'e1', DEFAULT_GROUPING).state!;
  return resolveGroup(opened, { what: 'Service api reached steady state', time, eventId: 'steady' }).state!;
}

describe('a resolved group and the events from before its resolution', () => {
  it('folds a late failure into what was resolved: counted, told to no one, the group stays resolved', () => {
    const resolved = resolvedAt('2025-06-02T14:10:00Z');
    const step = applyAlert(resolved, alertAt('2025-06-02T14:05:00Z', 'bbbbbbbb2'), SCOPE, 'late', DEFAULT_GROUPING);
    expect(step.outcome).toEqual({ outcome: 'suppressed', suppressedBecause: 'late' });
    expect(step.messages).toEqual([]);
    expect(step.state).toMatchObject({ status: 'resolved', eventCount: resolved.eventCount + 1 });
    expect(step.state!.recentEventIds).toContain('late');
  });

  it('opens the group again for a failure after the resolution, or at the same second (which came first is unknown)', () => {
    const resolved = resolvedAt('2025-06-02T14:10:00Z');
    for (const time of ['2025-06-02T14:10:00Z', '2025-06-02T14:20:00Z']) {
      const step = applyAlert(resolved, alertAt(time, 'cccccccc3'), SCOPE, `after-${time}`, DEFAULT_GROUPING);
      expect(step.outcome).toEqual({ outcome: 'alert' });
      expect(step.messages.map((message) => message.kind)).toEqual(['new']);
      expect(step.state).toMatchObject({ status: 'firing', openedAt: time });
    }
  });

  it('keeps a tracker from opening it again with an alert from before the resolution, once per event', () => {
    const resolved = resolvedAt('2025-06-02T14:10:00Z');
    const late = openGroup(resolved, alertAt('2025-06-02T14:04:00Z'), SCOPE, 'late', DEFAULT_GROUPING);
    expect(late.messages).toEqual([]);
    expect(late.state).toMatchObject({ status: 'resolved', eventCount: resolved.eventCount + 1 });
    expect(openGroup(late.state, alertAt('2025-06-02T14:04:00Z'), SCOPE, 'late', DEFAULT_GROUPING)).toEqual({ state: null, messages: [] });
  });

  it('treats a group closed by the alert that took it over the same way', () => {
    const opened = openGroup(null, alertAt('2025-06-02T14:00:00Z'), SCOPE, 'e1', DEFAULT_GROUPING).state!;
    const closed = closeQuietly(opened, '2025-06-02T14:03:00Z').state!;
    expect(closed).toMatchObject({ status: 'resolved', resolvedAt: '2025-06-02T14:03:00Z' });
    expect(applyAlert(closed, alertAt('2025-06-02T14:02:00Z', 'dddddddd4'), SCOPE, 'e2', DEFAULT_GROUPING).outcome).toEqual({ outcome: 'suppressed', suppressedBecause: 'late' });
  });
});

function deps(): { deps: AlertingDeps; sent: Alert[] } {
  const sent: Alert[] = [];
  return { deps: { store: new MemoryStore(), notifier: { publish: async (alert) => void sent.push(alert) }, grouping: DEFAULT_GROUPING }, sent };
}

function oomStop(time: string, task: string, id: string): Record<string, unknown> {
  return {
    ...taskEvent({ stopCode: 'EssentialContainerExited', stoppedReason: 'Essential container in task exited', taskArn: `arn:aws:ecs:us-west-2:111122223333:task/prod/${task}` }, [
      { name: 'web', exitCode: 137, reason: 'OutOfMemoryError: Container killed due to memory usage' },
    ]),
    id,
    time,
  };
}

function steadyState(time: string): Record<string, unknown> {
  return { ...serviceActionEvent({ eventType: 'INFO', eventName: 'SERVICE_STEADY_STATE', createdAt: time }), id: `steady-${time}`, time };
}

describe('a recovery delivered before the failure it ends', () => {
  it('tells the late failure with its resolved notice at once, naming the recovery', async () => {
    const { deps: alerting, sent } = deps();
    await alertOnEvent(evaluate(steadyState('2025-03-14T09:40:00Z'), 'test'), alerting);
    await alertOnEvent(evaluate(oomStop('2025-03-14T09:30:00Z', '0a1b2c3d4e5f60718293a4b5c6d7e8f9', 'oom-1'), 'test'), alerting);
    expect(sent.map((alert) => [alert.kind, alert.status])).toEqual([
      ['new', 'firing'],
      ['resolved', 'resolved'],
    ]);
    expect(sent[1]!.summary).toMatch(/^Service api reached steady state at 2025-03-14T09:40:00Z\./);
    expect(sent[1]!.key).toBe(sent[0]!.key);
  });

  it('leaves a failure after the recovery firing: it is a new problem', async () => {
    const { deps: alerting, sent } = deps();
    await alertOnEvent(evaluate(steadyState('2025-03-14T09:40:00Z'), 'test'), alerting);
    await alertOnEvent(evaluate(oomStop('2025-03-14T09:45:00Z', '0a1b2c3d4e5f60718293a4b5c6d7e8f9', 'oom-1'), 'test'), alerting);
    expect(sent.map((alert) => alert.kind)).toEqual(['new']);
  });

  it('stamps every message with since when its group fires and how many events it counted', async () => {
    const { deps: alerting, sent } = deps();
    await alertOnEvent(evaluate(oomStop('2025-03-14T09:30:00Z', '0a1b2c3d4e5f60718293a4b5c6d7e8f9', 'oom-1'), 'test'), alerting);
    await alertOnEvent(evaluate(oomStop('2025-03-14T09:31:00Z', '1a1b2c3d4e5f60718293a4b5c6d7e8f9', 'oom-2'), 'test'), alerting);
    await alertOnEvent(evaluate(steadyState('2025-03-14T09:40:00Z'), 'test'), alerting);
    // The second stop, folded into the window the recovery closed, is counted in the resolved notice.
    expect(sent.map((alert) => [alert.kind, alert.firing])).toEqual([
      ['new', { since: '2025-03-14T09:30:00Z', events: 1 }],
      ['resolved', { since: '2025-03-14T09:30:00Z', events: 2 }],
    ]);
  });
});

describe('countFailure, in any delivery order', () => {
  const failure = (minute: number, task: string) => verdictOf({ ...oomStop(`2025-03-14T09:${String(minute).padStart(2, '0')}:00Z`, task, task), id: task });

  it('makes a loop with failures before and after a late one, within the window either side', () => {
    let record = { failures: [] as { time: string; category: string; task: string }[] };
    for (const [minute, task] of [
      [20, 'c0000000000000000000000000000003'],
      [18, 'b0000000000000000000000000000002'],
    ] as const)
      record = countFailure(record, failure(minute, task), DEFAULT_CRASH_LOOP).record;
    const late = countFailure(record, failure(11, 'a0000000000000000000000000000001'), DEFAULT_CRASH_LOOP);
    expect(late.looping).toBe(true);
    expect(late.tasks).toEqual(['a0000000000000000000000000000001', 'b0000000000000000000000000000002', 'c0000000000000000000000000000003']);
  });

  it('does not count a failure more than the window away, before or after', () => {
    let record = { failures: [] as { time: string; category: string; task: string }[] };
    for (const [minute, task] of [
      [40, 'c0000000000000000000000000000003'],
      [25, 'b0000000000000000000000000000002'],
    ] as const)
      record = countFailure(record, failure(minute, task), DEFAULT_CRASH_LOOP).record;
    const counted = countFailure(record, failure(14, 'a0000000000000000000000000000001'), DEFAULT_CRASH_LOOP);
    expect(counted.looping).toBe(false);
    expect(counted.tasks).toEqual(['a0000000000000000000000000000001']);
  });
});

describe('countInterruption', () => {
  it('numbers a service’s Spot interruptions by event time, whatever order they arrive in', () => {
    const later = countInterruption({ interruptions: [] }, 'task-b', '2025-10-09T03:52:00Z');
    expect(later.result).toEqual({ nth: 1, news: true });
    const earlier = countInterruption(later.value!, 'task-a', '2025-10-09T03:12:00Z');
    expect(earlier.result).toEqual({ nth: 1, news: true });
    const again = countInterruption(earlier.value!, 'task-b', '2025-10-09T03:53:58Z');
    // The same task's second warning event (DEPROVISIONING) is the same interruption: nothing to write.
    expect(again).toEqual({ value: null, result: { nth: 2, news: false } });
  });

  it('forgets interruptions older than a day', () => {
    const old = countInterruption({ interruptions: [] }, 'task-a', '2025-10-08T03:00:00Z');
    const next = countInterruption(old.value!, 'task-b', '2025-10-09T03:00:01Z');
    expect(next.result).toEqual({ nth: 1, news: true });
    expect(next.value!.interruptions.map((interruption) => interruption.task)).toEqual(['task-b']);
  });
});

describe('a rollback delivered before the deployment it replaces', () => {
  const rollback = (time: string) => verdictOf({ ...deploymentEvent({ deploymentId: 'ecs-svc/3', reason: 'ECS deployment circuit breaker: rolling back to deploymentId ecs-svc/1.' }), time });
  const failed = (time: string) => verdictOf({ ...deploymentEvent({ deploymentId: 'ecs-svc/2', eventName: 'SERVICE_DEPLOYMENT_FAILED', eventType: 'ERROR', reason: 'ECS deployment circuit breaker: task failed to start.' }), time });

  it('is linked to the failure that comes after it, within minutes', () => {
    const seen = trackDeployment({ deployments: [] }, rollback('2025-09-16T10:04:31Z'));
    expect(seen.action).toEqual({ type: 'ignore' });
    const linked = trackDeployment(seen.record, failed('2025-09-16T10:04:30Z'));
    expect(linked.action).toMatchObject({ type: 'tracked', tell: 'trouble', deployment: { id: 'ecs-svc/2', status: 'rolling_back', rolledBackBy: 'ecs-svc/3', rolledBackTo: 'ecs-svc/1' } });
  });

  it('is taken as over when it completed before the failure arrived', () => {
    const started = trackDeployment({ deployments: [] }, rollback('2025-09-16T10:04:31Z')).record;
    const completed = trackDeployment(started, verdictOf({ ...deploymentEvent({ deploymentId: 'ecs-svc/3', eventName: 'SERVICE_DEPLOYMENT_COMPLETED' }), time: '2025-09-16T10:09:40Z' })).record;
    expect(trackDeployment(completed, failed('2025-09-16T10:04:30Z')).action).toMatchObject({ deployment: { status: 'rolled_back', rolledBackBy: 'ecs-svc/3' } });
  });

  it('is linked up to five minutes after the failure, not once it replaces another deployment', () => {
    const seen = trackDeployment({ deployments: [] }, rollback('2025-09-16T10:09:30Z')).record;
    expect(trackDeployment(seen, failed('2025-09-16T10:04:30Z')).action).toMatchObject({ deployment: { rolledBackBy: 'ecs-svc/3' } });
    expect(trackDeployment(seen, failed('2025-09-16T10:04:29Z')).action).toMatchObject({ deployment: { rolledBackBy: null } });
    const taken = { deployments: [...seen.deployments, { ...seen.deployments[0]!, id: 'ecs-svc/9', rollsBackTo: null, rolledBackBy: 'ecs-svc/3' }] };
    expect(trackDeployment(taken, failed('2025-09-16T10:09:00Z')).action).toMatchObject({ deployment: { rolledBackBy: null } });
  });

  it('is not linked to a failure long before it, nor after it', () => {
    const seen = trackDeployment({ deployments: [] }, rollback('2025-09-16T10:04:31Z')).record;
    for (const time of ['2025-09-16T09:59:00Z', '2025-09-16T10:04:32Z']) {
      expect(trackDeployment(seen, failed(time)).action).toMatchObject({ deployment: { status: 'failed', rolledBackBy: null } });
    }
  });
});

describe('task stops delivered before their deployment’s events', () => {
  function pullFailure(minute: number, id: string): Record<string, unknown> {
    return {
      ...taskEvent(
        { stopCode: 'TaskFailedToStart', stoppedReason: 'CannotPullContainerError: pull access denied', startedBy: 'ecs-svc/2', taskArn: `arn:aws:ecs:us-west-2:111122223333:task/prod/${id.padEnd(32, '0')}` },
        [{ name: 'web', reason: 'CannotPullContainerError: pull access denied' }],
      ),
      id,
      time: `2025-03-14T09:1${minute}:00Z`,
    };
  }

  it('are counted against it: its start, delivered last, tells the trouble and ends the alerts they raised, quietly', async () => {
    const { deps: alerting, sent } = deps();
    for (const [minute, id] of [
      [1, 'f1'],
      [2, 'f2'],
      [3, 'f3'],
    ] as const)
      await alertOnEvent(evaluate(pullFailure(minute, id), 'test'), alerting);
    const before = sent.length;
    expect(sent.map((alert) => alert.category)).toContain('image_pull_failure');
    await alertOnEvent(evaluate({ ...deploymentEvent({ deploymentId: 'ecs-svc/2' }), time: '2025-03-14T09:10:00Z' }, 'test'), alerting);
    const told = sent.slice(before);
    expect(told.map((alert) => [alert.kind, alert.severity, alert.title])).toEqual([['new', 'critical', 'Deployment in trouble – service api (prod): 3 tasks failed']]);
    for (const key of new Set(sent.slice(0, before).map((alert) => alert.key))) expect((await alerting.store.getGroup(key))?.state.status).toBe('resolved');
    expect(sent.filter((alert) => alert.kind === 'resolved')).toEqual([]);
  });
});

describe('the task definition’s essential flags', () => {
  const job = {
    ...taskEvent({ group: 'family:nightly-export', startedBy: 'events-rule/nightly-export', stopCode: 'EssentialContainerExited', stoppedReason: 'Essential container in task exited' }, [
      { name: 'job', exitCode: 137 },
      { name: 'sidecar', exitCode: 0 },
    ]),
    id: 'job-stopped',
  };
  const definition = { containers: [{ name: 'job', essential: true, awslogs: null }, { name: 'sidecar', essential: false, awslogs: null }] };

  it('keep a job killed beside a sidecar that exited 0 from passing for a completed run', async () => {
    const { deps: alerting, sent } = deps();
    const decision = await alertOnEvent(evaluate(job, 'test'), { ...alerting, taskDefinitions: async () => definition });
    expect(decision.verdict).toMatchObject({ category: 'app_error_exit', containers: [{ name: 'job', essential: true }, { name: 'sidecar', essential: false }] });
    expect(sent.map((alert) => [alert.kind, alert.category])).toEqual([['new', 'app_error_exit']]);
  });

  it('leave the verdict as the event gives it when the definition cannot be looked up', async () => {
    const { deps: alerting, sent } = deps();
    const decision = await alertOnEvent(evaluate(job, 'test'), { ...alerting, taskDefinitions: async () => null });
    expect(decision.verdict).toBeUndefined();
    expect(decision.outcome).toEqual({ outcome: 'suppressed', suppressedBecause: 'info' });
    expect(sent).toEqual([]);
  });
});

describe('which task events are classified again with the task definition', () => {
  it('those where a container of several has stopped, not routine state changes', () => {
    const stopped = evaluate({ ...taskEvent({ stopCode: 'EssentialContainerExited' }, [{ name: 'job', exitCode: 137 }, { name: 'sidecar', exitCode: 0 }]), id: 'stopped' }, 'test');
    const running = evaluate({ ...taskEvent({ lastStatus: 'RUNNING', desiredStatus: 'RUNNING' }, [{ name: 'job', lastStatus: 'RUNNING' }, { name: 'sidecar', lastStatus: 'RUNNING' }]), id: 'running' }, 'test');
    const single = evaluate({ ...taskEvent({ stopCode: 'EssentialContainerExited' }, [{ name: 'job', exitCode: 1 }]), id: 'single' }, 'test');
    expect([stopped.refine !== undefined, running.refine !== undefined, single.refine !== undefined]).toEqual([true, false, false]);
  });
});
