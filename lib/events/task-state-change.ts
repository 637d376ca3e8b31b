import { bool, list, nameValue, num, object, text, vocabulary, type Infer } from './schema.ts';

/** Detail-type of task events; container state changes are reported inside them (there is no "ECS Container State Change"). */
export const TASK_STATE_CHANGE = 'ECS Task State Change';

const networkInterface = object({ attachmentId: text(), privateIpv4Address: text(), ipv6Address: text() });
const networkBinding = object({ bindIP: text(), containerPort: num(), hostPort: num(), protocol: text() });
const managedAgent = object({ name: text(), status: text(), reason: text(), lastStartedAt: text() });

/** Every stop code ECS documents (reference, section 3). */
export const STOP_CODES = ['TaskFailedToStart', 'EssentialContainerExited', 'UserInitiated', 'ServiceSchedulerInitiated', 'SpotInterruption', 'TerminationNotice', 'InfrastructureHealth'] as const;

export const containerSchema = object({
  containerArn: text(),
  name: text(),
  image: text(),
  imageDigest: text(),
  runtimeId: text(),
  taskArn: text(),
  lastStatus: text(),
  exitCode: num(),
  reason: text(),
  networkInterfaces: list(networkInterface),
  networkBindings: list(networkBinding),
  cpu: text(),
  memory: text(),
  memoryReservation: text(),
  gpuIds: list(text()),
  managedAgents: list(managedAgent),
});

const attachment = object({ id: text(), type: text(), status: text(), details: list(nameValue) });

export const taskDetailSchema = object({
  attachments: list(attachment),
  attributes: list(nameValue),
  availabilityZone: text(),
  capacityProviderName: text(),
  clusterArn: text(),
  connectivity: text(),
  connectivityAt: text(),
  containerInstanceArn: text(),
  containers: list(containerSchema),
  cpu: text(),
  createdAt: text(),
  desiredStatus: text(),
  enableExecuteCommand: bool(),
  ephemeralStorage: object({ sizeInGiB: num() }),
  executionStoppedAt: text(),
  group: text(),
  lastStatus: text(),
  launchType: text(),
  memory: text(),
  overrides: object({ containerOverrides: list(object({ name: text() })) }),
  platformVersion: text(),
  pullStartedAt: text(),
  pullStoppedAt: text(),
  startedAt: text(),
  startedBy: text(),
  stopCode: vocabulary(STOP_CODES),
  stoppedAt: text(),
  stoppedReason: text(),
  stoppingAt: text(),
  taskArn: text(),
  taskDefinitionArn: text(),
  updatedAt: text(),
  version: num(),
});

export type TaskDetail = Infer<typeof taskDetailSchema>;
export type ContainerDetail = Infer<typeof containerSchema>;
