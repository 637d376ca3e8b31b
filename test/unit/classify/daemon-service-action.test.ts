import { describe, expect, it } from 'vitest';
import { verdictOf } from '../../support/events.ts';
import { detailOf, loadFixture } from '../../support/fixtures.ts';

const INSTANCE = 'arn:aws:ecs:us-west-2:123456789012:container-instance/my-cluster/53e534970ee79ad3226267b8ba43a872';
const TASK = 'arn:aws:ecs:us-west-2:123456789012:task/my-cluster/5bd0e0f3d216b6dc53e8d6d1fc3773e8';

/** AWS's TASK_FAILED_TO_RUN example with the given detail fields changed (undefined removes one). */
function daemonEvent(detail: Record<string, unknown> = {}, envelope: Record<string, unknown> = {}): Record<string, unknown> {
  const event = { ...loadFixture('daemon/task-failed-to-run.json'), ...envelope };
  const fields = Object.entries({ ...detailOf(event), ...detail }).filter(([, value]) => value !== undefined);
  return { ...event, detail: Object.fromEntries(fields) };
}

const SECRET_ARN = 'arn:aws:secretsmanager:us-west-2:123456789012:secret:agent-key-AbCdEf';

describe('classifyDaemonServiceAction', () => {
  it.each([
    [
      'an image pull failure',
      'Task failed to reach RUNNING status: CannotPullContainerError: pull image manifest has been retried 5 time(s)',
      'image_pull_failure',
      'https://docs.aws.amazon.com/AmazonECS/latest/developerguide/task_cannot_pull_image.html',
    ],
    [
      'a missing secret',
      `Task failed to reach RUNNING status: ResourceNotFoundException: The task can't retrieve the secret with ARN '${SECRET_ARN}' from AWS Secrets Manager. Check whether the secret exists in the specified Region`,
      'secret_not_found',
      'https://docs.aws.amazon.com/AmazonECS/latest/developerguide/resource-not-found-error.html',
    ],
    [
      'an out-of-memory kill',
      'Task failed to reach RUNNING status: OutOfMemoryError: Container killed due to memory usage',
      'oom',
      'https://docs.aws.amazon.com/AmazonECS/latest/developerguide/out-of-memory.html',
    ],
  ])('reads the wrapped reason of a task that never ran through the stopped-reason catalogue: %s', (_, reason, reasonCategory, docsUrl) => {
    const verdict = verdictOf(daemonEvent({ reason }));
    expect(verdict).toMatchObject({ category: 'daemon_task_start_impaired', severity: 'warning', alert: true, reason, docsUrl });
    expect(verdict.cause).toMatch(/^Daemon my-daemon could not start on container instance 53e534970ee79ad3226267b8ba43a872: its task never reached RUNNING\. \S/);
    expect(verdict.daemon?.reasonCategory).toBe(reasonCategory);
  });

  it('takes the cause and fix of the wrapped failure from the catalogue', () => {
    const verdict = verdictOf(daemonEvent({ reason: 'Task failed to reach RUNNING status: CannotPullContainerError: pull image manifest has been retried 5 time(s)' }));
    expect(verdict.cause).toBe('Daemon my-daemon could not start on container instance 53e534970ee79ad3226267b8ba43a872: its task never reached RUNNING. The container image could not be pulled.');
    expect(verdict.remedy).toBe('Check the image reference, the pull permissions of the execution or instance role, and the network path to the registry.');
  });

  it.each([
    ['RESOURCE:CPU - Unable to place daemon task on container instance: insufficient CPU', 16],
    ['RESOURCE:MEMORY - Unable to place daemon task on container instance: insufficient memory', 17],
  ])('reads %s as an instance without room for the daemon', (reason, patternId) => {
    const verdict = verdictOf(daemonEvent({ failureType: 'TASK_CREATION_FAILED', taskArn: undefined, reason }, { resources: [] }));
    expect(verdict).toMatchObject({ category: 'daemon_task_start_impaired', severity: 'warning', patternId, taskArn: null });
    expect(verdict.cause).toBe(`Daemon my-daemon could not start on container instance 53e534970ee79ad3226267b8ba43a872: the instance has no room for the daemon task (${reason}).`);
    expect(verdict.remedy).toBe('Lower the CPU or memory of the daemon task definition, or use instance types with room for the daemon next to the tasks.');
    expect(verdict.daemon).toMatchObject({ failureType: 'TASK_CREATION_FAILED', reasonCategory: 'placement_failure_insufficient_resources' });
  });

  it('quotes a reason the catalogue does not know, with what failed from the failure type', () => {
    const reason = 'Task failed to reach RUNNING status: something new went wrong';
    const verdict = verdictOf(daemonEvent({ reason }));
    expect(verdict.cause).toBe(`Daemon my-daemon could not start on container instance 53e534970ee79ad3226267b8ba43a872: its task never reached RUNNING: ${reason}`);
    expect(verdict.patternId).toBeNull();
    expect(verdict.daemon?.reasonCategory).toBeNull();
    expect(verdictOf(daemonEvent({ failureType: 'TASK_CREATION_FAILED', reason: 'No reason we know' })).cause).toContain('no daemon task could be created there: No reason we know');
  });

  it('does not take a generic reason (an essential container exited) for the cause, and quotes it', () => {
    const reason = 'Task failed to reach RUNNING status: Essential container in task exited';
    const verdict = verdictOf(daemonEvent({ reason }));
    expect(verdict.cause).toBe(`Daemon my-daemon could not start on container instance 53e534970ee79ad3226267b8ba43a872: its task never reached RUNNING: ${reason}`);
    expect(verdict.daemon?.reasonCategory).toBe('app_error_exit');
  });

  it('says when the event gives no reason or failure type', () => {
    const verdict = verdictOf(daemonEvent({ reason: undefined, failureType: undefined }));
    expect(verdict.cause).toBe('Daemon my-daemon could not start on container instance 53e534970ee79ad3226267b8ba43a872: ECS gives no failure type; the event gives no reason.');
    expect(verdict.severity).toBe('warning');
  });

  it('gives the facts the daemon tracker groups on, and the task and instance', () => {
    const verdict = verdictOf(daemonEvent());
    expect(verdict).toMatchObject({ cluster: 'my-cluster', service: null, taskArn: TASK, containerInstanceArn: INSTANCE, taskDefinitionArn: null, status: 'DAEMON_TASK_START_IMPAIRED' });
    expect(verdict.daemon).toEqual({
      daemonArn: 'arn:aws:ecs:us-west-2:123456789012:daemon/my-cluster/my-daemon',
      daemonName: 'my-daemon',
      daemonRevisionArn: 'arn:aws:ecs:us-west-2:123456789012:daemon-revision/my-cluster/my-daemon/a1b2c3d4-e5f6-7890-abcd-ef1234567890',
      daemonDeploymentArn: null,
      daemonTaskDefinitionArn: 'arn:aws:ecs:us-west-2:123456789012:daemon-task-definition/my-daemon-td:1',
      containerInstanceArn: INSTANCE,
      capacityProviderName: 'my-capacity-provider',
      eventName: 'DAEMON_TASK_START_IMPAIRED',
      failureType: 'TASK_FAILED_TO_RUN',
      reasonCategory: 'image_pull_failure',
      updatedAt: '2026-03-24T12:00:00.000Z',
      updatedAtMs: Date.UTC(2026, 2, 24, 12),
    });
  });

  it('finds the task in resources when detail lacks it, and the cluster and daemon name from other ARNs', () => {
    const verdict = verdictOf(daemonEvent({ taskArn: undefined, clusterArn: undefined, daemonArn: undefined }));
    expect(verdict).toMatchObject({ taskArn: TASK, cluster: 'my-cluster', account: '123456789012', region: 'us-west-2' });
    expect(verdict.daemon).toMatchObject({ daemonArn: null, daemonName: 'my-daemon' });
  });

  it.each(['WARNING', 'WARN', 'ERROR', 'INFO'])('classifies by event name whatever the eventType (%s)', (eventType) => {
    expect(verdictOf(daemonEvent({ eventType }))).toMatchObject({ category: 'daemon_task_start_impaired', severity: 'warning' });
  });

  it('keeps a daemon action it does not know as unsupported', () => {
    const verdict = verdictOf(daemonEvent({ eventName: 'DAEMON_TASK_STOPPED', eventType: 'WARNING' }));
    expect(verdict).toMatchObject({ category: 'unsupported', severity: 'info' });
    expect(verdict.cause).toBe('A daemon service action this tool does not know yet (DAEMON_TASK_STOPPED, eventType WARNING).');
  });
});
