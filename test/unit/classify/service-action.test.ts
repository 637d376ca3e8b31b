import { describe, expect, it } from 'vitest';
import { SERVICE_ARN, serviceActionEvent, verdictOf } from '../../support/events.ts';

const FARGATE_SPOT = 'arn:aws:ecs:us-west-2:111122223333:capacity-provider/FARGATE_SPOT';

describe('classifyServiceAction', () => {
  it.each([
    ['SERVICE_STEADY_STATE', 'INFO', 'service_steady_state', 'info'],
    ['TASKSET_STEADY_STATE', 'INFO', 'taskset_steady_state', 'info'],
    ['CAPACITY_PROVIDER_STEADY_STATE', 'INFO', 'capacity_provider_steady_state', 'info'],
    ['SERVICE_DESIRED_COUNT_UPDATED', 'INFO', 'desired_count_updated', 'info'],
    ['TASKS_STOPPED', 'INFO', 'tasks_stopped', 'info'],
    ['SERVICE_TASK_START_IMPAIRED', 'WARN', 'service_task_start_impaired', 'critical'],
    ['SERVICE_DISCOVERY_INSTANCE_UNHEALTHY', 'WARN', 'service_discovery_unhealthy', 'warning'],
    ['VPC_LATTICE_TARGET_UNHEALTHY', 'WARN', 'vpc_lattice_target_unhealthy', 'warning'],
    ['SERVICE_DAEMON_PLACEMENT_CONSTRAINT_VIOLATED', 'ERROR', 'daemon_placement_constraint_violated', 'warning'],
    ['ECS_OPERATION_THROTTLED', 'ERROR', 'throttled', 'warning'],
    ['SERVICE_DISCOVERY_OPERATION_THROTTLED', 'ERROR', 'throttled', 'warning'],
    ['SERVICE_TASK_CONFIGURATION_FAILURE', 'ERROR', 'service_configuration_failure', 'critical'],
    ['SERVICE_HEALTH_UNKNOWN', 'ERROR', 'service_health_unknown', 'warning'],
  ])('classifies %s (eventType %s) as %s, %s', (eventName, eventType, category, severity) => {
    expect(verdictOf(serviceActionEvent({ eventName, eventType }))).toMatchObject({ category, severity, alert: severity !== 'info' });
  });

  it('takes cluster and service from the service ARN in resources', () => {
    const verdict = verdictOf(serviceActionEvent({ eventName: 'SERVICE_STEADY_STATE', eventType: 'INFO', clusterArn: undefined }));
    expect(verdict).toMatchObject({ cluster: 'prod', service: 'api', account: '111122223333', region: 'us-west-2', status: 'SERVICE_STEADY_STATE' });
    expect(verdict.service).toBe(SERVICE_ARN.split('/').pop());
  });

  it('classifies by eventName even when eventType says INFO and there is no reason', () => {
    const verdict = verdictOf(serviceActionEvent({ eventType: 'INFO', eventName: 'SERVICE_TASK_PLACEMENT_FAILURE' }));
    expect(verdict).toMatchObject({ category: 'placement_failure', severity: 'critical' });
    expect(verdict.cause).toBe('The service could not place a task; the event gives no reason.');
  });

  it('calls RESOURCE:FARGATE with a FARGATE_SPOT provider a Spot capacity shortage, a warning', () => {
    const verdict = verdictOf(serviceActionEvent({ reason: 'RESOURCE:FARGATE', capacityProviderArns: [FARGATE_SPOT] }));
    expect(verdict).toMatchObject({ category: 'placement_failure_spot_capacity', severity: 'warning', spot: true, patternId: 20 });
  });

  it('calls RESOURCE:FARGATE without Spot a capacity shortage, critical', () => {
    const verdict = verdictOf(serviceActionEvent({ reason: 'RESOURCE:FARGATE', capacityProviderArns: ['arn:aws:ecs:us-west-2:111122223333:capacity-provider/FARGATE'] }));
    expect(verdict).toMatchObject({ category: 'placement_failure_capacity', severity: 'critical', spot: false });
  });

  it('lowers insufficient resources to a warning when an EC2 capacity provider can scale out', () => {
    const withProvider = verdictOf(serviceActionEvent({ reason: 'RESOURCE:CPU', capacityProviderArns: ['arn:aws:ecs:us-west-2:111122223333:capacity-provider/asg-provider'] }));
    expect(withProvider).toMatchObject({ category: 'placement_failure_insufficient_resources', severity: 'warning' });
    expect(verdictOf(serviceActionEvent({ reason: 'RESOURCE:CPU' })).severity).toBe('critical');
  });

  it('classifies a wrapped start failure by what follows "Reason:"', () => {
    const verdict = verdictOf(
      serviceActionEvent({ reason: '(service api) was unable to place a task. Reason: CannotPullContainerError: pull access denied for private/api, repository does not exist or may require docker login' }),
    );
    expect(verdict).toMatchObject({ category: 'image_pull_failure', patternId: 44 });
  });

  it('gives deployment event names under Service Action the deployment categories', () => {
    const verdict = verdictOf(serviceActionEvent({ eventType: 'ERROR', eventName: 'SERVICE_DEPLOYMENT_FAILED', deploymentId: 'ecs-svc/123', reason: 'ECS deployment circuit breaker: tasks failed to start.' }));
    expect(verdict).toMatchObject({ category: 'deployment_failed', severity: 'critical', deploymentId: 'ecs-svc/123' });
  });

  it('keeps an unknown eventName as unsupported, with its name in the cause', () => {
    const verdict = verdictOf(serviceActionEvent({ eventType: 'ERROR', eventName: 'SERVICE_SOMETHING_NEW' }));
    expect(verdict).toMatchObject({ category: 'unsupported', severity: 'info' });
    expect(verdict.cause).toBe('A service action this tool does not know yet (SERVICE_SOMETHING_NEW, eventType ERROR).');
  });

  it('uses the catalogue for an unknown eventName whose reason it knows', () => {
    const verdict = verdictOf(serviceActionEvent({ eventName: 'SERVICE_NEW_NAME', reason: 'You\'ve reached the limit on the number of tasks you can run concurrently' }));
    expect(verdict).toMatchObject({ category: 'quota_exceeded', severity: 'critical' });
  });

  it('names the first instance, task and service from the detail lists and fields', () => {
    const verdict = verdictOf(
      serviceActionEvent({
        reason: 'RESOURCE:MEMORY',
        containerInstanceArns: ['arn:aws:ecs:us-west-2:111122223333:container-instance/prod/7b3c'],
        ec2InstanceIds: ['i-0a1b2c3d4e5f67890'],
      }),
    );
    expect(verdict).toMatchObject({ containerInstanceArn: 'arn:aws:ecs:us-west-2:111122223333:container-instance/prod/7b3c', ec2InstanceId: 'i-0a1b2c3d4e5f67890' });
  });
});
