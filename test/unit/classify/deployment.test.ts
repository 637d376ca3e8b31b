import { describe, expect, it } from 'vitest';
import { deploymentEvent, verdictOf } from '../../support/events.ts';

describe('classifyDeployment', () => {
  it('reports a deployment in progress without alerting', () => {
    const verdict = verdictOf(deploymentEvent({ reason: 'ECS deployment ecs-svc/9223370526127282714 in progress.' }));
    expect(verdict).toMatchObject({ category: 'deployment_in_progress', severity: 'info', alert: false, deploymentId: 'ecs-svc/9223370526127282714' });
  });

  it('sees a rollback only in the reason of an IN_PROGRESS event', () => {
    const verdict = verdictOf(deploymentEvent({ reason: 'ECS deployment circuit breaker: rolling back to deploymentId ecs-svc/9223370526127282700.' }));
    expect(verdict).toMatchObject({ category: 'deployment_rollback', severity: 'warning', alert: true });
    expect(verdict.cause).toContain('rolling the service back to ecs-svc/9223370526127282700');
  });

  it('marks a failed deployment critical with the reason', () => {
    const verdict = verdictOf(deploymentEvent({ eventType: 'ERROR', eventName: 'SERVICE_DEPLOYMENT_FAILED', reason: 'ECS deployment circuit breaker: task failed to start.' }));
    expect(verdict).toMatchObject({ category: 'deployment_failed', severity: 'critical' });
    expect(verdict.cause).toBe('Deployment ecs-svc/9223370526127282714 failed: ECS deployment circuit breaker: task failed to start.');
  });

  it('reports completion without alerting', () => {
    expect(verdictOf(deploymentEvent({ eventName: 'SERVICE_DEPLOYMENT_COMPLETED' }))).toMatchObject({ category: 'deployment_completed', alert: false });
  });

  it('finds cluster and service without clusterArn', () => {
    expect(verdictOf(deploymentEvent({}))).toMatchObject({ cluster: 'prod', service: 'api', account: '111122223333', region: 'us-west-2' });
  });

  it('keeps an unknown deployment event name as unsupported', () => {
    expect(verdictOf(deploymentEvent({ eventName: 'SERVICE_DEPLOYMENT_PAUSED' })).category).toBe('unsupported');
  });
});
