import { describe, expect, it } from 'vitest';
import { clusterName, daemonName, lastSegment, parseArn, serviceName, taskDefinitionRef } from '../../../lib/events/arn.ts';

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
    ['arn:aws:ecs:us-west-2:111122223333:service-deployment/prod/api/0EYSiB0qap8xf0N76FsbE', 'prod'],
    ['arn:aws:ecs:us-west-2:111122223333:daemon/prod/log-agent', 'prod'],
    ['arn:aws:ecs:us-west-2:111122223333:daemon-deployment/prod/log-agent/0EYSiB0qap8xf0N76FsbE', 'prod'],
    ['arn:aws:ecs:us-west-2:111122223333:daemon-revision/prod/log-agent/85707969-3732-4b6a-a37d-5cefddd7d7dd', 'prod'],
    ['arn:aws:ecs:us-west-2:111122223333:daemon-task-definition/log-agent-td:1', null],
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

  it('reads the service name from the service-deployment ARN that hook events carry', () => {
    expect(serviceName('arn:aws:ecs:us-west-2:111122223333:service-deployment/prod/api/0EYSiB0qap8xf0N76FsbE')).toBe('api');
    expect(serviceName('arn:aws:ecs:us-west-2:111122223333:service-deployment/prod/api')).toBeNull();
    expect(serviceName('arn:aws:ecs:us-west-2:111122223333:service-deployment/prod//0EYSiB0qap8xf0N76FsbE')).toBeNull();
  });

  it('reads the daemon name from daemon, daemon-deployment and daemon-revision ARNs only', () => {
    expect(daemonName('arn:aws:ecs:us-west-2:111122223333:daemon/prod/log-agent')).toBe('log-agent');
    expect(daemonName('arn:aws:ecs:us-west-2:111122223333:daemon-deployment/prod/log-agent/0EYSiB0qap8xf0N76FsbE')).toBe('log-agent');
    expect(daemonName('arn:aws:ecs:us-west-2:111122223333:daemon-revision/prod/log-agent/85707969-3732-4b6a-a37d-5cefddd7d7dd')).toBe('log-agent');
    expect(daemonName('arn:aws:ecs:us-west-2:111122223333:daemon/prod')).toBeNull();
    expect(daemonName('arn:aws:ecs:us-west-2:111122223333:daemon-task-definition/log-agent-td:1')).toBeNull();
    expect(daemonName('arn:aws:ecs:us-west-2:111122223333:service/prod/api')).toBeNull();
    expect(daemonName(undefined)).toBeNull();
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
