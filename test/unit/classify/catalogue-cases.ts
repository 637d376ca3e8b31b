import type { Category } from '../../../lib/classify/categories.ts';

/** Where a message appears: T = detail.stoppedReason of a task event, C = detail.containers[].reason, S = reason of an ECS Service Action event (SERVICE_TASK_PLACEMENT_FAILURE unless `eventName` says otherwise), D = reason of an ECS Deployment State Change. */
export type Where = 'T' | 'C' | 'S' | 'D';

export interface CatalogueCase {
  /** Pattern number in section 4 of the reference (1–68); 0 for extra cases (section 2.5 deployment reasons, section 9 variations). */
  id: number;
  where: Where;
  message: string;
  category: Category;
  /** For S cases whose eventName is not SERVICE_TASK_PLACEMENT_FAILURE, e.g. SERVICE_TASK_START_IMPAIRED, ECS_OPERATION_THROTTLED, SERVICE_TASK_CONFIGURATION_FAILURE. */
  eventName?: string;
  /** For S placement cases that depend on it, e.g. ['arn:aws:ecs:us-east-1:111122223333:capacity-provider/FARGATE_SPOT']. */
  capacityProviderArns?: string[];
  /** What this case demonstrates (old vs 2024 wording, typographic apostrophe, truncated, lower-case prefix, ...). */
  note: string;
}

/**
 * Independent test table for the stopped-reason catalogue (section 4 of /work/shared/reference/ecs-events.md),
 * written from the reference and from real messages, not from lib/classify/catalogue.ts.
 *
 * Each case names its source in a comment. "public GitHub file" means a verbatim quote found in a public repository
 * (README, notes, test fixture quoting a real event) whose repository the search tool did not name. Where no verbatim
 * sample was found, the message follows the reference's form and the note says which part is illustrative.
 * Placeholder values use account 111122223333, Region us-east-1 and service web-api unless the source had others.
 */
export const CATALOGUE_CASES: readonly CatalogueCase[] = [
  // ---- 4.1 Lifecycle / scheduler reasons ----
  // Source: https://repost.aws/knowledge-center/ecs-task-stopped
  { id: 1, where: 'T', message: 'Essential container in task exited', category: 'app_error_exit', note: 'essential container exit; the test pairs it with exit code 1' },
  // Source: public GitHub file found with find_string (repository not identified): several real stoppedReasons, e.g. "Task failed ELB health checks in (target-group arn:aws:elasticloadbalancing:ap-northeast-2:…:targetgroup/sin-web-target-dev/ccb1c7ee670051a0)"
  { id: 2, where: 'T', message: 'Task failed ELB health checks in (target-group arn:aws:elasticloadbalancing:us-east-1:111122223333:targetgroup/web-api-tg/ccb1c7ee670051a0)', category: 'elb_health_check_failed', note: 'target-group form (ALB/NLB)' },
  // Source: awsdocs/amazon-ecs-developer-guide doc_source/stopped-task-errors.md (classic console list)
  { id: 2, where: 'T', message: 'Task failed ELB health checks in (elb web-api-classic-elb)', category: 'elb_health_check_failed', note: 'older classic load balancer form (elb *)' },
  // Source: https://repost.aws/knowledge-center/ecs-task-stopped
  { id: 3, where: 'T', message: 'Task failed container health checks', category: 'container_health_check_failed', note: 'container HEALTHCHECK failure' },
  // Source: public GitHub file found with find_string (repository not identified) (real stoppedReason table with this exact deployment id); awsdocs/amazon-ecs-developer-guide doc_source/stopped-task-errors.md (classic console list)
  { id: 4, where: 'T', message: 'Scaling activity initiated by (deployment ecs-svc/8045142110272152487)', category: 'service_scale_in', note: 'scheduler scale-in / deployment replacement' },
  // Source: awsdocs/amazon-ecs-developer-guide doc_source/stopped-task-errors.md (classic console list)
  { id: 5, where: 'T', message: 'Host EC2 (instance i-0da6526579af3bd1b) stopped', category: 'host_stopped_or_terminated', note: 'stopped form' },
  // Source: public GitHub file found with find_string (repository not identified): "Host EC2 (instance i-0da6526579af3bd1b) terminated." with stopCode TerminationNotice
  { id: 5, where: 'T', message: 'Host EC2 (instance i-0da6526579af3bd1b) terminated.', category: 'host_stopped_or_terminated', note: 'terminated form with trailing period (as real events carry it)' },
  // Source: awsdocs/amazon-ecs-developer-guide doc_source/stopped-task-errors.md (classic console list); Seqera docs quote "Host EC2 (instance i-0282b396e52b4c95d) terminated"
  { id: 5, where: 'T', message: 'Host EC2 (instance i-04b17daec78ef4a0b) terminated', category: 'host_stopped_or_terminated', note: 'section 9 variation: terminated without trailing period' },
  // Source: awsdocs/amazon-ecs-developer-guide doc_source/stopped-task-errors.md (classic console list)
  { id: 6, where: 'T', message: 'Container instance deregistration forced by user', category: 'container_instance_deregistered', note: 'forced deregistration' },
  // Source: https://repost.aws/knowledge-center/ecs-task-stopped
  { id: 7, where: 'T', message: 'Task stopped by user', category: 'user_stopped', note: 'default StopTask reason' },
  // Source: https://docs.aws.amazon.com/AmazonECS/latest/developerguide/fargate-capacity-providers.html
  { id: 8, where: 'T', message: 'Your Spot Task was interrupted.', category: 'spot_interruption', note: 'Fargate Spot interruption as a stopped task' },
  // Source: https://docs.aws.amazon.com/AmazonECS/latest/developerguide/task-maintenance.html
  { id: 9, where: 'T', message: 'ECS is performing maintenance on the underlying infrastructure hosting the task', category: 'infrastructure_maintenance', note: 'Fargate task retirement' },
  // Source: reference (Elastic Beanstalk logs); also seen as AWS Batch statusReason with ContainerReason "DockerTimeoutError: …"
  { id: 10, where: 'T', message: 'Task failed to start', category: 'task_failed_to_start', note: 'legacy generic wording' },
  // ---- 4.2 TaskFailedToStart messages ----
  // Source: https://docs.aws.amazon.com/AmazonECS/latest/developerguide/failed-to-start-error.html; the ": InsufficientFreeAddressesInSubnet" suffix follows a public fixture of the sibling message without "with public IP assignment enabled"
  { id: 11, where: 'T', message: 'Unexpected EC2 error while attempting to Create Network Interface with public IP assignment enabled in subnet \'subnet-0a1b2c3d4e5f67890\': InsufficientFreeAddressesInSubnet', category: 'task_failed_to_start_network', note: 'public-IP subnet out of addresses; EC2 error code appended after the quoted subnet' },
  // Source: https://docs.aws.amazon.com/AmazonECS/latest/developerguide/failed-to-start-error.html
  { id: 12, where: 'T', message: 'InternalError: ENI attachment eni-0a1b2c3d4e5f67890 was reported after the attachment timeout', category: 'task_failed_to_start_internal', note: 'InternalError prefix; the text after the prefix is illustrative (docs only show "InternalError: <reason>")' },
  // Source: https://docs.aws.amazon.com/AmazonECS/latest/developerguide/failed-to-start-error.html
  { id: 13, where: 'T', message: 'The selected task definition is not compatible with the selected compute strategy', category: 'task_failed_to_start_config', note: 'launch type / capacity provider mismatch' },
  // Source: https://github.com/aws/containers-roadmap/issues/1545; https://docs.aws.amazon.com/AmazonECS/latest/developerguide/failed-to-start-error.html
  { id: 14, where: 'T', message: 'Unable to attach network interface to unused device index.', category: 'task_failed_to_start_network', note: 'awsvpc on EC2 without ENI slots (real message ends with a period)' },
  // Source: https://docs.aws.amazon.com/AmazonECS/latest/developerguide/failed-to-start-error.html
  { id: 15, where: 'T', message: 'AGENT', category: 'container_instance_agent_disconnected', note: 'bare AGENT code as stoppedReason' },
  // Source: https://docs.aws.amazon.com/AmazonECS/latest/developerguide/service-event-messages.html (also awsdocs/amazon-ecs-developer-guide doc_source/service-event-messages.md)
  { id: 15, where: 'S', message: '(service web-api) was unable to place a task because no container instance met all of its requirements. The closest matching (container-instance 0b1a497938464e3e846fb63a9ad545b0) encountered error "AGENT". For more information, see the Troubleshooting section of the Amazon ECS Developer Guide.', category: 'container_instance_agent_disconnected', note: 'service-event sentence with encountered error "AGENT"' },
  // ---- 4.3 Placement / service-event reasons ----
  // Source: https://docs.aws.amazon.com/AmazonECS/latest/developerguide/ecs_service_events.html (SERVICE_TASK_PLACEMENT_FAILURE example)
  { id: 16, where: 'S', message: 'RESOURCE:CPU', category: 'placement_failure_insufficient_resources', note: 'placement failure code' },
  // Source: public GitHub file found with find_string (repository not identified) (Spinnaker clouddriver ECS test fixture); https://docs.aws.amazon.com/AmazonECS/latest/developerguide/service-event-messages.html (also awsdocs/amazon-ecs-developer-guide doc_source/service-event-messages.md)
  { id: 16, where: 'S', message: '(service clouddriver-dev-v0013) was unable to place a task because no container instance met all of its requirements. The closest matching (container-instance b2db08b9-0e55-4f7e-8331-f9fb0a707938) has insufficient CPU units available. For more information, see the Troubleshooting section of the Amazon ECS Developer Guide.', category: 'placement_failure_insufficient_resources', note: 'sentence form, parenthesised API style' },
  // Source: https://docs.aws.amazon.com/AmazonECS/latest/developerguide/api_failures_messages.html
  { id: 17, where: 'S', message: 'RESOURCE:MEMORY', category: 'placement_failure_insufficient_resources', note: 'placement failure code' },
  // Source: public GitHub file found with find_string (repository not identified) (Go test fixture of a real service event)
  { id: 17, where: 'S', message: 'service httpd-web-SRZPVERKQOL was unable to place a task because no container instance met all of its requirements. The closest matching container-instance b1a73168-f8a6-4ed9-b69e-94adc7a0f1e0 has insufficient memory available. For more information, see the Troubleshooting section of the Amazon ECS Developer Guide.', category: 'placement_failure_insufficient_resources', note: 'sentence form, console style without parentheses' },
  // Source: https://docs.aws.amazon.com/AmazonECS/latest/developerguide/api_failures_messages.html
  { id: 18, where: 'S', message: 'RESOURCE:PORTS', category: 'placement_failure_insufficient_resources', note: 'placement failure code' },
  // Source: AWS CLI / SDK DescribeServices example (https://docs.aws.amazon.com/cli/latest/reference/ecs/describe-services.html)
  { id: 18, where: 'S', message: '(service ecs-simple-service) was unable to place a task because no container instance met all of its requirements. The closest matching (container-instance 3f4de1c5-ffdd-4954-af7e-75b4be0c8841) is already using a port required by your task. For more information, see the Troubleshooting section of the Amazon ECS Developer Guide.', category: 'placement_failure_insufficient_resources', note: 'sentence form: static host port in use' },
  // Source: https://docs.aws.amazon.com/AmazonECS/latest/developerguide/api_failures_messages.html
  { id: 19, where: 'S', message: 'RESOURCE:ENI', category: 'placement_failure_insufficient_resources', note: 'placement failure code' },
  // Source: https://github.com/aws/aws-app-mesh-examples/issues/342 (same wording in https://github.com/aws/amazon-ecs-agent/issues/2448)
  { id: 19, where: 'S', message: 'service appmesh-dev-ecs-colorapp-TcpEchoService-14M0PCTB9QFKJ was unable to place a task because no container instance met all of its requirements. The closest matching container-instance acf43593-6b86-4838-86e5-46d896fdc8b3 encountered error "RESOURCE:ENI". For more information, see the Troubleshooting section.', category: 'placement_failure_insufficient_resources', note: 'sentence form: the ENI sentence embeds the code as encountered error "RESOURCE:ENI"' },
  // Source: https://docs.aws.amazon.com/AmazonECS/latest/developerguide/ecs_service_events.html (SERVICE_TASK_PLACEMENT_FAILURE example)
  { id: 20, where: 'S', message: 'RESOURCE:FARGATE', category: 'placement_failure_spot_capacity', capacityProviderArns: ['arn:aws:ecs:us-east-1:111122223333:capacity-provider/FARGATE_SPOT'], note: 'no Fargate Spot capacity (capacity provider FARGATE_SPOT)' },
  // Source: https://docs.aws.amazon.com/AmazonECS/latest/developerguide/api_failures_messages.html
  { id: 21, where: 'S', message: 'ATTRIBUTE', category: 'placement_failure_constraints', note: 'placement failure code' },
  // Source: public GitHub file found with find_string (repository not identified) (ecs-cli / willy docs quote "The closest matching container-instance is missing an attribute required by your task")
  { id: 21, where: 'S', message: '(service web-api) was unable to place a task because no container instance met all of its requirements. The closest matching (container-instance 4f1a5c1e9d8b4b2f8a7c6d5e4f3a2b1c) is missing an attribute required by your task. For more information, see the Troubleshooting section of the Amazon ECS Developer Guide.', category: 'placement_failure_constraints', note: 'sentence form: the real text says "is missing an attribute required by your task", not "missing required attribute"' },
  // Source: public GitHub file found with find_string (repository not identified) (recorded DescribeServices output, 2016)
  { id: 22, where: 'S', message: '(service xmpp_component_service) was unable to place a task because no container instance met all of its requirements. Reason: No Container Instances were found in your cluster. For more information, see the Troubleshooting section of the Amazon ECS Developer Guide.', category: 'placement_failure_no_instances', note: 'no instances, with the Reason sentence' },
  // Source: https://docs.aws.amazon.com/AmazonECS/latest/developerguide/service-event-messages.html (also awsdocs/amazon-ecs-developer-guide doc_source/service-event-messages.md)
  { id: 22, where: 'S', message: '(service web-api) was unable to place a task because no container instance met all of its requirements.', category: 'placement_failure_no_instances', note: 'bare sentence as in the docs heading' },
  // Source: https://docs.aws.amazon.com/AmazonECS/latest/developerguide/service-event-messages.html (also awsdocs/amazon-ecs-developer-guide doc_source/service-event-messages.md)
  { id: 23, where: 'S', message: '(service web-api) was unable to place a task. Reason: You\'ve reached the limit on the number of tasks you can run concurrently', category: 'quota_exceeded', note: 'task-count quota, plain apostrophe as in the docs' },
  // Source: https://docs.aws.amazon.com/AmazonECS/latest/developerguide/service-event-messages.html (also awsdocs/amazon-ecs-developer-guide doc_source/service-event-messages.md)
  { id: 23, where: 'S', message: '(service web-api) was unable to place a task. Reason: You’ve reached the limit on the number of vCPUs you can run concurrently', category: 'quota_exceeded', note: 'vCPU quota, typographic apostrophe as in the docs' },
  // Source: public GitHub file found with find_string (repository not identified)
  { id: 23, where: 'S', message: '(service web-api) was unable to place a task. Reason: You\'ve reached the limit on the number of vCPUs you can run concurrently', category: 'quota_exceeded', note: 'vCPU quota, plain apostrophe (as quoted in public reports)' },
  // Source: public GitHub file found with find_string (repository not identified) (user report quoting the service event)
  { id: 23, where: 'S', message: 'service web-api was unable to place a task because no container instance met all of its requirements. Reason: You\'ve reached the limit on the number of tasks you can run concurrently. For more information, see the Troubleshooting section.', category: 'quota_exceeded', note: 'quota Reason inside the no-instance sentence (EC2 capacity-provider variant): the Reason decides' },
  // Source: https://docs.aws.amazon.com/AmazonECS/latest/developerguide/service-event-messages.html (also awsdocs/amazon-ecs-developer-guide doc_source/service-event-messages.md)
  { id: 24, where: 'S', message: '(service web-api) was unable to place a task. Reason: The requested CPU configuration is above your limit.', category: 'quota_exceeded', note: 'Fargate CPU size quota' },
  // Source: https://docs.aws.amazon.com/AmazonECS/latest/developerguide/service-event-messages.html (also awsdocs/amazon-ecs-developer-guide doc_source/service-event-messages.md)
  { id: 24, where: 'S', message: '(service web-api) was unable to place a task. Reason: The requested MEMORY configuration is above your limit.', category: 'quota_exceeded', note: 'Fargate MEMORY size quota' },
  // Source: https://docs.aws.amazon.com/AmazonECS/latest/developerguide/service-event-messages.html (also awsdocs/amazon-ecs-developer-guide doc_source/service-event-messages.md)
  { id: 25, where: 'S', message: '(service web-api) was unable to place a task. Reason: Internal error.', category: 'placement_failure_unsupported_az', note: 'subnet in an AZ Fargate does not support' },
  // Source: https://docs.aws.amazon.com/AmazonECS/latest/developerguide/service-event-messages.html (also awsdocs/amazon-ecs-developer-guide doc_source/service-event-messages.md); https://github.com/sil-org/ecs-deploy/issues/277
  { id: 26, where: 'S', message: '(service web-api) was unable to place a task. Reason: Capacity is unavailable at this time. Please try again later or in a different availability zone.', category: 'placement_failure_capacity', note: 'AZ capacity shortfall, current docs sentence' },
  // Source: https://docs.aws.amazon.com/AmazonECS/latest/developerguide/service-event-messages.html (also awsdocs/amazon-ecs-developer-guide doc_source/service-event-messages.md)
  { id: 27, where: 'S', message: '(service web-api) is unable to consistently start tasks successfully.', category: 'service_task_start_impaired', eventName: 'SERVICE_TASK_START_IMPAIRED', note: 'SERVICE_TASK_START_IMPAIRED' },
  // Source: https://docs.aws.amazon.com/AmazonECS/latest/developerguide/service-event-messages.html (also awsdocs/amazon-ecs-developer-guide doc_source/service-event-messages.md)
  { id: 28, where: 'S', message: '(service web-api) operations are being throttled. Will try again later.', category: 'throttled', eventName: 'ECS_OPERATION_THROTTLED', note: 'ECS_OPERATION_THROTTLED' },
  // Source: https://docs.aws.amazon.com/AmazonECS/latest/developerguide/service-event-messages.html (also awsdocs/amazon-ecs-developer-guide doc_source/service-event-messages.md)
  { id: 29, where: 'S', message: '(service web-api) was unable to stop or start tasks during a deployment because of the service deployment configuration. Update the minimumHealthyPercent or maximumPercent value and try again.', category: 'deployment_config_blocked', note: 'minimumHealthyPercent/maximumPercent leave no room' },
  // Source: https://docs.aws.amazon.com/AmazonECS/latest/developerguide/service-event-messages.html (also awsdocs/amazon-ecs-developer-guide doc_source/service-event-messages.md)
  { id: 30, where: 'S', message: '(service web-api) was unable to reach steady state because task set (ecs-svc/1234567890123456789) was unable to scale in. Reason: The number of protected tasks are more than the desired count of tasks.', category: 'scale_in_blocked_by_protection', note: 'task scale-in protection (contains "Reason:" that is not a task start failure)' },
  // Source: https://docs.aws.amazon.com/AmazonECS/latest/developerguide/service-event-messages.html (also awsdocs/amazon-ecs-developer-guide doc_source/service-event-messages.md)
  { id: 31, where: 'S', message: '(service web-api) (instance i-0abcd1234ef567890) is unhealthy in (elb web-api-classic-elb) due to (reason Instance has failed at least the UnhealthyThreshold number of health checks consecutively.)', category: 'elb_health_check_failed', note: 'classic ELB instance health service event' },
  // Source: public GitHub file found with find_string (repository not identified) (bootcamp journal quoting the console: "service backend-flask failed to launch a task with (error ECS was unable to assume the role …)")
  { id: 32, where: 'S', message: '(service backend-flask) failed to launch a task with (error ECS was unable to assume the role \'arn:aws:iam::111122223333:role/CruddurTaskRole\' that was provided for this task. Please verify that the role being passed has the proper trust relationship and permissions and that your IAM user has permissions to pass this role.)', category: 'service_configuration_failure', eventName: 'SERVICE_TASK_CONFIGURATION_FAILURE', note: 'task role cannot be assumed' },
  // Source: https://developer.harness.io/docs/first-gen/continuous-delivery/aws-deployments/ecs-deployment/ecs-troubleshooting
  { id: 32, where: 'S', message: 'The new ARN and resource ID format must be enabled to add tags to the service. Opt in to the new format and try again.', category: 'service_configuration_failure', eventName: 'SERVICE_TASK_CONFIGURATION_FAILURE', note: 'tags without the long ARN format opt-in (the InvalidParameterException text)' },
  // ---- 4.4 CannotPullContainer (image_pull_failure unless the host disk is full) ----
  // Source: aws/amazon-ecs-agent PR #4181 (https://github.com/aws/amazon-ecs-agent/pull/4181), errormessages/error_messages.go (formatMissingECRBatchGetImageError and its test)
  { id: 33, where: 'C', message: 'CannotPullContainerError: The task can’t pull the image. Check that the role has the permissions to pull images from the registry. Error response from daemon: pull access denied for 111122223333.dkr.ecr.us-east-1.amazonaws.com/web-api, repository does not exist or may require \'docker login\': denied: User: arn:aws:sts::111122223333:assumed-role/ecsTaskExecutionRole/0f1e2d3c4b5a49788796a5b4c3d2e1f0 is not authorized to perform: ecr:BatchGetImage on resource: arn:aws:ecr:us-east-1:111122223333:repository/web-api because no identity-based policy allows the ecr:BatchGetImage action', category: 'image_pull_failure', note: '2024 agent wording with typographic apostrophe, prefixed and followed by the raw daemon error' },
  // Source: https://docs.aws.amazon.com/AmazonECS/latest/developerguide/task_cannot_pull_image.html
  { id: 33, where: 'T', message: 'The task can’t pull the image. Check that the role has the permissions to pull images from the registry.', category: 'image_pull_failure', note: '2024 wording, typographic apostrophe, as the docs heading' },
  // Source: https://docs.aws.amazon.com/AmazonECS/latest/developerguide/task_cannot_pull_image.html (anchor text) and public blog quotes
  { id: 33, where: 'T', message: 'The task can\'t pull the image. Check that the role has the permissions to pull images from the registry.', category: 'image_pull_failure', note: '2024 wording with plain apostrophe' },
  // Source: https://docs.aws.amazon.com/AmazonECS/latest/developerguide/task_cannot_pull_image.html
  { id: 34, where: 'T', message: 'The task cannot pull \'111122223333.dkr.ecr.us-east-1.amazonaws.com/web-api:1.4.2\' from the Amazon ECR repository \'111122223333.dkr.ecr.us-east-1.amazonaws.com/web-api\'. There is a connection issue between the task and Amazon ECR. Check your task network configuration.', category: 'image_pull_failure', note: 'no network path to ECR, plain quotes' },
  // Source: https://docs.aws.amazon.com/AmazonECS/latest/developerguide/task_cannot_pull_image.html
  { id: 34, where: 'T', message: 'The task cannot pull ‘111122223333.dkr.ecr.us-east-1.amazonaws.com/web-api:1.4.2’ from the Amazon ECR repository ‘111122223333.dkr.ecr.us-east-1.amazonaws.com/web-api’. There is a connection issue between the task and Amazon ECR. Check your task network configuration.', category: 'image_pull_failure', note: 'same with typographic quotes as printed in the docs' },
  // Source: aws/amazon-ecs-agent PR #4181 (https://github.com/aws/amazon-ecs-agent/pull/4181), errormessages/error_messages.go (formatNetworkConfigurationError)
  { id: 35, where: 'C', message: 'CannotPullContainerError: The task can’t pull the image. Check your network configuration. Error response from daemon: Get "https://111122223333.dkr.ecr.us-east-1.amazonaws.com/v2/": net/http: request canceled while waiting for connection (Client.Timeout exceeded while awaiting headers)', category: 'image_pull_failure', note: '2024 wording, typographic apostrophe, prefixed with the raw error appended' },
  // Source: https://docs.aws.amazon.com/AmazonECS/latest/developerguide/task_cannot_pull_image.html
  { id: 35, where: 'T', message: 'The task can\'t pull the image. Check your network configuration', category: 'image_pull_failure', note: '2024 wording with plain apostrophe, no trailing period as in the docs heading' },
  // Source: https://github.com/ActionIQ/terraform-aws-retool-ecs-fargate/issues/20
  { id: 36, where: 'T', message: 'CannotPullContainerError: pull image manifest has been retried 5 time(s): failed to resolve ref docker.io/tryretool/backend:2.110.5: failed to do request: Head "https://registry-1.docker.io/v2/tryretool/backend/manifests/2.110.5": dial tcp 34.205.13.154:443: i/o timeout', category: 'image_pull_failure', note: 'failed to resolve ref: unreachable registry (i/o timeout)' },
  // Source: https://docs.aws.amazon.com/AmazonECS/latest/developerguide/task_cannot_pull_image.html; tail as in a real "inspect image" report
  { id: 36, where: 'T', message: 'CannotPullContainerError: pull image manifest has been retried 5 time(s): failed to resolve ref 111122223333.dkr.ecr.us-east-1.amazonaws.com/web-api:1.4.3: 111122223333.dkr.ecr.us-east-1.amazonaws.com/web-api:1.4.3: not found', category: 'image_pull_failure', note: 'failed to resolve ref: tag not in the repository (not found)' },
  // Source: public GitHub file found with find_string (repository not identified) (real console line "STOPPED (CannotPullContainerError: inspect image has been retried …)")
  { id: 36, where: 'T', message: 'CannotPullContainerError: inspect image has been retried 1 time(s): failed to resolve ref "262429377270.dkr.ecr.ap-northeast-2.amazonaws.com/keyword-dev:latest": 262429377270.dkr.ecr.ap-northeast-2.amazonaws.com/keyword-dev:latest: not found', category: 'image_pull_failure', note: 'older "inspect image" wording of the same failure' },
  // Source: awsdocs/amazon-ecs-developer-guide doc_source/task_cannot_pull_image.md (2023 docs)
  { id: 37, where: 'C', message: 'CannotPullContainerError: API error (500): Get https://111122223333.dkr.ecr.us-east-1.amazonaws.com/v2/: net/http: request canceled while waiting for connection', category: 'image_pull_failure', note: 'no route to the registry' },
  // Source: https://docs.aws.amazon.com/AmazonECS/latest/developerguide/task_cannot_pull_image.html; KC https://aws.amazon.com/premiumsupport/knowledge-center/ecs-pull-container-api-error-ecr/
  { id: 38, where: 'C', message: 'CannotPullContainerError: API error', category: 'image_pull_failure', note: 'bare API error' },
  // Source: awsdocs/amazon-ecs-developer-guide doc_source/task_cannot_pull_image.md (2023 docs)
  { id: 39, where: 'C', message: 'CannotPullContainerError: API error (404): repository 111122223333.dkr.ecr.us-east-1.amazonaws.com/team-a/web-api not found', category: 'image_pull_failure', note: 'wrong repository URI (2023 docs)' },
  // Source: awsdocs/amazon-ecs-developer-guide doc_source/task_cannot_pull_image.md (2023 docs)
  { id: 40, where: 'C', message: 'CannotPullContainerError: write /var/lib/docker/tmp/GetImageBlob111111111: no space left on device', category: 'host_disk_full', note: 'instance disk full during pull (prefixed form of the 2023 docs); host disk, not an image problem' },
  // Source: https://docs.aws.amazon.com/AmazonECS/latest/developerguide/task_cannot_pull_image.html
  { id: 40, where: 'T', message: 'write /var/lib/docker/tmp/GetImageBlob294174102: no space left on device', category: 'host_disk_full', note: 'unprefixed form as in the current docs heading' },
  // Source: awsdocs/amazon-ecs-developer-guide doc_source/task_cannot_pull_image.md (2023 docs)
  { id: 41, where: 'C', message: 'ERROR: toomanyrequests: Too Many Requests.', category: 'image_pull_failure', note: 'Docker Hub rate limit, first form' },
  // Source: awsdocs/amazon-ecs-developer-guide doc_source/task_cannot_pull_image.md (2023 docs)
  { id: 41, where: 'C', message: 'You have reached your pull rate limit. You may increase the limit by authenticating and upgrading: https://www.docker.com/increase-rate-limits.', category: 'image_pull_failure', note: 'Docker Hub rate limit, second form' },
  // Source: Docker daemon wording; KC https://repost.aws/knowledge-center/ecs-pull-container-error
  { id: 41, where: 'C', message: 'CannotPullContainerError: Error response from daemon: toomanyrequests: You have reached your pull rate limit. You may increase the limit by authenticating and upgrading: https://www.docker.com/increase-rate-limit', category: 'image_pull_failure', note: 'rate limit as the EC2 agent reports it (prefixed daemon error)' },
  // Source: public GitHub file found with find_string (repository not identified) (README quoting the error with an ECR URL); https://docs.aws.amazon.com/AmazonECS/latest/developerguide/task_cannot_pull_image.html
  { id: 42, where: 'C', message: 'CannotPullContainerError: Error response from daemon: Get https://111122223333.dkr.ecr.us-east-1.amazonaws.com/v2/: net/http: request canceled while waiting for connection (Client.Timeout exceeded while awaiting headers)', category: 'image_pull_failure', note: 'daemon timeout, no route' },
  // Source: awsdocs/amazon-ecs-developer-guide doc_source/task_cannot_pull_image.md (2023 docs)
  { id: 43, where: 'C', message: 'CannotPullContainerError: ref pull has been retried 1 time(s): failed to copy: httpReaderSeeker: failed open: unexpected status code', category: 'image_pull_failure', note: 'layer copy failed' },
  // Source: aws/amazon-ecs-agent PR #4181 (https://github.com/aws/amazon-ecs-agent/pull/4181), errormessages/error_messages.go (example in the parser comments)
  { id: 44, where: 'C', message: 'CannotPullContainerError: Error response from daemon: pull access denied for 111122223333.dkr.ecr.us-east-1.amazonaws.com/web-api, repository does not exist or may require \'docker login\': denied: requested access to the resource is denied', category: 'image_pull_failure', note: 'pull access denied (pre-2024 agent, raw daemon error)' },
  // Source: https://docs.aws.amazon.com/AmazonECS/latest/developerguide/task_cannot_pull_image.html
  { id: 45, where: 'C', message: 'pull command failed: panic: runtime error: invalid memory address or nil pointer dereference', category: 'image_pull_failure', note: 'no S3 access for ECR layers (docs heading form)' },
  // Source: https://docs.aws.amazon.com/AmazonECS/latest/developerguide/task_cannot_pull_image.html; Docker wording "error pulling image configuration: download failed after attempts=6: …" from public reports
  { id: 46, where: 'C', message: 'CannotPullContainerError: error pulling image configuration: download failed after attempts=6: net/http: TLS handshake timeout', category: 'image_pull_failure', note: 'error pulling image configuration (full word)' },
  // Source: https://docs.aws.amazon.com/AmazonECS/latest/developerguide/task_cannot_pull_image.html
  { id: 46, where: 'C', message: 'CannotPullContainerError: error pulling image conf', category: 'image_pull_failure', note: 'error pulling image conf (shortened form listed in the docs)' },
  // Source: https://docs.aws.amazon.com/AmazonECS/latest/developerguide/task_cannot_pull_image.html
  { id: 47, where: 'C', message: 'Context canceled', category: 'image_pull_failure', note: 'docs heading form' },
  // Source: https://docs.aws.amazon.com/AmazonECS/latest/developerguide/task_cannot_pull_image.html
  { id: 47, where: 'C', message: 'CannotPullContainerError: context canceled', category: 'image_pull_failure', note: 'prefixed lower-case form' },
  // Source: public GitHub file found with find_string (repository not identified) (CDK project README quoting the StoppedReason)
  { id: 48, where: 'T', message: 'CannotPullContainerError: ref pull has been retried 1 time(s): failed to unpack image on snapshotter overlayfs: failed to extract layer sha256:c02342326b04a05fa0fc4c703c4aaa8ffb46cc0f2eda269c4a0dee53c8296182: failed to get stream processor for application/vnd.in-toto+json: no processor for media-type: unknown', category: 'image_pull_failure', note: 'attestation manifest the runtime cannot unpack (observed, not in AWS docs)' },
  // ---- 4.5 ResourceInitializationError ----
  // Source: public GitHub file found with find_string (repository not identified) (several READMEs and Terraform comments quote it verbatim); https://repost.aws/knowledge-center/ecs-unable-to-pull-secrets
  { id: 49, where: 'T', message: 'ResourceInitializationError: unable to pull secrets or registry auth: execution resource retrieval failed: unable to retrieve ecr registry auth: service call has been retried 3 time(s): RequestError: send request failed caused by: Post "https://api.ecr.us-east-1.amazonaws.com/": dial tcp 52.46.145.142:443: i/o timeout. Please check your task network configuration.', category: 'resource_init_failure', note: 'pre-2024 wording: ECR auth i/o timeout' },
  // Source: public GitHub file found with find_string (repository not identified) (1Password SCIM bridge docs quote this structure)
  { id: 50, where: 'T', message: 'ResourceInitializationError: unable to pull secrets or registry auth: execution resource retrieval failed: unable to retrieve secret from asm: service call has been retried 5 time(s): failed to fetch secret arn:aws:secretsmanager:us-east-1:111122223333:secret:prod/web-api/db-AbCdEf from secrets manager: RequestCanceled: request context canceled caused by: context deadline exceeded. Please check your task network configuration.', category: 'resource_init_failure', note: 'pre-2024 wording: Secrets Manager unreachable' },
  // Source: public GitHub file found with find_string (repository not identified) (blog quoting the AccessDeniedException variant)
  { id: 50, where: 'T', message: 'ResourceInitializationError: unable to pull secrets or registry auth: execution resource retrieval failed: unable to retrieve secret from asm: service call has been retried 1 time(s): failed to fetch secret arn:aws:secretsmanager:us-east-1:111122223333:secret:prod/web-api/db-AbCdEf from secrets manager: AccessDeniedException: User: arn:aws:sts::111122223333:assumed-role/ecsTaskExecutionRole/26e17af95b5e431893308026b892584f is not authorized to perform: secretsmanager:GetSecretValue on resource: arn:aws:secretsmanager:us-east-1:111122223333:secret:prod/web-api/db-AbCdEf because no identity-based policy allows the secretsmanager:GetSecretValue action', category: 'resource_init_failure', note: 'pre-2024 wording: execution role lacks secretsmanager:GetSecretValue' },
  // Source: public GitHub file found with find_string (repository not identified) (notes quoting "service seller-service-… was unable to place a task. Reason: ResourceInitializationError: …")
  { id: 50, where: 'T', message: 'ResourceInitializationError: unable to pull secrets or registry auth: unable to retrieve secret from asm: There is a connection issue between the task and AWS Secrets Manager. Check your task network configuration. failed to fetch secret arn:aws:secretsmanager:us-east-1:111122223333:secret:prod/web-api/db-AbCdEf from secrets manager: operation error Secrets Manager: GetSecretValue, https response error StatusCode: 0, RequestID: , canceled, context deadline exceeded.', category: 'resource_init_failure', note: '2024+ wording: no "execution resource retrieval failed", no retry count' },
  // Source: reference section 4.5 #50
  { id: 50, where: 'T', message: 'ResourceInitializationError: unable to pull secrets or registry auth: execution resource retrieval failed: unable to get registry auth from asm: service call has been retried 1 time(s): AccessDeniedException: User is not authorized to perform: secretsmanager:GetSecretValue', category: 'resource_init_failure', note: 'private registry credentials variant "unable to get registry auth from asm" (built from the reference form; no verbatim sample found)' },
  // Source: public GitHub file found with find_string (repository not identified) (Japanese note quoting the stopped reason)
  { id: 51, where: 'T', message: 'ResourceInitializationError: unable to pull secrets or registry auth: execution resource retrieval failed: unable to retrieve secrets from ssm: service call has been retried 5 time(s): RequestCanceled: request context canceled caused by: context deadline exceeded', category: 'resource_init_failure', note: 'pre-2024 wording: SSM Parameter Store unreachable' },
  // Source: public GitHub file found with find_string (repository not identified) (Japanese deployment notes quoting the error)
  { id: 51, where: 'T', message: 'ResourceInitializationError: unable to pull secrets or registry auth: unable to retrieve secrets from ssm: The task cannot pull secrets from AWS Systems Manager. There is a connection issue between the task and AWS Systems Manager Parameter Store. Check your task network configuration. RequestCanceled: request context canceled caused by: context deadline exceeded', category: 'resource_init_failure', note: '2024+ wording for SSM' },
  // Source: reference section 4.5 #52 (SDK v1 validation message)
  { id: 52, where: 'T', message: 'ResourceInitializationError: unable to pull secrets or registry auth: execution resource retrieval failed: unable to retrieve secret from asm: service call has been retried 1 time(s): failed to fetch secret arn:aws:secretsmanager:us-east-1:111122223333:secret:prod/web-api/db-AbCdEf:password:AWSCURRENT:v1 from secrets manager: InvalidParameter: 1 validation error(s) found. - minimum field size of 32, GetSecretValueInput.VersionId.', category: 'resource_init_failure', note: 'malformed version id in valueFrom (SDK validation error; its newline written as a space)' },
  // Source: public GitHub file found with find_string (repository not identified) (Reddit digest and Terraform comments quote it verbatim)
  { id: 53, where: 'T', message: 'ResourceInitializationError: unable to pull secrets or registry auth: pull command failed: : signal: killed', category: 'resource_init_failure', note: 'pull/auth helper killed by a network timeout' },
  // Source: public GitHub file found with find_string (repository not identified) (Terraform comment: "stoppedReason": "ResourceInitializationError: failed to validate logger args: : signal: killed")
  { id: 54, where: 'T', message: 'ResourceInitializationError: failed to validate logger args: : signal: killed', category: 'resource_init_failure', note: 'awslogs cannot reach CloudWatch Logs' },
  // Source: public GitHub file found with find_string (repository not identified) (several reports; newer SDKs insert "operation error CloudWatch Logs: CreateLogStream, …")
  { id: 54, where: 'T', message: 'ResourceInitializationError: failed to validate logger args: create stream has been retried 1 times: failed to create Cloudwatch log stream: ResourceNotFoundException: The specified log group does not exist.', category: 'resource_init_failure', note: 'log group missing' },
  // Source: public GitHub file found with find_string (repository not identified) (VPC endpoint notes quoting the error)
  { id: 54, where: 'T', message: 'ResourceInitializationError: failed to validate logger args: The task cannot find the Amazon CloudWatch log group defined in the task definition. There is a connection issue between the task and Amazon CloudWatch. Check your network configuration. : signal: killed', category: 'resource_init_failure', note: '2024+ wording of the logger-args failure' },
  // Source: public GitHub file found with find_string (repository not identified) (Korean troubleshooting post quoting "ResourceInitializationError: failed to initialize logging driver: … dial tcp: lookup logs.ap-northeast-2.amazonaws.com: i/o timeout")
  { id: 55, where: 'T', message: 'ResourceInitializationError: failed to initialize logging driver: dial tcp: lookup logs.us-east-1.amazonaws.com: i/o timeout', category: 'resource_init_failure', note: 'logging driver setup failed' },
  // Source: public GitHub file found with find_string (repository not identified) (stop-reason write-up: "stoppedReason": "ResourceInitializationError: unable to pull secrets or registry auth: The task cannot pull registry auth from Amazon ECR: …")
  { id: 56, where: 'T', message: 'ResourceInitializationError: unable to pull secrets or registry auth: The task cannot pull registry auth from Amazon ECR: There is a connection issue between the task and Amazon ECR. Check your task network configuration. operation error ECR: GetAuthorizationToken, exceeded maximum number of attempts, 3, https response error StatusCode: 0, RequestID: , request send failed, Post "https://api.ecr.us-east-1.amazonaws.com/": dial tcp 52.46.145.142:443: i/o timeout', category: 'resource_init_failure', note: '2024+ wording of #49 (registry auth from ECR)' },
  // Source: public GitHub file found with find_string (repository not identified) (project notes "Problem 10" quoting the service event)
  { id: 56, where: 'S', message: 'service dev-api-gateway-service was unable to place a task. Reason: ResourceInitializationError: unable to pull secrets or registry auth: The task cannot pull registry auth from Amazon ECR: There is a connection issue between the task and Amazon ECR. Check your task network configuration. operation error ECR: GetAuthorizationToken, exceeded maximum number of attempts, 3, https response error StatusCode: 0, RequestID: , request send failed, Post "https://api.ecr.eu-north-1.amazonaws.com/": dial tcp 13.53.180.123:443: i/o timeout.', category: 'resource_init_failure', note: 'section 9 variation: start failure wrapped in a service event after "Reason:"' },
  // Source: public GitHub file found with find_string (repository not identified) (several notes quote it; the VPC had DNS hostnames disabled)
  { id: 57, where: 'T', message: 'ResourceInitializationError: failed to invoke EFS utils commands to set up EFS volumes: stderr: Failed to resolve "fs-0e4a39a0b7bb8b885.efs.us-east-1.amazonaws.com" - check that your file system ID is correct, and ensure that the VPC has an EFS mount target for this file system ID. See https://docs.aws.amazon.com/console/efs/mount-dns-name for more detail.', category: 'resource_init_failure', note: 'other ResourceInitializationError: EFS mount' },
  // ---- 4.6 Secrets not found ----
  // Source: https://docs.aws.amazon.com/AmazonECS/latest/developerguide/resource-not-found-error.html
  { id: 58, where: 'T', message: 'The task can\'t retrieve the secret with ARN \'arn:aws:secretsmanager:us-east-1:111122223333:secret:prod/web-api/db-AbCdEf\' from AWS Secrets Manager. Check whether the secret exists in the specified Region.', category: 'secret_not_found', note: '2024 wording with plain apostrophe, as in the docs' },
  // Source: reference section 4.6 / section 9 (apostrophes vary)
  { id: 58, where: 'T', message: 'The task can’t retrieve the secret with ARN \'arn:aws:secretsmanager:us-east-1:111122223333:secret:prod/web-api/db-AbCdEf\' from AWS Secrets Manager. Check whether the secret exists in the specified Region.', category: 'secret_not_found', note: '2024 wording with typographic apostrophe' },
  // Source: aws/amazon-ecs-agent asm.go resourceInitializationErrMsg and its test (PR #4181)
  { id: 58, where: 'T', message: 'ResourceNotFoundException: The task can\'t retrieve the secret with ARN \'arn:aws:secretsmanager:us-east-1:111122223333:secret:prod/web-api/db-AbCdEf\' from AWS Secrets Manager. Check whether the secret exists in the specified Region', category: 'secret_not_found', note: 'as the agent formats it: ResourceNotFoundException prefix, no final period' },
  // Source: https://docs.aws.amazon.com/AmazonECS/latest/developerguide/resource-not-found-error.html
  { id: 59, where: 'T', message: 'Fetching secret data from AWS Secrets Manager in region us-east-1: secret arn:aws:secretsmanager:us-east-1:111122223333:secret:prod/web-api/db-AbCdEf: ResourceNotFoundException: Secrets Manager can\'t find the specified secret.', category: 'secret_not_found', note: 'older (pre-2024 / pre-1.4) wording of #58' },
  // ---- 4.7 Container runtime and resource errors ----
  // Source: https://docs.aws.amazon.com/AmazonECS/latest/developerguide/out-of-memory.html
  { id: 60, where: 'C', message: 'OutOfMemoryError: Container killed due to memory usage', category: 'oom', note: 'OOM kill; the test pairs it with exit code 137' },
  // Source: https://docs.aws.amazon.com/AmazonECS/latest/developerguide/container-runtime-error.html
  { id: 61, where: 'C', message: 'ContainerRuntimeError: failed to create shim task: context deadline exceeded', category: 'runtime_error', note: 'ContainerRuntimeError prefix; the text after it is illustrative (docs name only the prefix)' },
  // Source: https://docs.aws.amazon.com/AmazonECS/latest/developerguide/container-runtime-timeout-error.html
  { id: 62, where: 'C', message: 'ContainerRuntimeTimeoutError: Could not transition to running; timed out after waiting 3m0s: context deadline exceeded', category: 'runtime_timeout', note: 'Fargate 1.4+ timeout; tail after the duration illustrative' },
  // Source: public GitHub file found with find_string (repository not identified) (ElasticBLAST docs: AWS Batch ContainerReason "DockerTimeoutError: Could not transition to created; timed out after waiting 4m0s")
  { id: 62, where: 'C', message: 'DockerTimeoutError: Could not transition to created; timed out after waiting 4m0s', category: 'runtime_timeout', note: 'Docker-era (platform <=1.3 / EC2) timeout' },
  // Source: https://repost.aws/knowledge-center/ecs-fargate-docker-timeout-error
  { id: 62, where: 'C', message: 'DockerTimeoutError: Could not transition to started; timed out after waiting 3m0s', category: 'runtime_timeout', note: 'Docker-era start timeout' },
  // Source: reference section 9 (older agents)
  { id: 62, where: 'C', message: 'Could not transition to running; timed out after waiting 3m0s', category: 'runtime_timeout', note: 'section 9 variation: timeout without an error prefix' },
  // Source: https://docs.aws.amazon.com/AmazonECS/latest/developerguide/cannot-start-container.html
  { id: 63, where: 'C', message: 'CannotStartContainerError: failed to get container status: context deadline exceeded', category: 'cannot_start_container', note: 'failed to get container status (tail illustrative)' },
  // Source: public GitHub file found with find_string (repository not identified) (two notes quoting "Status reason CannotStartContainerError: Error response from daemon: failed to initialize logging driver: …")
  { id: 63, where: 'C', message: 'CannotStartContainerError: Error response from daemon: failed to initialize logging driver: failed to create Cloudwatch log stream: ResourceNotFoundException: The specified log group does not exist.', category: 'cannot_start_container', note: 'Error response from daemon: logging driver credentials/log group (EC2); contains the #55 phrase but the prefix decides' },
  // Source: AWS ECS docs, task definition linuxParameters devices note (quoted in a public docs mirror)
  { id: 63, where: 'C', message: 'CannotStartContainerError: Error response from daemon: error gathering device information while adding custom device "/dev/dri/renderD130": no such file or directory', category: 'cannot_start_container', note: 'Error response from daemon: device missing on the instance' },
  // Source: https://docs.aws.amazon.com/AmazonECS/latest/userguide/stopped-task-error-codes.html (older table)
  { id: 64, where: 'C', message: 'CannotStopContainerError: failed sending SIGTERM to container: context deadline exceeded', category: 'cannot_stop_container', note: 'tail illustrative' },
  // Source: public GitHub file found with find_string (repository not identified) (Nextflow/AWS Batch FAQ quoting it); https://docs.aws.amazon.com/AmazonECS/latest/developerguide/cannot-inspect-container.html
  { id: 65, where: 'C', message: 'CannotInspectContainerError: Could not transition to inspecting; timed out after waiting 30s', category: 'cannot_inspect_container', note: 'contains "Could not transition" but the prefix decides' },
  // Source: https://docs.aws.amazon.com/AmazonECS/latest/developerguide/cannot-create-volume.html
  { id: 66, where: 'C', message: 'CannotCreateVolumeError: failed to create volume data-7f3e2a91: context deadline exceeded', category: 'cannot_create_volume', note: 'tail illustrative (docs name only the prefix)' },
  // Source: awsdocs/amazon-ecs-developer-guide doc_source/CannotCreateContainerError.md
  { id: 67, where: 'C', message: 'CannotCreateContainerError: API error (500): devmapper: Thin Pool has 4350 free data blocks which is less than minimum required 4454 free data blocks. Create more free space in thin pool or use dm.min_free_space option to change behavior', category: 'host_disk_full', note: 'devicemapper thin pool full on old ECS AMIs' },
  // Source: https://docs.aws.amazon.com/AmazonECS/latest/developerguide/spot-interruption-errors.html
  { id: 68, where: 'T', message: 'Your Spot Task was interrupted.', category: 'spot_interruption', note: 'SpotInterruptionError category (message as #8)' },
  // ---- Section 9 variations (id of the pattern they vary) ----
  // Source: reference section 9 (newer consoles)
  { id: 36, where: 'T', message: 'Cannotpullcontainererror: pull image manifest has been retried 5 time(s): failed to resolve ref docker.io/library/nginx:1.27: failed to do request: Head "https://registry-1.docker.io/v2/library/nginx/manifests/1.27": dial tcp 54.227.20.253:443: i/o timeout', category: 'image_pull_failure', note: 'section 9 variation: prefix capitalised only on its first letter' },
  // Source: reference section 9 (newer consoles)
  { id: 49, where: 'T', message: 'Resourceinitializationerror: unable to pull secrets or registry auth: execution resource retrieval failed: unable to retrieve ecr registry auth: service call has been retried 3 time(s): RequestError: send request failed', category: 'resource_init_failure', note: 'section 9 variation: prefix capitalised only on its first letter' },
  // Source: reference section 9
  { id: 56, where: 'T', message: 'ResourceInitializationError: unable to pull secrets or registry auth: The task cannot pull registry auth from Amazon ECR: There is a connection issue between the task and Amazon ECR. Check your task network configuration. operation error ECR: GetAuthor...', category: 'resource_init_failure', note: 'section 9 variation: stoppedReason truncated at 255 characters (252 + ...)' },
  // Source: reference section 9
  { id: 33, where: 'T', message: 'CannotPullContainerError: The task can’t pull the image. Check that the role has the permissions to pull images from the registry. Error response from daemon: pull access denied for 111122223333.dkr.ecr.us-east-1.amazonaws.com/web-api, repository does ...', category: 'image_pull_failure', note: 'section 9 variation: stoppedReason truncated at 255 characters (252 + ...)' },
  // Source: reference section 9
  { id: 36, where: 'S', message: '(service web-api) was unable to place a task. Reason: CannotPullContainerError: pull image manifest has been retried 5 time(s): failed to resolve ref 111122223333.dkr.ecr.us-east-1.amazonaws.com/web-api:1.4.3: 111122223333.dkr.ecr.us-east-1.amazonaws.com/web-api:1.4.3: not found', category: 'image_pull_failure', note: 'section 9 variation: CannotPullContainerError wrapped in a service event after "Reason:"' },
  // Source: reference section 9; https://repost.aws/questions/QUx6Ix1R1SSNisYSs1Sw8EBA/cannotpullcontainererror-no-space-left-on-device
  { id: 40, where: 'T', message: 'CannotPullContainerError: failed to register layer: Error processing tar file(exit status 1): write /usr/lib/jvm/java-17-amazon-corretto/lib/modules: no space left on device', category: 'host_disk_full', note: 'section 9 variation: CannotPullContainerError ending in no space left on device is the host disk' },
  // ---- Section 2.5 deployment reasons (id 0) ----
  // Source: https://docs.aws.amazon.com/AmazonECS/latest/developerguide/ecs_service_deployment_events.html; public GitHub file found with find_string (repository not identified) (rolloutStateReason with this deployment id)
  { id: 0, where: 'D', message: 'ECS deployment circuit breaker: rolling back to deploymentId ecs-svc/7246342417563559064.', category: 'deployment_rollback', eventName: 'SERVICE_DEPLOYMENT_IN_PROGRESS', note: 'circuit breaker rollback start (IN_PROGRESS)' },
  // Source: https://docs.aws.amazon.com/AmazonECS/latest/developerguide/ecs_service_deployment_events.html
  { id: 0, where: 'D', message: 'ECS deployment circuit breaker: task failed to start.', category: 'deployment_failed', eventName: 'SERVICE_DEPLOYMENT_FAILED', note: 'circuit breaker failure, singular as in the docs' },
  // Source: https://github.com/aws/containers-roadmap/issues/1488
  { id: 0, where: 'D', message: 'ECS deployment circuit breaker: tasks failed to start.', category: 'deployment_failed', eventName: 'SERVICE_DEPLOYMENT_FAILED', note: 'circuit breaker failure, plural as in real events' },
  // Source: https://docs.aws.amazon.com/AmazonECS/latest/developerguide/ecs_service_deployment_events.html
  { id: 0, where: 'D', message: 'ECS deployment ecs-svc/7246342417563559064 completed.', category: 'deployment_completed', eventName: 'SERVICE_DEPLOYMENT_COMPLETED', note: 'deployment completed' },
  // Source: https://docs.aws.amazon.com/AmazonECS/latest/developerguide/ecs_service_deployment_events.html
  { id: 0, where: 'D', message: 'ECS deployment ecs-svc/7246342417563559064 in progress.', category: 'deployment_in_progress', eventName: 'SERVICE_DEPLOYMENT_IN_PROGRESS', note: 'deployment started' },
];
