import { describe, expect, it } from 'vitest';
import { verdictOf } from '../../support/events.ts';
import { detailOf, loadFixture } from '../../support/fixtures.ts';

/** AWS's DAEMON_DEPLOYMENT_PENDING example with the given detail fields changed (undefined removes one). */
function rolloutEvent(detail: Record<string, unknown> = {}): Record<string, unknown> {
  const event = loadFixture('daemon/deployment-pending.json');
  const fields = Object.entries({ ...detailOf(event), ...detail }).filter(([, value]) => value !== undefined);
  return { ...event, detail: Object.fromEntries(fields) };
}

describe('classifyDaemonDeployment', () => {
  it.each([
    ['DAEMON_DEPLOYMENT_PENDING', 'daemon_deployment_in_progress', 'info'],
    ['DAEMON_DEPLOYMENT_IN_PROGRESS', 'daemon_deployment_in_progress', 'info'],
    ['DAEMON_DEPLOYMENT_SUCCESSFUL', 'daemon_deployment_successful', 'info'],
    ['DAEMON_DEPLOYMENT_ROLLBACK_SUCCESSFUL', 'daemon_deployment_successful', 'info'],
    // INFO to AWS, but both say the rollout failed and is being undone.
    ['DAEMON_DEPLOYMENT_STOP_REQUESTED', 'daemon_deployment_rollback', 'warning'],
    ['DAEMON_DEPLOYMENT_ROLLBACK_IN_PROGRESS', 'daemon_deployment_rollback', 'warning'],
    ['DAEMON_DEPLOYMENT_ROLLBACK_FAILED', 'daemon_deployment_rollback_failed', 'critical'],
    // Failed or superseded: the tracker tells which.
    ['DAEMON_DEPLOYMENT_STOPPED', 'daemon_deployment_stopped', 'info'],
  ])('classifies %s as %s (%s)', (eventName, category, severity) => {
    const verdict = verdictOf(rolloutEvent({ eventName }));
    expect(verdict).toMatchObject({ category, severity, alert: severity !== 'info', status: eventName, cluster: 'my-cluster', service: null });
    expect(verdict.daemon?.eventName).toBe(eventName);
  });

  it('says a rollback that succeeded leaves the previous revision running, with nothing urgent to do', () => {
    const verdict = verdictOf(rolloutEvent({ eventName: 'DAEMON_DEPLOYMENT_ROLLBACK_SUCCESSFUL' }));
    expect(verdict.cause).toBe('ECS rolled daemon my-daemon back to its previous revision after a failed deployment; the rollback completed.');
    expect(verdict.remedy).toBe('Nothing urgent: the previous revision runs. Fix the failed revision before deploying it again.');
  });

  it('classifies by event name whatever the eventType', () => {
    expect(verdictOf(rolloutEvent({ eventName: 'DAEMON_DEPLOYMENT_ROLLBACK_FAILED', eventType: 'INFO' })).severity).toBe('critical');
    expect(verdictOf(rolloutEvent({ eventType: 'ERROR' })).severity).toBe('info');
  });

  it('gives the facts the daemon tracker keys on, with updatedAt read to milliseconds', () => {
    expect(verdictOf(rolloutEvent()).daemon).toEqual({
      daemonArn: 'arn:aws:ecs:us-west-2:111122223333:daemon/my-cluster/my-daemon',
      daemonName: 'my-daemon',
      daemonRevisionArn: 'arn:aws:ecs:us-west-2:111122223333:daemon-revision/my-cluster/my-daemon/85707969-3732-4b6a-a37d-5cefddd7d7dd',
      daemonDeploymentArn: 'arn:aws:ecs:us-west-2:111122223333:daemon-deployment/my-cluster/my-daemon/0EYSiB0qap8xf0N76FsbE',
      daemonTaskDefinitionArn: null,
      containerInstanceArn: null,
      capacityProviderName: null,
      eventName: 'DAEMON_DEPLOYMENT_PENDING',
      failureType: null,
      reasonCategory: null,
      updatedAt: '2026-03-05T15:54:41.618059641Z',
      updatedAtMs: Date.UTC(2026, 2, 5, 15, 54, 41, 618),
    });
  });

  it('finds the daemon in resources, and the cluster in its ARN, when detail lacks them', () => {
    const verdict = verdictOf(rolloutEvent({ daemonArn: undefined, clusterArn: undefined }));
    expect(verdict).toMatchObject({ cluster: 'my-cluster', account: '111122223333', region: 'us-west-2' });
    expect(verdict.daemon).toMatchObject({ daemonArn: 'arn:aws:ecs:us-west-2:111122223333:daemon/my-cluster/my-daemon', daemonName: 'my-daemon' });
  });

  it('names no daemon when no ARN says which', () => {
    const raw = rolloutEvent({ daemonArn: undefined, daemonDeploymentArn: undefined, targetDaemonRevisionArn: undefined, eventName: 'DAEMON_DEPLOYMENT_STOPPED' });
    raw.resources = [];
    const verdict = verdictOf(raw);
    expect(verdict.cause).toBe('The deployment of the daemon stopped: it failed, or a newer deployment replaced it.');
    expect(verdict.daemon?.daemonName).toBeNull();
  });

  it('keeps a daemon deployment event name it does not know as unsupported', () => {
    const verdict = verdictOf(rolloutEvent({ eventName: 'DAEMON_DEPLOYMENT_PAUSED' }));
    expect(verdict).toMatchObject({ category: 'unsupported', severity: 'info' });
    expect(verdict.cause).toBe('A daemon deployment event this tool does not know yet (DAEMON_DEPLOYMENT_PAUSED).');
  });
});
