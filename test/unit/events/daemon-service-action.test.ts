import { describe, expect, it } from 'vitest';
import { parseEvent } from '../../../lib/events/parse.ts';
import { detailOf, loadFixture } from '../../support/fixtures.ts';

function parsedDaemonAction(event: unknown): Extract<ReturnType<typeof parseEvent>, { kind: 'daemonServiceAction' }> {
  const parsed = parseEvent(event, 'test');
  if (parsed.kind !== 'daemonServiceAction') throw new Error(`expected a daemon service action, got ${parsed.kind}`);
  return parsed;
}

describe('parseEvent: ECS Daemon Service Action', () => {
  it("reads AWS's TASK_FAILED_TO_RUN example with its eventType spelled WARNING, without a warning", () => {
    const event = parsedDaemonAction(loadFixture('daemon/task-failed-to-run.json'));
    expect(event.detail).toEqual({
      eventType: 'WARNING',
      eventName: 'DAEMON_TASK_START_IMPAIRED',
      clusterArn: 'arn:aws:ecs:us-west-2:123456789012:cluster/my-cluster',
      containerInstanceArn: 'arn:aws:ecs:us-west-2:123456789012:container-instance/my-cluster/53e534970ee79ad3226267b8ba43a872',
      taskArn: 'arn:aws:ecs:us-west-2:123456789012:task/my-cluster/5bd0e0f3d216b6dc53e8d6d1fc3773e8',
      daemonRevisionArn: 'arn:aws:ecs:us-west-2:123456789012:daemon-revision/my-cluster/my-daemon/a1b2c3d4-e5f6-7890-abcd-ef1234567890',
      capacityProviderName: 'my-capacity-provider',
      daemonArn: 'arn:aws:ecs:us-west-2:123456789012:daemon/my-cluster/my-daemon',
      daemonTaskDefinitionArn: 'arn:aws:ecs:us-west-2:123456789012:daemon-task-definition/my-daemon-td:1',
      failureType: 'TASK_FAILED_TO_RUN',
      createdAt: '2026-03-24T12:00:00.000Z',
      reason: 'Task failed to reach RUNNING status: CannotPullContainerError: pull image manifest has been retried 5 time(s)',
    });
    expect(event.warnings).toEqual([]);
  });

  it('reads TASK_CREATION_FAILED with resources: [] and no taskArn', () => {
    const event = parsedDaemonAction(loadFixture('daemon/task-creation-failed.json'));
    expect(event.envelope.resources).toEqual([]);
    expect(event.detail.taskArn).toBeUndefined();
    expect(event.detail.failureType).toBe('TASK_CREATION_FAILED');
    expect(event.warnings).toEqual([]);
  });

  it.each(['WARNING', 'WARN', 'warning'])('accepts eventType %s', (eventType) => {
    const raw = loadFixture('daemon/task-creation-failed.json');
    detailOf(raw).eventType = eventType;
    const event = parsedDaemonAction(raw);
    expect(event.detail.eventType).toBe(eventType.toUpperCase());
    expect(event.warnings).toEqual([]);
  });

  it('drops fields of the wrong type with a warning naming their path', () => {
    const raw = loadFixture('daemon/task-failed-to-run.json');
    Object.assign(detailOf(raw), { reason: { message: 'x' }, daemonArn: [] });
    const event = parsedDaemonAction(raw);
    expect(event.detail.reason).toBeUndefined();
    expect(event.warnings).toEqual(['detail.daemonArn: expected a string, got array; ignored', 'detail.reason: expected a string, got object; ignored']);
  });
});
