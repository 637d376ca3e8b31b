import { describe, expect, it } from 'vitest';
import { alertOnEvent, type AlertingDeps } from '../../../lib/pipeline/decide.ts';
import type { Alert } from '../../../lib/alerts/alert.ts';
import { DEFAULT_GROUPING } from '../../../lib/alerts/grouping.ts';
import type { ServiceSnapshot } from '../../../lib/aws/services.ts';
import { countFailure } from '../../../lib/trackers/deploy/crash-loop.ts';
import { deploymentOfFailedTask, DEFAULT_DEPLOYMENT_CONFIG, failedTaskTell, MAX_FAILED_TASKS, trackDeployment, withTally } from '../../../lib/trackers/deploy/deployments.ts';
import { evaluate } from '../../../lib/pipeline/evaluate.ts';
import { MemoryStore } from '../../../lib/store/memory-store.ts';
import { deploymentEvent, serviceActionEvent, taskEvent, verdictOf } from '../../support/events.ts';

function failedTask(minute: number, deploymentId = 'ecs-svc/2'): Record<string, unknown> {
  return {
    ...taskEvent(
      { stopCode: 'TaskFailedToStart', stoppedReason: 'CannotPullContainerError: pull access denied', startedBy: deploymentId, taskArn: `arn:aws:ecs:us-west-2:111122223333:task/prod/${minute}0000000000000000000000000000000`.slice(0, 70) },
      [{ name: 'web', reason: 'CannotPullContainerError: pull access denied' }],
    ),
    id: `failed-${minute}`,
    time: `2025-03-14T09:${String(10 + minute).padStart(2, '0')}:00Z`,
  };
}

describe('trackDeployment', () => {
  it('counts failed tasks against the deployment that started them, and says "in trouble" at the threshold', async () => {
    const record = trackDeployment({ deployments: [] }, verdictOf(deploymentEvent({ deploymentId: 'ecs-svc/2' }))).record;
    const store = new MemoryStore();
    const tells: (string | null)[] = [];
    for (const minute of [1, 2, 3, 4, 4]) {
      const verdict = verdictOf(failedTask(minute));
      const deployment = deploymentOfFailedTask(record, verdict)!;
      const tally = await store.addToTally('deployment-failures', 'prod', String(verdict.taskArn), verdict.category, verdict.time!, { taskDefinition: 'api:42' });
      tells.push(tally === null ? 'duplicate' : failedTaskTell(deployment, tally, DEFAULT_DEPLOYMENT_CONFIG));
    }
    expect(tells).toEqual([null, null, 'trouble', null, 'duplicate']);
    const counted = withTally(record.deployments[0]!, await store.getTally('deployment-failures', 'prod'), DEFAULT_DEPLOYMENT_CONFIG);
    expect(counted).toMatchObject({ id: 'ecs-svc/2', status: 'in_progress', failures: { image_pull_failure: 4 }, taskDefinition: 'api:42', alerted: true });
    expect(counted.failedTasks).toHaveLength(4);
  });

  it('folds the stops of a failed or rolled-back deployment into it, and lets those of a completed one alert apart', () => {
    const started = trackDeployment({ deployments: [] }, verdictOf(deploymentEvent({ deploymentId: 'ecs-svc/2' }))).record;
    const failed = trackDeployment(started, verdictOf(deploymentEvent({ deploymentId: 'ecs-svc/2', eventName: 'SERVICE_DEPLOYMENT_FAILED', eventType: 'ERROR' }))).record;
    expect(deploymentOfFailedTask(failed, verdictOf(failedTask(5)))).toMatchObject({ id: 'ecs-svc/2', status: 'failed' });
    const completed = trackDeployment(started, verdictOf(deploymentEvent({ deploymentId: 'ecs-svc/2', eventName: 'SERVICE_DEPLOYMENT_COMPLETED' }))).record;
    expect(deploymentOfFailedTask(completed, verdictOf(failedTask(5)))).toBeNull();
  });

  it('counts a failure against the deployment its startedBy names, among the service’s deployments', () => {
    const first = trackDeployment({ deployments: [] }, verdictOf(deploymentEvent({ deploymentId: 'ecs-svc/1' }))).record;
    const both = trackDeployment(first, verdictOf(deploymentEvent({ deploymentId: 'ecs-svc/2' }))).record;
    expect(deploymentOfFailedTask(both, verdictOf(failedTask(1, 'ecs-svc/1')))?.id).toBe('ecs-svc/1');
    expect(deploymentOfFailedTask(both, verdictOf(failedTask(1, 'ecs-svc/2')))?.id).toBe('ecs-svc/2');
  });

  it('takes every failed task id from the tally, sorted and capped, and says alerted from the threshold on', () => {
    const deployment = trackDeployment({ deployments: [] }, verdictOf(deploymentEvent({ deploymentId: 'ecs-svc/2' }))).record.deployments[0]!;
    const members = Array.from({ length: MAX_FAILED_TASKS + 1 }, (_, index) => `task-${String(MAX_FAILED_TASKS + 1 - index).padStart(5, '0')}`);
    const big = withTally(deployment, { total: members.length, byCategory: { out_of_memory: members.length }, members, first: {} }, DEFAULT_DEPLOYMENT_CONFIG);
    expect(big.failedTasks).toHaveLength(MAX_FAILED_TASKS);
    expect(big.failedTasks.slice(0, 2)).toEqual(['task-00001', 'task-00002']);
    const tally = (total: number) => ({ total, byCategory: { out_of_memory: total }, members: members.slice(0, total), first: {} });
    expect([2, 3].map((total) => withTally(deployment, tally(total), DEFAULT_DEPLOYMENT_CONFIG).alerted)).toEqual([false, true]);
    expect(withTally(deployment, null, DEFAULT_DEPLOYMENT_CONFIG)).toBe(deployment);
  });

  it('leaves failures of a deployment it does not know to ordinary alerting', () => {
    expect(deploymentOfFailedTask({ deployments: [] }, verdictOf(failedTask(1, 'ecs-svc/9')))).toBeNull();
    expect(trackDeployment({ deployments: [] }, verdictOf(failedTask(1, 'ecs-svc/9'))).action).toEqual({ type: 'ignore' });
  });

  it('links a rollback to the deployment it replaces and the one it goes back to', () => {
    let record = trackDeployment({ deployments: [] }, verdictOf(deploymentEvent({ deploymentId: 'ecs-svc/2' }))).record;
    const rollback = trackDeployment(
      record,
      verdictOf(deploymentEvent({ deploymentId: 'ecs-svc/3', reason: 'ECS deployment circuit breaker: rolling back to deploymentId ecs-svc/1.' }))
    );
    record = rollback.record;
    expect(rollback.action).toMatchObject({ type: 'tracked', tell: 'trouble', deployment: { id: 'ecs-svc/2', status: 'rolling_back', rolledBackBy: 'ecs-svc/3', rolledBackTo: 'ecs-svc/1' } });
    const done = trackDeployment(record, verdictOf(deploymentEvent({ deploymentId: 'ecs-svc/3', eventName: 'SERVICE_DEPLOYMENT_COMPLETED' })));
    expect(done.action).toMatchObject({ type: 'completed', rolledBack: { id: 'ecs-svc/2', status: 'rolled_back' } });
  });
});

describe('countFailure', () => {
  it('finds a crash loop at three different tasks within ten minutes, not at the same task twice', () => {
    const config = { threshold: 3, windowMinutes: 10 };
    let record = { failures: [] as { time: string; category: string; task: string }[] };
    const looping: boolean[] = [];
    for (const event of [failedTask(1), failedTask(1), failedTask(2), failedTask(30), failedTask(31), failedTask(32)]) {
      const next = countFailure(record, verdictOf(event), config);
      record = next.record;
      looping.push(next.looping);
    }
    expect(looping).toEqual([false, false, false, false, false, true]);
  });
});

describe('Spot trackers', () => {
  function deps(services?: (cluster: string, service: string) => Promise<ServiceSnapshot | null>): AlertingDeps & { sent: Alert[] } {
    const sent: Alert[] = [];
    return { sent, store: new MemoryStore(), notifier: { publish: async (alert) => void sent.push(alert) }, grouping: DEFAULT_GROUPING, lookups: services === undefined ? {} : { services } };
  }

  it('pages when a Spot interruption leaves the service no running task', async () => {
    const alerting = deps(async () => ({ serviceArn: 'x', serviceName: 'api', clusterArn: 'y', status: 'ACTIVE', desiredCount: 1, runningCount: 0, pendingCount: 1, taskDefinition: null, capacityProviders: ['FARGATE_SPOT'], deployments: [] }));
    const warning = taskEvent({ lastStatus: 'RUNNING', desiredStatus: 'STOPPED', stopCode: 'SpotInterruption', stoppedReason: 'Your Spot Task was interrupted.' }, [{ name: 'web', lastStatus: 'RUNNING' }]);
    await alertOnEvent(evaluate(warning, 'test'), alerting);
    expect(alerting.sent.map((alert) => alert.severity)).toEqual(['critical']);
    expect(alerting.sent[0]!.summary).toContain('No task of the service is left running.');
  });

  it('warns, and still sends the alert, when the ECS API cannot say how many tasks run', async () => {
    const alerting = deps(async () => null);
    const warning = taskEvent({ lastStatus: 'RUNNING', desiredStatus: 'STOPPED', stopCode: 'SpotInterruption', stoppedReason: 'Your Spot Task was interrupted.' }, [{ name: 'web', lastStatus: 'RUNNING' }]);
    await alertOnEvent(evaluate(warning, 'test'), alerting);
    expect(alerting.sent.map((alert) => alert.severity)).toEqual(['warning']);
  });

  it('pages once Fargate Spot has failed to place the service’s tasks for longer than the outage time', async () => {
    const alerting = deps();
    const spotProvider = ['arn:aws:ecs:us-west-2:111122223333:capacity-provider/FARGATE_SPOT'];
    const failure = (minute: number, id: string): Record<string, unknown> => ({
      ...serviceActionEvent({ reason: 'RESOURCE:FARGATE', capacityProviderArns: spotProvider }),
      id,
      time: `2025-03-14T10:${String(minute).padStart(2, '0')}:00Z`,
    });
    const outcomes: string[] = [];
    for (const [minute, id] of [[0, 'a'], [4, 'b'], [16, 'c'], [20, 'd']] as const) outcomes.push((await alertOnEvent(evaluate(failure(minute, id), 'test'), alerting)).outcome.outcome);
    expect(outcomes).toEqual(['alert', 'grouped', 'alert', 'suppressed']);
    expect(alerting.sent.map((alert) => [alert.severity, alert.title])).toEqual([
      ['warning', 'Cannot place task: no Fargate Spot capacity – service api (prod)'],
      ['critical', 'No Fargate Spot capacity for 15+ min – service api (prod)'],
      // The follow-up of the first window (minute 4), sent with the next event of its group as no flush ran here.
      ['warning', 'Cannot place task: no Fargate Spot capacity – service api (prod): 1 more event in 5 min'],
    ]);
  });
});

describe('container instance alerts', () => {
  it('name the tasks running on the instance, by service', async () => {
    const sent: Alert[] = [];
    const alerting: AlertingDeps = {
      store: new MemoryStore(),
      notifier: { publish: async (alert) => void sent.push(alert) },
      grouping: DEFAULT_GROUPING,
      lookups: {
        instances: async (ec2InstanceId) => ({
          clusterArn: 'arn:aws:ecs:us-west-2:111122223333:cluster/prod',
          containerInstanceArn: 'arn:aws:ecs:us-west-2:111122223333:container-instance/prod/0f0f',
          ec2InstanceId,
          tasks: [
            { taskArn: 'a', service: 'api', group: 'service:api', lastStatus: 'RUNNING', taskDefinitionArn: null },
            { taskArn: 'b', service: 'api', group: 'service:api', lastStatus: 'RUNNING', taskDefinitionArn: null },
            { taskArn: 'c', service: 'worker', group: 'service:worker', lastStatus: 'RUNNING', taskDefinitionArn: null },
          ],
        }),
      },
    };
    const draining = {
      version: '0',
      id: 'drain-1',
      'detail-type': 'ECS Container Instance State Change',
      source: 'aws.ecs',
      account: '111122223333',
      time: '2025-03-14T10:00:00Z',
      region: 'us-west-2',
      resources: ['arn:aws:ecs:us-west-2:111122223333:container-instance/prod/0f0f'],
      detail: { clusterArn: 'arn:aws:ecs:us-west-2:111122223333:cluster/prod', containerInstanceArn: 'arn:aws:ecs:us-west-2:111122223333:container-instance/prod/0f0f', ec2InstanceId: 'i-0123456789abcdef0', status: 'DRAINING', runningTasksCount: 3, version: 7 },
    };
    await alertOnEvent(evaluate(draining, 'test'), alerting);
    expect(sent[0]!.summary).toBe('Container instance draining for instance i-0123456789abcdef0 (prod). Tasks on it: 2 of service api, 1 of service worker.');
  });
});

describe('deployment alerts and the ECS API', () => {
  async function troubled(services: AlertingDeps['lookups']): Promise<Alert[]> {
    const sent: Alert[] = [];
    // The task definition lookup answers, so whether the alert is enriched depends on the ECS service lookup alone.
    const alerting: AlertingDeps = {
      store: new MemoryStore(),
      notifier: { publish: async (alert) => void sent.push(alert) },
      grouping: DEFAULT_GROUPING,
      taskDefinitions: async () => ({ containers: [] }),
      lookups: services,
    };
    await alertOnEvent(evaluate({ ...deploymentEvent({ deploymentId: 'ecs-svc/2' }), id: 'start', time: '2025-03-14T09:10:00Z' }, 'test'), alerting);
    for (const minute of [1, 2, 3]) await alertOnEvent(evaluate(failedTask(minute), 'test'), alerting);
    return sent;
  }

  it('add the rollout state and the service counts when the ECS API answers', async () => {
    const sent = await troubled({
      services: async () => ({
        serviceArn: 's',
        serviceName: 'api',
        clusterArn: 'c',
        status: 'ACTIVE',
        desiredCount: 4,
        runningCount: 2,
        pendingCount: 2,
        taskDefinition: null,
        capacityProviders: [],
        deployments: [{ id: 'ecs-svc/2', status: 'PRIMARY', rolloutState: 'IN_PROGRESS', rolloutStateReason: null, taskDefinition: 'arn:aws:ecs:us-west-2:111122223333:task-definition/api:43', desiredCount: 4, runningCount: 0, pendingCount: 2, failedTasks: 3, createdAt: null, updatedAt: null }],
      }),
    });
    expect(sent.map((alert) => alert.title)).toEqual(['Deployment in trouble – service api (prod): 3 tasks failed']);
    expect(sent[0]!.summary).toBe('Deployment ecs-svc/2 of service api (prod): 3 tasks failed — 3× image pull failed. ECS reports the deployment IN_PROGRESS with 3 failed tasks. The service runs 2 of 4 tasks.');
    expect(sent[0]!.enriched).toBe(true);
  });

  it('still alert, marked not enriched, when the ECS API does not answer', async () => {
    const sent = await troubled({ services: async () => null });
    expect(sent.map((alert) => [alert.title, alert.enriched])).toEqual([['Deployment in trouble – service api (prod): 3 tasks failed', false]]);
  });
});
