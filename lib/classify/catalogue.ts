import type { Category } from './categories.ts';

/**
 * The stopped-reason catalogue: every message pattern of section 4 of the ECS events reference
 * (`shared/reference/ecs-events.md`), in the order they must be tried.
 *
 * Messages vary (section 9 of the reference): prefixes change case (`Cannotpullcontainererror:`), apostrophes are
 * typographic or plain, Fargate cuts reasons at 255 characters, service events wrap a task's failure after
 * `Reason:`. So patterns match stable sub-phrases, case-insensitively, never whole strings, and the most specific
 * causes come first: an out-of-memory kill or a full disk is what matters even when it shows through an image-pull
 * message.
 *
 * Real reasons nest one error in another (`CannotStartContainerError: ResourceInitializationError: failed to create
 * new container runtime task: …`): the outer name says what failed and decides the category, and the most specific
 * entry found in the rest refines the cause and the remedy (see `matchCatalogue`).
 */
export interface CatalogueEntry {
  /** The pattern's number in section 4 of the reference; null for extra prefixes seen in real messages. */
  id: number | null;
  category: Category;
  pattern: RegExp;
  /**
   * Error names (`CannotStartContainerError`, …) that stand for this entry when they open a message: the outer name
   * says what failed and decides the category even when a more specific cause of another category is nested in it.
   */
  prefixes?: readonly string[];
  /** A cause that wins whatever error name it shows through (an out-of-memory kill, a full host disk). */
  dominant?: boolean;
  /** Own-words cause and fix for this message; the category's generic text is used when absent. */
  cause?: string;
  remedy?: string;
  docsUrl?: string;
  /** A generic reason (such as "Essential container in task exited") that the containers' exit codes and reasons refine. */
  generic?: boolean;
}

const DOCS = 'https://docs.aws.amazon.com/AmazonECS/latest/developerguide';
const PULL_DOCS = `${DOCS}/task_cannot_pull_image.html`;
const PULL_KC = 'https://repost.aws/knowledge-center/ecs-pull-container-api-error-ecr';
const SECRETS_KC = 'https://repost.aws/knowledge-center/ecs-unable-to-pull-secrets';
const RESOURCE_INIT = `${DOCS}/resource-initialization-error.html`;
const FAILURES = `${DOCS}/api_failures_messages.html`;
const APOS = "['’]";

const NO_ROUTE_TO_ECR =
  'Give the task a network path to ECR: a public IP in a public subnet, a NAT gateway, or the ECR api and dkr and S3 gateway VPC endpoints; allow outbound 443 in its security group.';

export const CATALOGUE: readonly CatalogueEntry[] = [
  // Memory first: an OOM kill explains every other symptom of the task.
  {
    id: 60,
    category: 'oom',
    pattern: /OutOfMemoryError/i,
    prefixes: ['OutOfMemoryError'],
    dominant: true,
    cause: 'The container used more memory than its hard limit and the kernel killed it (OutOfMemoryError).',
    remedy: 'Raise the container or task memory, or find the leak; size JVM or Node heaps below the limit.',
    docsUrl: `${DOCS}/out-of-memory.html`,
  },

  // 4.6 Secrets that do not exist.
  {
    id: 58,
    category: 'secret_not_found',
    pattern: new RegExp(`The task can${APOS}t retrieve the secret with ARN`, 'i'),
    cause: 'The secret named in the task definition does not exist in that Region (deleted, mistyped, or another Region).',
    remedy: "Point the task definition's secret valueFrom at an existing secret ARN in the task's Region.",
  },
  {
    id: 59,
    category: 'secret_not_found',
    pattern: new RegExp(`Fetching secret data from AWS Secrets Manager.*ResourceNotFoundException|Secrets Manager can${APOS}t find the specified secret`, 'i'),
    cause: 'Secrets Manager has no secret with the ARN in the task definition (older platform wording).',
    remedy: "Point the task definition's secret valueFrom at an existing secret ARN in the task's Region.",
  },

  {
    id: null,
    category: 'resource_init_failure',
    pattern: /Fetching secret data from AWS Secrets Manager/i,
    cause: 'The task could not read a secret from Secrets Manager (older platform wording): access denied or no network path.',
    remedy: 'Grant the execution role secretsmanager:GetSecretValue (and kms:Decrypt for a customer key) and give the task a path to Secrets Manager.',
    docsUrl: SECRETS_KC,
  },
  // The ECS agent's own wording on EC2 and Fargate before 1.4.0, with no error name in front: the parameter store
  // answers a name it does not have with "invalid parameters".
  {
    id: null,
    category: 'secret_not_found',
    pattern: /Fetching secret data from SSM Parameter Store.*invalid parameters/i,
    cause: 'SSM Parameter Store has no parameter under a name the task definition uses (deleted, mistyped, or kept in another Region or account).',
    remedy: "Create the parameter, or correct the name in the task definition's secret valueFrom (a full parameter ARN for another Region).",
    docsUrl: `${DOCS}/secrets-envvar-ssm-paramstore.html`,
  },
  {
    id: null,
    category: 'resource_init_failure',
    pattern: /Fetching secret data from SSM Parameter Store/i,
    cause: 'The ECS agent could not read a parameter from SSM Parameter Store (older wording): the execution role, a VPC endpoint policy or the network path stopped it.',
    remedy: 'Allow ssm:GetParameters to the execution role and in any SSM endpoint policy (plus kms:Decrypt for a SecureString under a customer key), and give the task a path to SSM.',
    docsUrl: SECRETS_KC,
  },

  // 4.5 ResourceInitializationError (Fargate 1.4.0+): the task's own network path and execution role.
  {
    id: 56,
    category: 'resource_init_failure',
    pattern: /cannot pull registry auth from Amazon ECR/i,
    cause: 'The task could not reach the ECR API to get registry credentials (connection issue from the task network).',
    remedy: NO_ROUTE_TO_ECR,
    docsUrl: SECRETS_KC,
  },
  {
    id: 49,
    category: 'resource_init_failure',
    pattern: /unable to retrieve ecr registry auth/i,
    cause: "The task's network interface could not reach the ECR API to get registry credentials (Fargate 1.4.0 sends this traffic through your VPC).",
    remedy: NO_ROUTE_TO_ECR,
    docsUrl: SECRETS_KC,
  },
  {
    id: 52,
    category: 'resource_init_failure',
    pattern: /failed to fetch secret .* from secrets manager: InvalidParameter/i,
    cause: "A secret reference in the task definition is malformed (for example its version id part), so Secrets Manager rejected the request.",
    remedy: 'Fix the valueFrom syntax: arn:…:secret:name:json-key:version-stage:version-id, leaving unused parts empty.',
    docsUrl: `${DOCS}/secrets-envvar-secrets-manager.html`,
  },
  {
    id: 50,
    category: 'resource_init_failure',
    pattern: /unable to (retrieve secrets? from|get registry auth from) asm/i,
    cause: 'The task could not read a secret from Secrets Manager: no network path, or the execution role lacks permission (or the KMS key).',
    remedy: 'Give the task a path to Secrets Manager (NAT or VPC endpoint) and the execution role secretsmanager:GetSecretValue, plus kms:Decrypt for a customer key.',
    docsUrl: SECRETS_KC,
  },
  {
    id: 51,
    category: 'resource_init_failure',
    pattern: /unable to retrieve secrets? from ssm/i,
    cause: 'The task could not read a parameter from SSM Parameter Store: no network path, or the execution role lacks permission.',
    remedy: 'Give the task a path to SSM (NAT or VPC endpoint) and the execution role ssm:GetParameters, plus kms:Decrypt for SecureString parameters.',
    docsUrl: SECRETS_KC,
  },
  {
    id: 53,
    category: 'resource_init_failure',
    pattern: /pull command failed: : signal: killed/i,
    cause: 'The helper that fetches registry credentials or secrets was killed, usually after a network timeout.',
    remedy: NO_ROUTE_TO_ECR,
    docsUrl: SECRETS_KC,
  },
  {
    id: 54,
    category: 'resource_init_failure',
    pattern: /failed to validate logger args|failed to create Cloudwatch log stream|create stream has been retried/i,
    cause: 'The awslogs driver could not set up logging: CloudWatch Logs is unreachable or the log group does not exist.',
    remedy: 'Create the log group (or set awslogs-create-group with logs:CreateLogGroup) and give the task a path to CloudWatch Logs.',
    docsUrl: RESOURCE_INIT,
  },
  {
    id: 55,
    category: 'resource_init_failure',
    pattern: /failed to initialize logging driver/i,
    cause: "The container's log driver could not be initialised.",
    remedy: 'Check the log configuration, the log destination and the network path to it.',
    docsUrl: RESOURCE_INIT,
  },
  // Fargate reports the runtime's failure to create the container process as a ResourceInitializationError nested in
  // CannotStartContainerError; the end of the message names the step that failed.
  {
    id: null,
    category: 'cannot_start_container',
    pattern: /exec: "[^"]*": (executable file not found|stat )/i,
    cause: "The container's entrypoint or command names a file that is not in the image (a typo, a missing binary or PATH entry, or a volume mounted over its directory).",
    remedy: 'Compare entryPoint and command in the task definition with the image (run it locally), and check that no volume mount hides the file.',
    docsUrl: `${DOCS}/cannot-start-container.html`,
  },
  {
    id: null,
    category: 'cannot_start_container',
    pattern: /\/etc\/passwd: no such file or directory/i,
    cause: "The runtime looked up the container's user in the image's /etc/passwd, and the image has none (scratch or distroless images, for example).",
    remedy: 'Give the user as a numeric uid:gid in the task definition, or build the image with an /etc/passwd that names it.',
    docsUrl: `${DOCS}/cannot-start-container.html`,
  },
  {
    id: null,
    category: 'cannot_start_container',
    pattern: /failed to create new container runtime task|unable to create new container:/i,
    cause: "The container runtime could not create the container's process; the end of the message names the step that failed.",
    remedy: "Read the end of the message: check the task definition's user, entryPoint and command against the image, and the volumes mounted into the container.",
    docsUrl: `${DOCS}/cannot-start-container.html`,
  },
  {
    id: 57,
    category: 'resource_init_failure',
    pattern: /ResourceInitializationError/i,
    prefixes: ['ResourceInitializationError'],
    cause: 'Fargate could not create a resource the task needs (network interface, EFS mount, environment file from S3, …).',
    remedy: 'Check DNS resolution and hostnames in the VPC, EFS mount targets and security groups, and S3 access for environment files.',
    docsUrl: RESOURCE_INIT,
  },

  // A full host disk shows through image and container messages; it is the host to fix, not the image.
  {
    id: 40,
    category: 'host_disk_full',
    pattern: /no space left on device/i,
    dominant: true,
    cause: "The container instance's disk is full, so the image layers could not be written.",
    remedy: 'Free space and prevent it: cap json-file logs with max-size or use awslogs, prune images, or enlarge the volume.',
    docsUrl: PULL_DOCS,
  },
  {
    id: 67,
    category: 'host_disk_full',
    pattern: /devmapper: Thin Pool has .* free data blocks/i,
    dominant: true,
    cause: "Docker's devicemapper thin pool on the container instance is full (older ECS AMIs).",
    remedy: 'Enlarge the data volume, shorten ECS_ENGINE_TASK_CLEANUP_WAIT_DURATION, and prune unused images.',
    docsUrl: 'https://github.com/awsdocs/amazon-ecs-developer-guide/blob/master/doc_source/CannotCreateContainerError.md',
  },

  // 4.4 Image pulls. The 2024 agent rewrote these messages as sentences; both wordings are kept.
  {
    id: 33,
    category: 'image_pull_failure',
    pattern: new RegExp(`The task can${APOS}t pull the image\\. Check that the role has the permissions`, 'i'),
    cause: 'The image does not exist, or the role that pulls it (execution role on Fargate, instance role on EC2) may not.',
    remedy: 'Check that the image and tag exist, and grant ECR pull permissions (ecr:GetAuthorizationToken, ecr:BatchGetImage, ecr:GetDownloadUrlForLayer) to that role.',
  },
  {
    id: 34,
    category: 'image_pull_failure',
    pattern: /The task cannot pull .* from the Amazon ECR repository/i,
    cause: 'The task has no network path to Amazon ECR.',
    remedy: NO_ROUTE_TO_ECR,
  },
  {
    id: 35,
    category: 'image_pull_failure',
    pattern: new RegExp(`The task can${APOS}t pull the image\\. Check your network configuration`, 'i'),
    cause: 'The task has no network path to the image registry.',
    remedy: 'Give the task a route to the registry (public IP, NAT gateway or VPC endpoints) and open outbound 443.',
  },
  {
    id: 48,
    category: 'image_pull_failure',
    pattern: /no processor for media-type/i,
    cause: 'The image index holds attestation manifests (buildx provenance or SBOM) that the container runtime cannot unpack.',
    remedy: 'Build with --provenance=false --sbom=false, or push a plain single-platform manifest.',
  },
  {
    id: 36,
    category: 'image_pull_failure',
    pattern: /failed to resolve ref/i,
    cause: 'The image tag or digest is not in the repository, or the registry could not be reached to resolve it.',
    remedy: 'Fix the image reference (prefer immutable tags); if the message ends in a timeout, check the network path to the registry.',
  },
  {
    id: 39,
    category: 'image_pull_failure',
    pattern: /API error \(404\): repository .* not found/i,
    cause: 'The repository in the image URI does not exist or is mistyped.',
    remedy: "Use the full ECR URI (account.dkr.ecr.region.amazonaws.com/name:tag) and check the execution role's access.",
  },
  {
    id: 37,
    category: 'image_pull_failure',
    pattern: /API error \(500\): Get https:\/\/.*request canceled while waiting for connection/i,
    cause: 'The task has no route to the registry.',
    remedy: 'Use a public IP in a public subnet, or a NAT gateway or VPC endpoints in a private subnet.',
    docsUrl: PULL_KC,
  },
  {
    id: 41,
    category: 'image_pull_failure',
    pattern: /toomanyrequests|pull rate limit/i,
    cause: "Docker Hub's pull rate limit was reached.",
    remedy: 'Authenticate pulls to Docker Hub, or mirror the image to ECR (an ECR pull-through cache).',
  },
  {
    id: 42,
    category: 'image_pull_failure',
    pattern: /Error response from daemon: Get .*request canceled while waiting for connection/i,
    cause: 'The pull timed out: no route from the container instance to the registry.',
    remedy: 'Give the instance a route to the registry (public IP, NAT gateway or VPC endpoints).',
  },
  {
    id: 43,
    category: 'image_pull_failure',
    pattern: /failed to copy: httpReaderSeeker: failed open/i,
    cause: 'Copying an image layer failed.',
    remedy: 'Check the network path to the registry and to S3 (ECR stores layers there), then retry.',
  },
  {
    id: 44,
    category: 'image_pull_failure',
    pattern: /pull access denied/i,
    cause: 'The registry refused the pull: no credentials, or the repository does not exist.',
    remedy: 'Set up registry authentication (ECR permissions or repositoryCredentials for a private registry) and check the name.',
  },
  {
    id: 45,
    category: 'image_pull_failure',
    pattern: /pull command failed: panic: runtime error: invalid memory address/i,
    cause: 'The task could not reach Amazon S3, where ECR keeps image layers.',
    remedy: 'Allow S3 in the security group and add the route for the S3 gateway endpoint.',
  },
  {
    id: 46,
    category: 'image_pull_failure',
    pattern: /error pulling image conf/i,
    cause: 'Fetching the image configuration failed: a rate limit or a network error.',
    remedy: 'Check registry rate limits and the network path, then retry.',
  },
  {
    id: 47,
    category: 'image_pull_failure',
    pattern: /^(CannotPullContainerError: )?context canceled/i,
    cause: 'The pull was cancelled: the VPC has no route to ECR.',
    remedy: NO_ROUTE_TO_ECR,
  },
  {
    id: 38,
    category: 'image_pull_failure',
    pattern: /CannotPullContainerError: API error/i,
    cause: 'The connection to the ECR endpoint failed.',
    remedy: NO_ROUTE_TO_ECR,
    docsUrl: PULL_KC,
  },
  {
    id: null,
    category: 'image_pull_failure',
    pattern: new RegExp(`CannotPullContainerError|The task can${APOS}t pull the image`, 'i'),
    prefixes: ['CannotPullContainerError'],
    cause: 'The container image could not be pulled.',
    remedy: 'Check the image reference, the pull permissions of the execution or instance role, and the network path to the registry.',
  },

  // 4.7 Container runtime errors.
  { id: 61, category: 'runtime_error', pattern: /ContainerRuntimeError/i, prefixes: ['ContainerRuntimeError'] },
  {
    id: 62,
    category: 'runtime_timeout',
    pattern: /ContainerRuntimeTimeoutError|DockerTimeoutError|Could not transition to (running|stopped)/i,
    prefixes: ['ContainerRuntimeTimeoutError', 'DockerTimeoutError'],
  },
  {
    id: 63,
    category: 'cannot_start_container',
    pattern: /CannotStartContainerError/i,
    prefixes: ['CannotStartContainerError'],
    cause: 'The runtime could not start the container; AWS attributes "failed to get container status" to exceeding the memory limit.',
    remedy: 'Raise the container memory, and check log-driver and registry credential settings.',
  },
  { id: 64, category: 'cannot_stop_container', pattern: /CannotStopContainerError/i, prefixes: ['CannotStopContainerError'] },
  // Agents of 2015 reported the inspection timeout without an error name; both wordings are the same failure.
  {
    id: 65,
    category: 'cannot_inspect_container',
    pattern: /CannotInspectContainerError|Could not transition to inspecting/i,
    prefixes: ['CannotInspectContainerError'],
  },
  { id: 66, category: 'cannot_create_volume', pattern: /CannotCreateVolumeError/i, prefixes: ['CannotCreateVolumeError'] },
  // A Docker volume the EC2 agent could not create becomes the task's stopped reason as Docker's own words, without
  // CannotCreateVolumeError in front (the agent keeps the name for the container's reason).
  {
    id: null,
    category: 'cannot_create_volume',
    pattern: /VolumeDriver\.Create|error looking up volume plugin/i,
    cause: 'The Docker volume driver (amazon-ecs-volume-plugin for EFS) could not create a volume of the task.',
    remedy: 'Check that the volume plugin runs on the instance, and for EFS the mount targets and the security groups that must let the instance reach them on NFS (2049).',
    docsUrl: `${DOCS}/cannot-create-volume.html`,
  },
  {
    id: null,
    category: 'cannot_start_container',
    pattern: /CannotCreateContainerError/i,
    prefixes: ['CannotCreateContainerError'],
    cause: 'The runtime could not create the container.',
    remedy: 'Read the rest of the message; check the instance disk, the image and the container settings.',
    docsUrl: 'https://repost.aws/knowledge-center/ecs-task-stopped',
  },
  {
    id: 68,
    category: 'spot_interruption',
    pattern: /SpotInterruptionError/i,
    prefixes: ['SpotInterruptionError'],
    docsUrl: `${DOCS}/spot-interruption-errors.html`,
  },

  // 4.2 TaskFailedToStart.
  {
    id: 11,
    category: 'task_failed_to_start_network',
    pattern: /Unexpected EC2 error while attempting to Create Network Interface/i,
    cause: 'The subnet has no free IP addresses left for the task’s network interface.',
    remedy: 'Free addresses in the subnet, or give the service more or larger subnets.',
  },
  {
    id: null,
    category: 'task_failed_to_start_network',
    pattern: /Timeout waiting for network interface provisioning to complete/i,
    cause: 'The network interface for the task was not ready in time.',
    remedy: 'Retry; check the subnet for free addresses and the account for ENI limits if it persists.',
  },
  {
    id: 12,
    category: 'task_failed_to_start_internal',
    pattern: /(^|Reason: )InternalError:/i,
    prefixes: ['InternalError'],
  },
  {
    id: 13,
    category: 'task_failed_to_start_config',
    pattern: /task definition is not compatible with the selected compute strategy/i,
  },
  {
    id: 14,
    category: 'task_failed_to_start_network',
    pattern: /Unable to attach network interface to unused device index/i,
    cause: 'The EC2 instance has no free network interface slot for another awsvpc task.',
    remedy: 'Use larger instances, enable ENI trunking, or run fewer awsvpc tasks per instance.',
  },
  {
    id: 15,
    category: 'container_instance_agent_disconnected',
    pattern: /^AGENT$|error "AGENT"|have the agent connected/i,
    cause: "The container instance chosen for the task has a disconnected ECS agent, so ECS will not place tasks there.",
    remedy: 'Restart or update the ECS agent; check the instance role and the network path to the ECS endpoint.',
    docsUrl: FAILURES,
  },

  // 4.3 Placement and service events. RESOURCE:FARGATE is only a Spot problem with a FARGATE_SPOT provider; the service classifier decides.
  {
    id: 20,
    category: 'placement_failure_capacity',
    pattern: /RESOURCE:FARGATE/i,
    cause: 'Fargate had no capacity for the task.',
    remedy: 'Use subnets in several Availability Zones; mix FARGATE and FARGATE_SPOT capacity providers.',
    docsUrl: FAILURES,
  },
  {
    id: 16,
    category: 'placement_failure_insufficient_resources',
    pattern: /RESOURCE:CPU|insufficient CPU units/i,
    cause: 'No container instance has enough free CPU units for the task.',
    remedy: 'Add capacity (capacity provider managed scaling) or lower the task CPU.',
    docsUrl: FAILURES,
  },
  {
    id: 17,
    category: 'placement_failure_insufficient_resources',
    pattern: /RESOURCE:MEMORY|insufficient memory/i,
    cause: 'No container instance has enough free memory for the task.',
    remedy: 'Add capacity or lower the task memory; leave room for the agent and OS on each instance.',
    docsUrl: FAILURES,
  },
  {
    id: 18,
    category: 'placement_failure_insufficient_resources',
    pattern: /RESOURCE:PORTS|already using a port required by your task/i,
    cause: 'The host port the task needs is taken on every candidate instance.',
    remedy: 'Use dynamic host ports (hostPort 0 or awsvpc), or more instances.',
    docsUrl: FAILURES,
  },
  {
    id: 19,
    category: 'placement_failure_insufficient_resources',
    pattern: /RESOURCE:(ENI|GPU)|network interface attachment/i,
    cause: 'No container instance has a free network interface (or GPU) for the task.',
    remedy: 'Enable ENI trunking or use larger instances; add GPU capacity for GPU tasks.',
    docsUrl: FAILURES,
  },
  {
    id: 21,
    category: 'placement_failure_constraints',
    pattern: /^ATTRIBUTE|missing (an|a)? ?(required )?attribute/i,
    docsUrl: FAILURES,
  },
  {
    id: 23,
    category: 'quota_exceeded',
    pattern: /reached the limit on the number of (tasks|vCPUs) you can run concurrently/i,
    cause: 'The account reached its quota of concurrently running Fargate tasks or vCPUs.',
    remedy: 'Request a quota increase in Service Quotas.',
  },
  {
    id: 24,
    category: 'quota_exceeded',
    pattern: /requested (CPU|MEMORY) configuration is above your limit/i,
    cause: 'The task asks for more CPU or memory than the account may run per Fargate task.',
    remedy: 'Request a quota increase or make the task smaller.',
  },
  { id: 25, category: 'placement_failure_unsupported_az', pattern: /Reason: Internal error\.?/i },
  { id: 26, category: 'placement_failure_capacity', pattern: /Capacity is unavailable at this time/i },
  { id: 22, category: 'placement_failure_no_instances', pattern: /no container instance met all of its requirements|No Container Instances were found/i },
  { id: 27, category: 'service_task_start_impaired', pattern: /unable to consistently start tasks successfully/i },
  { id: 28, category: 'throttled', pattern: /operations are being throttled/i },
  {
    id: 29,
    category: 'deployment_config_blocked',
    pattern: /unable to stop or start tasks during a deployment because of the service deployment configuration/i,
  },
  { id: 30, category: 'scale_in_blocked_by_protection', pattern: /protected tasks are more than the desired count/i },
  { id: 31, category: 'elb_health_check_failed', pattern: /\) is unhealthy in \((elb|target-group) /i },
  {
    id: 32,
    category: 'service_configuration_failure',
    pattern: /long ARN format|ARN and resource ID format must be enabled|unable to assume the role|failed to assume the role/i,
  },

  // 4.1 Lifecycle and scheduler reasons.
  { id: 2, category: 'elb_health_check_failed', pattern: /Task failed ELB health checks/i },
  { id: 3, category: 'container_health_check_failed', pattern: /Task failed container health checks/i },
  { id: 4, category: 'service_scale_in', pattern: /Scaling activity initiated by/i },
  { id: 5, category: 'host_stopped_or_terminated', pattern: /Host EC2 \(instance [^)]*\) (stopped|terminated)/i },
  { id: 6, category: 'container_instance_deregistered', pattern: /Container instance deregistration forced by user/i },
  { id: 7, category: 'user_stopped', pattern: /^Task stopped by user/i },
  {
    id: 8,
    category: 'spot_interruption',
    pattern: /Your Spot Task was interrupted/i,
    docsUrl: `${DOCS}/fargate-capacity-providers.html`,
  },
  { id: 9, category: 'infrastructure_maintenance', pattern: /ECS is performing maintenance on the underlying infrastructure/i },
  // ECS Managed Instances drain every instance at day 14 (section 10 of the reference; message as given on
  // https://docs.aws.amazon.com/batch/latest/userguide/ecs-managed-instances-instance-draining.html).
  { id: null, category: 'instance_draining_stop', pattern: /Task stopped during instance draining/i },
  { id: 1, category: 'app_error_exit', pattern: /Essential container in task exited/i, generic: true },
  { id: 10, category: 'task_failed_to_start', pattern: /^Task failed to start/i, generic: true },
];

/** What the catalogue says about one message. */
export interface ReasonMatch {
  /** The entry whose category applies: the outer error name's, or the most specific entry when it agrees with it. */
  entry: CatalogueEntry;
  /** The most specific entry of the nested cause when it belongs to another category: it supplies the cause and remedy. */
  detail?: CatalogueEntry;
}

/** Error names that open a message, lower-cased (`Cannotstartcontainererror` is the same name), with their entry. */
const BY_PREFIX = new Map<string, CatalogueEntry>(
  CATALOGUE.flatMap((entry) => (entry.prefixes ?? []).map((prefix) => [prefix.toLowerCase(), entry] as const)),
);
const LEADING_NAME = /^\s*([a-z]+):/i;
/** A service event wraps a task's start failure after `Reason:` (section 9 of the reference). */
const WRAPPED_NAME = /\bReason:\s*([a-z]+):/i;

/** The catalogue entry of the error name that opens the message, or follows a service event's `Reason:`. */
function outerPrefix(text: string): CatalogueEntry | undefined {
  const name = LEADING_NAME.exec(text)?.[1] ?? WRAPPED_NAME.exec(text)?.[1];
  return name === undefined ? undefined : BY_PREFIX.get(name.toLowerCase());
}

/**
 * What the catalogue knows about a message, or undefined. The most specific entry is the first whose pattern occurs
 * in the text; when the message opens with a known error name of another category, that outer name decides the
 * category and the specific entry refines the cause and remedy, unless it is a dominant cause (out of memory, full disk).
 *
 * @example matchCatalogue('CannotStartContainerError: Error response from daemon: failed to initialize logging driver: …')
 * // { entry: #63 (cannot_start_container), detail: #55 (its logging-driver cause and remedy) }
 */
export function matchCatalogue(text: string | null | undefined): ReasonMatch | undefined {
  const value = text ?? '';
  const specific = CATALOGUE.find((entry) => entry.pattern.test(value));
  if (specific === undefined) return undefined;
  // Every known error name is in its own entry's pattern, so a message with an outer name always has a specific entry.
  const outer = outerPrefix(value);
  if (outer === undefined || specific.dominant === true || specific.category === outer.category) return { entry: specific };
  return { entry: outer, detail: specific };
}
