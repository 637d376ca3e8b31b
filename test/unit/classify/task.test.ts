import { describe, expect, it } from 'vitest';
import { taskEvent, TASK_ARN, verdictOf } from '../../support/events.ts';

const OOM_REASON = 'OutOfMemoryError: Container killed due to memory usage';

describe('classifyTask', () => {
  it('reads a stop code in the new console’s capitalisation (Taskfailedtostart) as the code it is', () => {
    const verdict = verdictOf(taskEvent({ stopCode: 'Taskfailedtostart', stoppedReason: 'CannotPullContainerError: pull access denied' }, [{ name: 'web', reason: 'CannotPullContainerError: pull access denied' }]));
    expect({ stopCode: verdict.stopCode, category: verdict.category }).toEqual({ stopCode: 'TaskFailedToStart', category: 'image_pull_failure' });
    expect(verdictOf(taskEvent({ stopCode: 'SomethingNew2027' })).stopCode).toBe('SomethingNew2027');
  });

  it('calls exit 137 with the OOM reason an out-of-memory kill and names the container', () => {
    const verdict = verdictOf(
      taskEvent({ stopCode: 'EssentialContainerExited', stoppedReason: 'Essential container in task exited' }, [
        { name: 'web', exitCode: 137, reason: OOM_REASON },
        { name: 'log-router', exitCode: 143 },
      ]),
    );
    expect(verdict).toMatchObject({ category: 'oom', severity: 'warning', alert: true, patternId: 60, service: 'api', cluster: 'prod', taskArn: TASK_ARN });
    expect(verdict.cause).toMatch(/^Container "web": /);
    expect(verdict.containers).toEqual([
      { name: 'web', essential: null, exitCode: 137, exitMeaning: 'Killed for using more memory than its limit (OutOfMemoryError)', reason: OOM_REASON },
      { name: 'log-router', essential: null, exitCode: 143, exitMeaning: "Shut down cleanly on ECS's stop signal (SIGTERM)", reason: null },
    ]);
  });

  it('never calls exit 137 without the OOM reason an out-of-memory kill', () => {
    const verdict = verdictOf(taskEvent({ stopCode: 'EssentialContainerExited', stoppedReason: 'Essential container in task exited' }, [{ name: 'web', exitCode: 137 }]));
    expect(verdict.category).toBe('app_error_exit');
    expect(verdict.containers[0]?.exitMeaning).toBe('Killed with SIGKILL (not reported as out of memory): a forced kill by the runtime, the host or another process');
  });

  it('reads exit 137 after a scale-in as an ignored SIGTERM, not a failure', () => {
    const verdict = verdictOf(
      taskEvent({ stopCode: 'ServiceSchedulerInitiated', stoppedReason: 'Scaling activity initiated by (deployment ecs-svc/9223370526127282714)' }, [{ name: 'web', exitCode: 137 }]),
    );
    expect(verdict).toMatchObject({ category: 'service_scale_in', severity: 'info', alert: false, patternId: 4, deploymentId: 'ecs-svc/9223370526127282714' });
    expect(verdict.containers[0]?.exitMeaning).toBe("Killed with SIGKILL: it ignored ECS's stop signal (SIGTERM) until the stop timeout ran out");
  });

  it('reads exit 143 after a scheduler stop as a clean shutdown', () => {
    const verdict = verdictOf(
      taskEvent({ stopCode: 'ServiceSchedulerInitiated', stoppedReason: 'Task failed ELB health checks in (target-group arn:aws:elasticloadbalancing:us-west-2:111122223333:targetgroup/api/0123456789abcdef)' }, [
        { name: 'web', exitCode: 143 },
      ]),
    );
    expect(verdict).toMatchObject({ category: 'elb_health_check_failed', severity: 'warning', patternId: 2 });
    expect(verdict.containers[0]?.exitMeaning).toBe("Shut down cleanly on ECS's stop signal (SIGTERM)");
  });

  it('calls a standalone task whose container exited 0 completed, even with EssentialContainerExited', () => {
    const verdict = verdictOf(
      taskEvent({ group: 'family:nightly-report', startedBy: 'events-rule/nightly', stopCode: 'EssentialContainerExited', stoppedReason: 'Essential container in task exited' }, [
        { name: 'report', exitCode: 0 },
        { name: 'log-router', exitCode: 143 },
      ]),
    );
    expect(verdict).toMatchObject({ category: 'task_completed', severity: 'info', alert: false, service: null, deploymentId: null });
    expect(verdict.containers[0]?.exitMeaning).toBe('Finished normally');
  });

  it('calls a service container that exited 0 an application error, because the service will loop restarting it', () => {
    const verdict = verdictOf(taskEvent({ stopCode: 'EssentialContainerExited', stoppedReason: 'Essential container in task exited' }, [{ name: 'web', exitCode: 0 }]));
    expect(verdict).toMatchObject({ category: 'app_error_exit', severity: 'warning' });
    expect(verdict.cause).toContain('exited with code 0 although the service expects it to keep running');
  });

  it('blames the container with a real failure code, not the ones ECS stopped after it', () => {
    const verdict = verdictOf(
      taskEvent({ stopCode: 'EssentialContainerExited', stoppedReason: 'Essential container in task exited' }, [
        { name: 'envoy', exitCode: 143 },
        { name: 'web', exitCode: 127 },
      ]),
    );
    expect(verdict.category).toBe('app_error_exit');
    expect(verdict.cause).toBe('Essential container "web" exited with code 127 (Command not found in the image (entrypoint or command typo, missing binary or PATH)), so ECS stopped the task.');
    expect(verdict.containers[0]?.exitMeaning).toBe("Shut down cleanly on ECS's stop signal (SIGTERM)");
  });

  it('uses the essential flags from the task definition when the caller has them', () => {
    const event = taskEvent({ group: 'family:job', stopCode: 'EssentialContainerExited', stoppedReason: 'Essential container in task exited' }, [
      { name: 'job', exitCode: 137 },
      { name: 'sidecar', exitCode: 0 },
    ]);
    expect(verdictOf(event).category).toBe('task_completed');
    const informed = verdictOf(event, { essentialContainers: new Set(['job']) });
    expect(informed.category).toBe('app_error_exit');
    expect(informed.containers.map((container) => container.essential)).toEqual([true, false]);
  });

  it('gives the Fargate Spot two-minute warning while the task is still RUNNING', () => {
    const verdict = verdictOf(
      taskEvent({ lastStatus: 'RUNNING', desiredStatus: 'STOPPED', stopCode: 'SpotInterruption', stoppedReason: 'Your Spot Task was interrupted.', capacityProviderName: 'FARGATE_SPOT' }, [
        { name: 'web', lastStatus: 'RUNNING' },
      ]),
    );
    expect(verdict).toMatchObject({ category: 'spot_interruption_warning', severity: 'warning', spot: true, alert: true, status: 'RUNNING' });
  });

  it.each(['SpotInterruption', 'TerminationNotice'])('calls the stop after a Spot reclaim (%s) a Spot interruption', (stopCode) => {
    const verdict = verdictOf(taskEvent({ stopCode, stoppedReason: 'Your Spot Task was interrupted.' }, [{ name: 'web', exitCode: 143 }]));
    expect(verdict).toMatchObject({ category: 'spot_interruption', severity: 'warning', spot: true });
    expect(verdict.containers[0]?.exitMeaning).toBe("Shut down cleanly on ECS's stop signal (SIGTERM)");
  });

  it('reads TerminationNotice on a task with a container instance by its reason, since that code is Fargate Spot only', () => {
    const ec2 = { containerInstanceArn: 'arn:aws:ecs:us-west-2:111122223333:container-instance/prod/8cead5b8c5f18cced71d3508a70fee51', launchType: 'EC2' };
    const terminated = verdictOf(taskEvent({ ...ec2, stopCode: 'TerminationNotice', stoppedReason: 'Host EC2 (instance i-0da6526579af3bd1b) terminated.' }, [{ name: 'web' }]));
    expect(terminated).toMatchObject({ category: 'host_stopped_or_terminated', spot: false, patternId: 5, ec2InstanceId: 'i-0da6526579af3bd1b' });
    const reclaimed = verdictOf(taskEvent({ ...ec2, stopCode: 'SpotInterruption', stoppedReason: 'Host EC2 (instance i-0da6526579af3bd1b) terminated.' }, [{ name: 'web' }]));
    expect(reclaimed).toMatchObject({ category: 'spot_interruption', spot: true, ec2InstanceId: 'i-0da6526579af3bd1b' });
  });

  it('keeps a DEPROVISIONING event with its stop code as lifecycle, leaving the alert to the STOPPED event', () => {
    const verdict = verdictOf(
      taskEvent({ lastStatus: 'DEPROVISIONING', stopCode: 'EssentialContainerExited', stoppedReason: 'Essential container in task exited' }, [{ name: 'web', exitCode: 1 }]),
    );
    expect(verdict).toMatchObject({ category: 'task_lifecycle', severity: 'info', alert: false, status: 'DEPROVISIONING', stopCode: 'EssentialContainerExited' });
    expect(verdict.cause).toBe('The task is being stopped (EssentialContainerExited: Essential container in task exited); the verdict comes with its STOPPED event.');
  });

  it('leaves a Spot task that is already deprovisioning to its STOPPED event', () => {
    const verdict = verdictOf(taskEvent({ lastStatus: 'DEPROVISIONING', stopCode: 'SpotInterruption', stoppedReason: 'Your Spot Task was interrupted.' }, [{ name: 'web', exitCode: 143 }]));
    expect(verdict).toMatchObject({ category: 'task_lifecycle', severity: 'info', spot: true });
  });

  it('reports a routine state change as lifecycle', () => {
    const verdict = verdictOf(taskEvent({ lastStatus: 'RUNNING', desiredStatus: 'RUNNING', stopCode: undefined }, [{ name: 'web', lastStatus: 'RUNNING' }]));
    expect(verdict).toMatchObject({ category: 'task_lifecycle', severity: 'info', alert: false });
    expect(verdict.cause).toBe('The task is now RUNNING; nothing is wrong.');
  });

  it('warns when a non-essential sidecar fails while the task keeps running', () => {
    const verdict = verdictOf(
      taskEvent({ lastStatus: 'RUNNING', desiredStatus: 'RUNNING' }, [
        { name: 'web', lastStatus: 'RUNNING' },
        { name: 'xray', lastStatus: 'STOPPED', exitCode: 2 },
      ]),
    );
    expect(verdict).toMatchObject({ category: 'non_essential_container_exited', severity: 'warning' });
    expect(verdict.containers.map((container) => container.essential)).toEqual([null, false]);
  });

  it('does not alert when an init container finishes with 0 while the task runs', () => {
    const verdict = verdictOf(
      taskEvent({ lastStatus: 'RUNNING', desiredStatus: 'RUNNING' }, [
        { name: 'web', lastStatus: 'RUNNING' },
        { name: 'migrate', lastStatus: 'STOPPED', exitCode: 0 },
      ]),
    );
    expect(verdict).toMatchObject({ category: 'non_essential_container_exited', severity: 'info', alert: false });
  });

  it('treats a task failed to start with the pull error in the container reason as an image pull failure', () => {
    const verdict = verdictOf(
      taskEvent({ stopCode: 'TaskFailedToStart', stoppedReason: 'Task failed to start' }, [
        { name: 'web', reason: 'CannotPullContainerError: pull image manifest has been retried 5 time(s): failed to resolve ref 111122223333.dkr.ecr.us-west-2.amazonaws.com/api:v9: not found' },
      ]),
    );
    expect(verdict).toMatchObject({ category: 'image_pull_failure', patternId: 36 });
    expect(verdict.containers[0]).toMatchObject({ exitCode: null, exitMeaning: null });
  });

  it('falls back to task_failed_to_start when no reason says more', () => {
    expect(verdictOf(taskEvent({ stopCode: 'TaskFailedToStart', stoppedReason: 'Something new went wrong' }, [{ name: 'web' }])).category).toBe('task_failed_to_start');
  });

  it('calls a custom StopTask reason a user stop', () => {
    const verdict = verdictOf(taskEvent({ stopCode: 'UserInitiated', stoppedReason: 'Stopped by release pipeline' }, [{ name: 'web', exitCode: 143 }]));
    expect(verdict).toMatchObject({ category: 'user_stopped', severity: 'info' });
    expect(verdict.cause).toBe('StopTask was called with the reason "Stopped by release pipeline".');
  });

  it('treats the undocumented InfrastructureHealth stop code as a host found unhealthy, worth a warning', () => {
    const verdict = verdictOf(taskEvent({ stopCode: 'InfrastructureHealth', stoppedReason: 'Task stopped due to infrastructure health' }, [{ name: 'web', exitCode: 143 }]));
    expect(verdict).toMatchObject({ category: 'infrastructure_health_stop', severity: 'warning', alert: true, stopCode: 'InfrastructureHealth' });
    expect(verdict.containers[0]?.exitMeaning).toBe("Shut down cleanly on ECS's stop signal (SIGTERM)");
  });

  it.each([
    ['Task stopped during instance draining'],
    ['Host EC2 (instance i-0da6526579af3bd1b) terminated.'],
    ['Essential container in task exited'],
  ])('lets the InfrastructureHealth stop code decide over the reason "%s"', (stoppedReason) => {
    const verdict = verdictOf(taskEvent({ stopCode: 'InfrastructureHealth', stoppedReason }, [{ name: 'web', exitCode: 1 }]));
    expect(verdict).toMatchObject({ category: 'infrastructure_health_stop', severity: 'warning' });
  });

  it('calls a Managed Instances drain of a service task information: the service replaces it', () => {
    const verdict = verdictOf(taskEvent({ stopCode: 'ServiceSchedulerInitiated', stoppedReason: 'Task stopped during instance draining' }, [{ name: 'web', exitCode: 143 }]));
    expect(verdict).toMatchObject({ category: 'instance_draining_stop', severity: 'info', alert: false, service: 'api' });
    expect(verdict.remedy).toBe('Nothing: the service starts a replacement task by itself.');
  });

  it.each([
    ['a scheduled task', { group: 'family:nightly-report', startedBy: 'events-rule/nightly-report' }],
    ['an AWS Batch job', { group: 'family:batch-job', startedBy: 'AWS Batch' }],
  ])('warns when a Managed Instances drain stops %s: nothing restarts it', (_, detail) => {
    const verdict = verdictOf(taskEvent({ stopCode: 'ServiceSchedulerInitiated', stoppedReason: 'Task stopped during instance draining', ...detail }, [{ name: 'job', exitCode: 143 }]));
    expect(verdict).toMatchObject({ category: 'instance_draining_stop', severity: 'warning', alert: true });
    expect(verdict.remedy).toMatch(/standalone and batch tasks retry/);
  });

  it('does not crash on an unknown future stop code and still alerts', () => {
    const verdict = verdictOf(taskEvent({ stopCode: 'QuantumDecoherence', stoppedReason: 'Something new' }, [{ name: 'web', exitCode: 143 }]));
    expect(verdict).toMatchObject({ category: 'unknown_stop', severity: 'warning', alert: true });
    expect(verdict.cause).toBe('The task stopped with a stop code this tool does not know yet (QuantumDecoherence).');
  });

  it('does not alert on an unrecognised scheduler stop with clean exits', () => {
    const verdict = verdictOf(taskEvent({ stopCode: 'ServiceSchedulerInitiated', stoppedReason: 'A reason from the future' }, [{ name: 'web', exitCode: 0 }]));
    expect(verdict).toMatchObject({ category: 'unknown_stop', severity: 'info', alert: false });
  });

  it('alerts on an unrecognised reason with a non-zero exit', () => {
    const verdict = verdictOf(taskEvent({ stopCode: 'ServiceSchedulerInitiated', stoppedReason: 'A reason from the future' }, [{ name: 'web', exitCode: 3 }]));
    expect(verdict).toMatchObject({ category: 'unknown_stop', severity: 'warning' });
  });

  it('says so when an essential container exited without any exit code', () => {
    const verdict = verdictOf(taskEvent({ stopCode: 'EssentialContainerExited', stoppedReason: 'Essential container in task exited' }, [{ name: 'web' }]));
    expect(verdict).toMatchObject({ category: 'unknown_stop', severity: 'warning' });
    expect(verdict.cause).toBe('An essential container exited, but the event carries no exit code to say how.');
  });

  it('keeps Fargate maintenance quiet for service tasks but warns for standalone ones', () => {
    const reason = 'ECS is performing maintenance on the underlying infrastructure hosting the task';
    expect(verdictOf(taskEvent({ stopCode: 'ServiceSchedulerInitiated', stoppedReason: reason })).severity).toBe('info');
    expect(verdictOf(taskEvent({ group: 'family:batch', stopCode: 'ServiceSchedulerInitiated', stoppedReason: reason })).severity).toBe('warning');
  });

  it('takes the EC2 instance id from a host stop reason', () => {
    const verdict = verdictOf(
      taskEvent({ launchType: 'EC2', containerInstanceArn: 'arn:aws:ecs:us-west-2:111122223333:container-instance/prod/7b3c', stopCode: 'TaskFailedToStart', stoppedReason: 'Host EC2 (instance i-0a1b2c3d4e5f67890) terminated.' }, [{ name: 'web' }]),
    );
    expect(verdict).toMatchObject({
      category: 'host_stopped_or_terminated',
      ec2InstanceId: 'i-0a1b2c3d4e5f67890',
      containerInstanceArn: 'arn:aws:ecs:us-west-2:111122223333:container-instance/prod/7b3c',
    });
  });

  it('takes identity from the task ARN when the envelope and clusterArn lack it', () => {
    const event = taskEvent({ clusterArn: undefined });
    delete event.account;
    delete event.region;
    const verdict = verdictOf(event);
    expect(verdict).toMatchObject({ account: '111122223333', region: 'us-west-2', cluster: 'prod' });
  });
});
