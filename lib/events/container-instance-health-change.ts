import { list, object, text, type Infer } from './schema.ts';

export const CONTAINER_INSTANCE_HEALTH_CHANGE = 'ECS Container Instance Health Change';

export const healthCheckSchema = object({
  type: text(),
  status: text(),
  lastStatusChange: text(),
  lastUpdated: text(),
  statusReason: text(),
});

export const containerInstanceHealthDetailSchema = object({
  clusterArn: text(),
  containerInstanceArn: text(),
  capacityProviderName: text(),
  ec2InstanceId: text(),
  overallStatus: text(),
  healthChecks: list(healthCheckSchema),
});

export type ContainerInstanceHealthDetail = Infer<typeof containerInstanceHealthDetailSchema>;
export type HealthCheck = Infer<typeof healthCheckSchema>;
