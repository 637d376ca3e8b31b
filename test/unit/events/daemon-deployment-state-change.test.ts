import { describe, expect, it } from 'vitest';
import { parseEvent } from '../../../lib/events/parse.ts';
import { detailOf, loadFixture } from '../../support/fixtures.ts';

function parsedRollout(event: unknown): Extract<ReturnType<typeof parseEvent>, { kind: 'daemonDeployment' }> {
  const parsed = parseEvent(event, 'test');
  if (parsed.kind !== 'daemonDeployment') throw new Error(`expected a daemon deployment event, got ${parsed.kind}`);
  return parsed;
}

describe('parseEvent: ECS Daemon Deployment State Change', () => {
  it("reads AWS's pending example, keeping the nanoseconds of updatedAt as sent", () => {
    const event = parsedRollout(loadFixture('daemon/deployment-pending.json'));
    expect(event.detail).toEqual({
      eventType: 'INFO',
      eventName: 'DAEMON_DEPLOYMENT_PENDING',
      clusterArn: 'arn:aws:ecs:us-west-2:111122223333:cluster/my-cluster',
      daemonArn: 'arn:aws:ecs:us-west-2:111122223333:daemon/my-cluster/my-daemon',
      daemonDeploymentArn: 'arn:aws:ecs:us-west-2:111122223333:daemon-deployment/my-cluster/my-daemon/0EYSiB0qap8xf0N76FsbE',
      targetDaemonRevisionArn: 'arn:aws:ecs:us-west-2:111122223333:daemon-revision/my-cluster/my-daemon/85707969-3732-4b6a-a37d-5cefddd7d7dd',
      updatedAt: '2026-03-05T15:54:41.618059641Z',
    });
    expect(event.envelope.resources).toEqual(['arn:aws:ecs:us-west-2:111122223333:daemon/my-cluster/my-daemon']);
    expect(event.warnings).toEqual([]);
  });

  it('reads event names in any case as AWS spells them', () => {
    const raw = loadFixture('daemon/deployment-pending.json');
    detailOf(raw).eventName = 'daemon_deployment_rollback_failed';
    expect(parsedRollout(raw).detail.eventName).toBe('DAEMON_DEPLOYMENT_ROLLBACK_FAILED');
  });

  it('still reads an event with empty resources', () => {
    const raw = loadFixture('daemon/deployment-pending.json');
    raw.resources = [];
    const event = parsedRollout(raw);
    expect(event.envelope.resources).toEqual([]);
    expect(event.warnings).toEqual([]);
  });

  it('drops fields of the wrong type with a warning naming their path', () => {
    const raw = loadFixture('daemon/deployment-pending.json');
    detailOf(raw).updatedAt = { seconds: 1 };
    const event = parsedRollout(raw);
    expect(event.detail.updatedAt).toBeUndefined();
    expect(event.warnings).toEqual(['detail.updatedAt: expected a string, got object; ignored']);
  });
});
