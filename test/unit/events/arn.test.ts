import { describe, expect, it } from 'vitest';
import { clusterName, lastSegment, parseArn, serviceName, taskDefinitionRef } from '../../../lib/events/arn.ts';

describe('arn', () => {
  it('splits a new-format task ARN', () => {
    expect(parseArn('arn:aws:ecs:us-west-2:111122223333:task/prod/0a1b2c')).toEqual({
      partition: 'aws',
      service: 'ecs',
      region: 'us-west-2',
      account: '111122223333',
      resourceType: 'task',
      path: ['prod', '0a1b2c'],
    });
  });

  it.each([
    ['arn:aws:ecs:us-west-2:111122223333:cluster/prod', 'prod'],
    ['arn:aws:ecs:us-west-2:111122223333:task/prod/0a1b2c', 'prod'],
    ['arn:aws:ecs:us-west-2:111122223333:service/prod/api', 'prod'],
    ['arn:aws:ecs:us-west-2:111122223333:container-instance/prod/9f8e', 'prod'],
    ['arn:aws:ecs:us-west-2:111122223333:task/0a1b2c', null],
    ['arn:aws:ecs:us-east-1:<ACCOUNT_ID_REDACTED>:task/xxxx', null],
    ['not-an-arn', null],
  ])('finds the cluster of %s', (arn, cluster) => {
    expect(clusterName(arn)).toBe(cluster);
  });

  it('reads the service name from new and old service ARNs', () => {
    expect(serviceName('arn:aws:ecs:us-west-2:111122223333:service/prod/api')).toBe('api');
    expect(serviceName('arn:aws:ecs:us-west-2:111122223333:service/api')).toBe('api');
    expect(serviceName('arn:aws:ecs:us-west-2:111122223333:task/prod/1')).toBeNull();
  });

  it('reads family and revision from a task definition ARN', () => {
    expect(taskDefinitionRef('arn:aws:ecs:us-west-2:111122223333:task-definition/api:42')).toEqual({ family: 'api', revision: 42 });
    expect(taskDefinitionRef('arn:aws:ecs:us-west-2:111122223333:task-definition/api')).toEqual({ family: 'api', revision: null });
  });

  it('returns null for missing values', () => {
    expect(lastSegment(undefined)).toBeNull();
    expect(parseArn(null)).toBeNull();
    expect(parseArn('arn:aws:ecs')).toBeNull();
  });
});
