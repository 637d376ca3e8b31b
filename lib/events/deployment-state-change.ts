import { object, text, type Infer } from './schema.ts';

export const DEPLOYMENT_STATE_CHANGE = 'ECS Deployment State Change';

/** Deployment events carry no clusterArn: cluster and service come from the service ARN in `resources[0]`. */
export const deploymentDetailSchema = object({
  eventType: text(),
  eventName: text(),
  deploymentId: text(),
  updatedAt: text(),
  reason: text(),
});

export type DeploymentDetail = Infer<typeof deploymentDetailSchema>;
