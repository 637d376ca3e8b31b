import { describe, expect, it } from 'vitest';
import { genericEvent, verdictOf } from '../../support/events.ts';

const TASK_A = 'arn:aws:ecs:us-west-2:111122223333:task/prod/0a1b2c3d4e5f60718293a4b5c6d7e8f9';
const TASK_B = 'arn:aws:ecs:us-west-2:111122223333:task/prod/1b2c3d4e5f60718293a4b5c6d7e8f9a0';

describe('classifyEc2', () => {
  it('warns about a Spot interruption with the instance and its action', () => {
    const verdict = verdictOf(genericEvent('EC2 Spot Instance Interruption Warning', 'aws.ec2', { 'instance-id': 'i-0a1b2c3d4e5f67890', 'instance-action': 'hibernate' }));
    expect(verdict).toMatchObject({ category: 'ec2_spot_interruption_warning', severity: 'warning', spot: true, ec2InstanceId: 'i-0a1b2c3d4e5f67890', status: 'hibernate' });
    expect(verdict.cause).toContain('hibernated (with no two-minute lead)');
  });

  it('records a rebalance recommendation without alerting', () => {
    expect(verdictOf(genericEvent('EC2 Instance Rebalance Recommendation', 'aws.ec2', { 'instance-id': 'i-0a1b2c3d4e5f67890' }))).toMatchObject({ category: 'ec2_spot_rebalance_recommendation', severity: 'info', spot: true });
  });

  it('records an instance state change', () => {
    expect(verdictOf(genericEvent('EC2 Instance State-change Notification', 'aws.ec2', { 'instance-id': 'i-0a1b2c3d4e5f67890', state: 'terminated' }))).toMatchObject({ category: 'ec2_instance_state_change', status: 'terminated', severity: 'info' });
  });
});

describe('classifyHealth', () => {
  it('announces a Fargate task retirement with the number of tasks and the date', () => {
    const verdict = verdictOf(
      genericEvent('AWS Health Event', 'aws.health', {
        service: 'ECS',
        eventTypeCode: 'AWS_ECS_TASK_PATCHING_RETIREMENT',
        eventTypeCategory: 'scheduledChange',
        startTime: 'Wed, 05 Apr 2023 12:00:00 GMT',
        affectedEntities: [{ entityValue: TASK_A }, { entityValue: TASK_B }],
        eventDescription: [{ language: 'en_US', latestDescription: 'Tasks will be retired.' }],
      }),
    );
    expect(verdict).toMatchObject({ category: 'fargate_task_retirement_scheduled', severity: 'warning', cluster: 'prod', taskArn: null, reason: 'Tasks will be retired.' });
    expect(verdict.cause).toBe('AWS will retire 2 Fargate tasks for maintenance from Wed, 05 Apr 2023 12:00:00 GMT.');
  });

  it('names the single task of a retirement notice', () => {
    const verdict = verdictOf(genericEvent('AWS Health Event', 'aws.health', { service: 'ECS', eventTypeCode: 'AWS_ECS_TASK_PATCHING_RETIREMENT' }, [TASK_A]));
    expect(verdict).toMatchObject({ taskArn: TASK_A });
    expect(verdict.cause).toContain('1 Fargate task ');
  });

  it('warns about an open Health issue and records a closed one', () => {
    const open = verdictOf(genericEvent('AWS Health Event', 'aws.health', { service: 'ECS', eventTypeCode: 'AWS_ECS_OPERATIONAL_ISSUE', eventTypeCategory: 'issue', statusCode: 'open' }));
    expect(open).toMatchObject({ category: 'health_event', severity: 'warning' });
    const closed = verdictOf(genericEvent('AWS Health Event', 'aws.health', { service: 'ECS', eventTypeCode: 'AWS_ECS_OPERATIONAL_ISSUE', eventTypeCategory: 'issue', statusCode: 'closed' }));
    expect(closed.severity).toBe('info');
  });
});

describe('classify', () => {
  it('calls an unknown detail-type unsupported without failing', () => {
    const verdict = verdictOf(genericEvent('AWS API Call via CloudTrail', 'aws.ecs', { eventSource: 'ecs.amazonaws.com' }));
    expect(verdict).toMatchObject({ category: 'unsupported', severity: 'info', alert: false });
    expect(verdict.cause).toBe('This tool does not handle "AWS API Call via CloudTrail" events.');
  });
});
