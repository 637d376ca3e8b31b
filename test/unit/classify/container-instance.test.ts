import { describe, expect, it } from 'vitest';
import { genericEvent, verdictOf } from '../../support/events.ts';

const INSTANCE_ARN = 'arn:aws:ecs:us-west-2:111122223333:container-instance/prod/7b3c9d1e2f3a4b5c6d7e8f9a0b1c2d3e';

function instanceEvent(detail: Record<string, unknown>) {
  return genericEvent('ECS Container Instance State Change', 'aws.ecs', { containerInstanceArn: INSTANCE_ARN, ec2InstanceId: 'i-0a1b2c3d4e5f67890', clusterArn: 'arn:aws:ecs:us-west-2:111122223333:cluster/prod', agentConnected: true, status: 'ACTIVE', runningTasksCount: 3, ...detail }, [INSTANCE_ARN]);
}

function healthEvent(overallStatus: string, healthChecks: Array<Record<string, unknown>>) {
  return genericEvent('ECS Container Instance Health Change', 'aws.ecs', { clusterArn: 'arn:aws:ecs:us-west-2:111122223333:cluster/prod', containerInstanceArn: INSTANCE_ARN, ec2InstanceId: 'i-0a1b2c3d4e5f67890', overallStatus, healthChecks }, [INSTANCE_ARN]);
}

describe('classifyContainerInstance', () => {
  it('treats a routine ACTIVE change as information', () => {
    expect(verdictOf(instanceEvent({}))).toMatchObject({ category: 'container_instance_state_change', severity: 'info', cluster: 'prod', ec2InstanceId: 'i-0a1b2c3d4e5f67890', containerInstanceArn: INSTANCE_ARN });
  });

  it('warns about DRAINING with the number of tasks on the instance', () => {
    const verdict = verdictOf(instanceEvent({ status: 'DRAINING' }));
    expect(verdict).toMatchObject({ category: 'container_instance_draining', severity: 'warning' });
    expect(verdict.cause).toContain('DRAINING with 3 running tasks');
  });

  it('records a single agent disconnect without alerting, since ECS calls brief disconnects normal', () => {
    expect(verdictOf(instanceEvent({ agentConnected: false }))).toMatchObject({ category: 'container_instance_agent_disconnected', severity: 'info', alert: false });
  });

  it('warns about a failed registration with its reason', () => {
    const verdict = verdictOf(instanceEvent({ status: 'REGISTRATION_FAILED', statusReason: 'Instance role lacks ecs:RegisterContainerInstance' }));
    expect(verdict).toMatchObject({ category: 'container_instance_state_change', severity: 'warning', reason: 'Instance role lacks ecs:RegisterContainerInstance' });
  });
});

describe('classifyContainerInstanceHealth', () => {
  it('names the impaired checks and their reasons', () => {
    const verdict = verdictOf(healthEvent('IMPAIRED', [
      { type: 'CONTAINER_RUNTIME', status: 'OK' },
      { type: 'ACCELERATED_COMPUTE', status: 'IMPAIRED', statusReason: 'XID_46' },
    ]));
    expect(verdict).toMatchObject({ category: 'container_instance_impaired', severity: 'warning', reason: 'ACCELERATED_COMPUTE: XID_46' });
    expect(verdict.cause).toBe('The container instance is impaired: ACCELERATED_COMPUTE (XID_46).');
  });

  it('calls an impaired agent connectivity check a sustained agent disconnect', () => {
    const verdict = verdictOf(healthEvent('IMPAIRED', [{ type: 'AGENT_CONNECTIVITY', status: 'IMPAIRED', statusReason: 'Agent disconnected since 2026-01-05T10:00:00Z' }]));
    expect(verdict).toMatchObject({ category: 'container_instance_agent_disconnected', severity: 'warning', alert: true });
  });

  it('reports recovery as information', () => {
    expect(verdictOf(healthEvent('OK', [{ type: 'CONTAINER_RUNTIME', status: 'OK' }]))).toMatchObject({ category: 'container_instance_health_ok', alert: false });
  });

  it('reports INITIALIZING as a routine change', () => {
    expect(verdictOf(healthEvent('INITIALIZING', []))).toMatchObject({ category: 'container_instance_state_change', severity: 'info' });
  });
});
