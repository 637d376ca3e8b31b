import { bool, list, nameValue, num, object, text, type Infer } from './schema.ts';

export const CONTAINER_INSTANCE_STATE_CHANGE = 'ECS Container Instance State Change';

const resource = object({
  name: text(),
  type: text(),
  integerValue: num(),
  longValue: num(),
  doubleValue: num(),
  stringSetValue: list(text()),
});

export const containerInstanceDetailSchema = object({
  accountType: text(),
  agentConnected: bool(),
  agentUpdateStatus: text(),
  attachments: list(object({ id: text(), type: text(), status: text(), details: list(nameValue) })),
  attributes: list(nameValue),
  clusterArn: text(),
  containerInstanceArn: text(),
  ec2InstanceId: text(),
  pendingTasksCount: num(),
  registeredAt: text(),
  registeredResources: list(resource),
  remainingResources: list(resource),
  runningTasksCount: num(),
  status: text(),
  statusReason: text(),
  updatedAt: text(),
  version: num(),
  versionInfo: object({ agentVersion: text(), agentHash: text(), dockerVersion: text() }),
});

export type ContainerInstanceDetail = Infer<typeof containerInstanceDetailSchema>;
