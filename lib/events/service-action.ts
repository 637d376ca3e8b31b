import { list, num, object, text, type Infer } from './schema.ts';

export const SERVICE_ACTION = 'ECS Service Action';

/** The service ARN is only in the envelope's `resources`; newer events also name it in `serviceName` or `service`. */
export const serviceActionDetailSchema = object({
  eventType: text(),
  eventName: text(),
  clusterArn: text(),
  createdAt: text(),
  reason: text(),
  capacityProviderArns: list(text()),
  containerInstanceArns: list(text()),
  ec2InstanceIds: list(text()),
  desiredCount: num(),
  containerPort: num(),
  taskArns: list(text()),
  taskSetArns: list(text()),
  targetGroupArns: list(text()),
  serviceRegistryArns: list(text()),
  serviceName: text(),
  service: text(),
  // Deployment event names now arrive under this detail-type too, with the same fields as deployment events.
  deploymentId: text(),
  updatedAt: text(),
});

export type ServiceActionDetail = Infer<typeof serviceActionDetailSchema>;
