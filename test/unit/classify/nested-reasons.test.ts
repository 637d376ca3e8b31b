import { describe, expect, it } from 'vitest';
import { serviceActionEvent, taskEvent, verdictOf } from '../../support/events.ts';

/**
 * Reasons as real clusters word them: one error nested in another, error names in the new console's capitalisation,
 * and the ECS agent's prose without an error name. Every message is quoted from the source named beside it.
 */

// https://github.com/komoju/barcelona/issues/582
const SYSLOG_DRIVER_DOWN = 'CannotStartContainerError: Error response from daemon: failed to initialize logging driver: dial tcp 127.0.0.1:514: connect: connection refused';
// https://github.com/dushyant8858/Troubleshoot-ECS-Task-Stopped (README)
const LOG_GROUP_MISSING =
  'CannotStartContainerError: Error response from daemon: failed to initialize logging driver: failed to create Cloudwatch log stream: ResourceNotFoundException: The specified log group does not exist.';
// catalogue case #63 (AWS ECS docs, task definition linuxParameters devices note)
const DEVICE_MISSING = 'CannotStartContainerError: Error response from daemon: error gathering device information while adding custom device "/dev/dri/renderD130": no such file or directory';
// https://github.com/saebyn/glowing-telegram/issues/398
const COMMAND_NOT_IN_IMAGE =
  'CannotStartContainerError: ResourceInitializationError: failed to create new container runtime task: failed to create shim task: OCI runtime create failed: runc create failed: unable to start container process: exec: "019552fb-18b7-72c3-8935-313f6668bb0b": executable file not found in $PATH: unknown';
// https://github.com/aws-samples/net-modernization/issues/13
const NO_PASSWD =
  'CannotStartContainerError: ResourceInitializationError: unable to create new container: mount callback failed on /tmp/containerd-mount916692511: open /tmp/containerd-mount916692511/etc/passwd: no such file or directory';
// https://github.com/aws/amazon-ecs-agent/issues/3526
const DEVICE_NODES =
  'Cannotstartcontainererror: ResourceInitializationError: failed to create new container runtime task: failed to create shim task: OCI runtime create failed: runc create failed: unable to start container process: error during container init: error creating device nodes: mknod /run/containerd/io.containerd.runtime.v2.task/fargate.task/962011037cd2435a9aa5f40392d82936-2949673445/rootfs/dev/null: errno 524: unknown';
// https://github.com/ruanbekker/cheatsheets/blob/master/aws-cli/ecs/README.md
const SSM_PARAMETER_MISSING = 'Fetching secret data from SSM Parameter Store in eu-west-1: invalid parameters: /demo/dev/MY_INVALID_PARAMETER';
// https://github.com/dushyant8858/Troubleshoot-ECS-Task-Stopped (README)
const SSM_DENIED =
  'Fetching secret data from SSM Parameter Store in us-west-2: AccessDeniedException: User: arn:aws:sts::8XXXXXXXXX0:assumed-role/PLM-ECS-PLMECSTaskExecutionRole-1ELKRFLI7MRK8/ab31f3f626f2442da9bfb200c618e393 is not authorized to perform: ssm:GetParameters on resource: arn:aws:ssm:us-west-2:8XXXXXXXXX0:parameter/CFN-PLMSecretParameter-BlcjtHm1Fj7R because no VPC endpoint policy allows the ssm:GetParameters action status code: 400, request id: xx-214b-4704-ad1e-xx';
// https://github.com/awsdocs/amazon-ecs-developer-guide/issues/110
const ASM_UNREACHABLE =
  'Fetching secret data from AWS Secrets Manager in region us-east-1: secret arn:aws:secretsmanager:us-east-1:<Acctnumber>:secret:secretname-1aBCDe: RequestError: send request failed caused by: Post https://secretsmanager.us-east-1.amazonaws.com/: dial tcp: lookup secretsmanager.us-east-1.amazonaws.com on 10.7.166.253:53: no such host';
// https://github.com/aws/amazon-ecs-agent/issues/2570
const EFS_VOLUME_TIMEOUT =
  'Error response from daemon: create ecs-simple-server-16-configs-faf8bc8696dee78e3e00: Post http://%2Frun%2Fdocker%2Fplugins%2Famazon-ecs-volume-plugin.sock/VolumeDriver.Create: context deadline exceeded';
// https://github.com/aws/elastic-beanstalk-roadmap/issues/244
const VOLUME_PLUGIN_MISSING = 'Error response from daemon: create-Custom-b4b49fd4e3d9c8dcb301: error looking up volume plugin amazon-ecs-volume-plugin: plugin "amazon-ecs-volume-plugin" not found.';

const START_FAILED = 'The container runtime could not start the container.';

function failedToStart(...reasons: { name: string; reason: string }[]) {
  return verdictOf(taskEvent({ stopCode: 'TaskFailedToStart', stoppedReason: 'Task failed to start' }, reasons));
}

describe('classification of nested and prose reasons', () => {
  it('keeps the outer CannotStartContainerError as the category and explains the log driver nested in it', () => {
    const verdict = failedToStart({ name: 'web', reason: SYSLOG_DRIVER_DOWN });
    expect(verdict).toMatchObject({ category: 'cannot_start_container', severity: 'warning', patternId: 63 });
    expect(verdict.cause).toBe(`Container "web": ${START_FAILED} The container's log driver could not be initialised.`);
    expect(verdict.remedy).toBe('Check the log configuration, the log destination and the network path to it.');
    expect(verdict.docsUrl).toBe('https://docs.aws.amazon.com/AmazonECS/latest/developerguide/resource-initialization-error.html');
  });

  it('tells the user to create the missing log group when that is what stopped the container', () => {
    const verdict = failedToStart({ name: 'web', reason: LOG_GROUP_MISSING });
    expect(verdict).toMatchObject({ category: 'cannot_start_container', patternId: 63 });
    expect(verdict.cause).toContain('The awslogs driver could not set up logging');
    expect(verdict.remedy).toContain('Create the log group');
  });

  it('keeps the plain start-failure advice when nothing more specific is nested', () => {
    const verdict = failedToStart({ name: 'gpu', reason: DEVICE_MISSING });
    expect(verdict).toMatchObject({ category: 'cannot_start_container', patternId: 63 });
    expect(verdict.remedy).toBe('Raise the container memory, and check log-driver and registry credential settings.');
  });

  it('names the container whose nested cause is the more specific one', () => {
    const verdict = failedToStart({ name: 'gpu', reason: DEVICE_MISSING }, { name: 'web', reason: SYSLOG_DRIVER_DOWN });
    expect(verdict.cause).toMatch(/^Container "web": /);
    expect(verdict.remedy).toBe('Check the log configuration, the log destination and the network path to it.');
  });

  it('reads a Fargate ResourceInitializationError inside CannotStartContainerError as a start failure, not a resource problem', () => {
    const verdict = failedToStart({ name: 'worker', reason: COMMAND_NOT_IN_IMAGE });
    expect(verdict).toMatchObject({ category: 'cannot_start_container', patternId: null });
    expect(verdict.cause).toBe(
      `Container "worker": The container's entrypoint or command names a file that is not in the image (a typo, a missing binary or PATH entry, or a volume mounted over its directory).`,
    );
    expect(verdict.remedy).toContain('entryPoint and command');
  });

  it('explains an image without /etc/passwd for the container user', () => {
    const verdict = failedToStart({ name: 'inventory', reason: NO_PASSWD });
    expect(verdict.category).toBe('cannot_start_container');
    expect(verdict.cause).toContain('/etc/passwd');
    expect(verdict.remedy).toContain('numeric uid:gid');
  });

  it('reads the new console capitalisation Cannotstartcontainererror like the usual one', () => {
    const verdict = failedToStart({ name: 'app', reason: DEVICE_NODES });
    expect(verdict.category).toBe('cannot_start_container');
    expect(verdict.cause).toBe(`Container "app": The container runtime could not create the container's process; the end of the message names the step that failed.`);
  });

  it('calls an SSM parameter that does not exist a missing secret, in a task and wrapped in a service event', () => {
    const task = verdictOf(taskEvent({ stopCode: 'TaskFailedToStart', stoppedReason: SSM_PARAMETER_MISSING }, [{ name: 'web' }]));
    expect(task).toMatchObject({ category: 'secret_not_found', severity: 'warning', patternId: null });
    expect(task.cause).toContain('SSM Parameter Store has no parameter');
    // https://github.com/ruanbekker/cheatsheets quotes the task; the service-event form below is from a public incident note.
    const service = verdictOf(serviceActionEvent({ reason: 'unable to place a task. Reason: Fetching secret data from SSM Parameter Store in us-east-1: invalid parameters: /<stack>/DD_API_KEY' }));
    expect(service).toMatchObject({ category: 'secret_not_found', cause: task.cause, remedy: task.remedy });
  });

  it('points an SSM access denial at ssm:GetParameters and the endpoint policy', () => {
    const verdict = verdictOf(taskEvent({ stopCode: 'TaskFailedToStart', stoppedReason: SSM_DENIED }, [{ name: 'web' }]));
    expect(verdict.category).toBe('resource_init_failure');
    expect(verdict.remedy).toContain('ssm:GetParameters');
    expect(verdict.remedy).toContain('endpoint policy');
  });

  it('reads the older Secrets Manager prose as a resource initialisation failure', () => {
    const verdict = verdictOf(taskEvent({ stopCode: 'TaskFailedToStart', stoppedReason: ASM_UNREACHABLE }, [{ name: 'web' }]));
    expect(verdict.category).toBe('resource_init_failure');
    expect(verdict.remedy).toContain('secretsmanager:GetSecretValue');
  });

  it('classifies both wordings of the inspection timeout the same', () => {
    // https://github.com/aws/amazon-ecs-agent/issues/278 (2015) and https://github.com/aws/amazon-ecs-agent/issues/2312
    const old = failedToStart({ name: 'web', reason: 'Could not transition to inspecting; timed out after waiting 10s' });
    const current = failedToStart({ name: 'web', reason: 'CannotInspectContainerError: Could not transition to inspecting; timed out after waiting 30s' });
    expect(old).toMatchObject({ category: 'cannot_inspect_container', patternId: 65 });
    expect({ category: current.category, cause: current.cause, remedy: current.remedy }).toEqual({ category: old.category, cause: old.cause, remedy: old.remedy });
  });

  it.each([EFS_VOLUME_TIMEOUT, VOLUME_PLUGIN_MISSING])('calls the Docker volume driver failure "%s" a volume that could not be created', (reason) => {
    const verdict = verdictOf(taskEvent({ stopCode: 'TaskFailedToStart', stoppedReason: reason }, [{ name: 'web' }]));
    expect(verdict.category).toBe('cannot_create_volume');
    expect(verdict.cause).toContain('amazon-ecs-volume-plugin');
    expect(verdict.remedy).toContain('volume plugin runs on the instance');
  });

  it('classifies a pull failure a service event wraps after "Reason:" by the wrapped error', () => {
    const verdict = verdictOf(
      serviceActionEvent({
        reason:
          '(service backend-rag-multipurpose) was unable to place a task. Reason: CannotPullContainerError: pull image manifest has been retried 7 time(s): failed to resolve ref 961341555117.dkr.ecr.ap-southeast-1.amazonaws.com/rag-nginx:latest: not found.',
      }),
    );
    expect(verdict).toMatchObject({ category: 'image_pull_failure', patternId: 36 });
  });
});
