import { object, text, type Infer } from './schema.ts';

export const EC2_SPOT_INTERRUPTION_WARNING = 'EC2 Spot Instance Interruption Warning';
export const EC2_REBALANCE_RECOMMENDATION = 'EC2 Instance Rebalance Recommendation';
export const EC2_INSTANCE_STATE_CHANGE = 'EC2 Instance State-change Notification';

export const spotInterruptionDetailSchema = object({ 'instance-id': text(), 'instance-action': text() });
export const rebalanceDetailSchema = object({ 'instance-id': text() });
export const instanceStateChangeDetailSchema = object({ 'instance-id': text(), state: text() });

export type SpotInterruptionDetail = Infer<typeof spotInterruptionDetailSchema>;
export type RebalanceDetail = Infer<typeof rebalanceDetailSchema>;
export type InstanceStateChangeDetail = Infer<typeof instanceStateChangeDetailSchema>;
