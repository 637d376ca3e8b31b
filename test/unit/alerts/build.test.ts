import { describe, expect, it } from 'vitest';
import { buildAlert, fitTitle } from '../../../lib/alerts/build.ts';
import { alertKey, alertScope, scopeOfKey } from '../../../lib/alerts/key.ts';
import { evaluate } from '../../../lib/pipeline/evaluate.ts';
import { loadFixture } from '../../support/fixtures.ts';

function verdictOf(path: string) {
  return evaluate(loadFixture(path), path).verdict;
}

const ORDERS_API_TASK_DEFINITION = {
  containers: [
    { name: 'orders-api', essential: true, awslogs: { group: '/ecs/orders-api', region: 'us-west-2', streamPrefix: 'ecs' } },
    { name: 'envoy', essential: false, awslogs: null },
  ],
};

describe('buildAlert', () => {
  it('builds the first alert of an OOM stop with its facts, console links and the failed container’s log stream', () => {
    const alert = buildAlert(verdictOf('task/stopped-oom.json'), { eventId: 'e1', taskDefinition: ORDERS_API_TASK_DEFINITION, enriched: true, windowMinutes: 5 });
    expect(alert).toMatchObject({
      key: '111122223333|us-west-2|prod|service:orders-api|oom',
      kind: 'new',
      status: 'firing',
      severity: 'warning',
      title: 'Out of memory – service orders-api (prod)',
      summary: 'Task 77ea7336 of service orders-api (prod) stopped (EssentialContainerExited): OutOfMemoryError in container orders-api.',
      time: '2025-03-14T09:26:51Z',
      enriched: true,
      facts: { cluster: 'prod', service: 'orders-api', taskFamily: 'orders-api', taskDefinition: 'orders-api:212', stopCode: 'EssentialContainerExited' },
      links: {
        task: 'https://us-west-2.console.aws.amazon.com/ecs/v2/clusters/prod/tasks/77ea7336e48e3a4e63c55244182d37c0/configuration?region=us-west-2',
        service: 'https://us-west-2.console.aws.amazon.com/ecs/v2/clusters/prod/services/orders-api/health?region=us-west-2',
      },
      group: { count: 1, ids: ['77ea7336e48e3a4e63c55244182d37c0'], windowMinutes: 5 },
    });
    expect(alert.facts.containers).toEqual([
      expect.objectContaining({
        name: 'orders-api',
        essential: true,
        exitCode: 137,
        logsUrl:
          'https://us-west-2.console.aws.amazon.com/cloudwatch/home?region=us-west-2#logsV2:log-groups/log-group/$252Fecs$252Forders-api/log-events/ecs$252Forders-api$252F77ea7336e48e3a4e63c55244182d37c0',
      }),
      // The sidecar stopped cleanly because ECS stopped the task: no log link for it.
      expect.objectContaining({ name: 'envoy', essential: false, exitCode: 143, logsUrl: null }),
    ]);
    expect(alert.id).toMatch(/^[0-9a-f]{32}$/);
  });

  it('still builds the alert without log links, marked not enriched, when the task definition lookup failed', () => {
    const alert = buildAlert(verdictOf('task/stopped-oom.json'), { eventId: 'e1', taskDefinition: null, enriched: false, windowMinutes: 5 });
    expect(alert.enriched).toBe(false);
    expect(alert.facts.containers.map((container) => container.logsUrl)).toEqual([null, null]);
    expect(alert.links.task).not.toBeNull();
  });

  it('gives the same id for the same event and decision, and another for another event', () => {
    const verdict = verdictOf('task/stopped-oom.json');
    const options = { taskDefinition: null, enriched: true, windowMinutes: 5 };
    expect(buildAlert(verdict, { ...options, eventId: 'e1' }).id).toBe(buildAlert(verdict, { ...options, eventId: 'e1' }).id);
    expect(buildAlert(verdict, { ...options, eventId: 'e1' }).id).not.toBe(buildAlert(verdict, { ...options, eventId: 'e2' }).id);
  });

  it('names an EC2 container instance by its instance id and a standalone task by its family', () => {
    expect(buildAlert(verdictOf('container-instance/draining.json'), { eventId: null, taskDefinition: null, enriched: true, windowMinutes: 5 }).title).toBe(
      'Container instance draining – instance i-f3a8506b (default)',
    );
    const job = verdictOf('task/stopped-user-custom-reason.json');
    expect(alertKey(job)).toMatch(/\|family:[^|]+\|user_stopped$/);
  });
});

describe('alert keys', () => {
  it('are built from account, region, cluster, service and category only', () => {
    const verdict = verdictOf('task/stopped-oom.json');
    expect(alertKey(verdict)).toBe('111122223333|us-west-2|prod|service:orders-api|oom');
    expect(alertScope(verdict)).toBe('111122223333|us-west-2|prod|service:orders-api');
    expect(scopeOfKey(alertKey(verdict))).toBe(alertScope(verdict));
    expect(() => scopeOfKey('oom')).toThrow(RangeError);
  });

  it('put a service’s steady state in the same scope as its task failures', () => {
    const steady = evaluate(
      { ...loadFixture('service-action/steady-state.json'), account: '111122223333', region: 'us-west-2', resources: ['arn:aws:ecs:us-west-2:111122223333:service/prod/orders-api'] },
      'test',
    ).verdict;
    expect(alertScope({ ...steady, cluster: 'prod' })).toBe(alertScope(verdictOf('task/stopped-oom.json')));
  });
});

describe('fitTitle', () => {
  it('keeps a title on one line of at most 100 characters, cut on a word boundary', () => {
    const title = fitTitle(`Out of memory – service ${'very-long-service-name '.repeat(8)}\n(prod)`);
    expect(title.length).toBeLessThanOrEqual(100);
    expect(title).not.toContain('\n');
    expect(title.endsWith('…')).toBe(true);
  });
});
