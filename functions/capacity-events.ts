import { eventBridgeHandler } from '../lib/pipeline/receive.ts';
import { awsEventHandlerDeps } from '../lib/pipeline/wiring-lookups.ts';

/** EC2 Spot interruption warnings, rebalance recommendations, instance state changes and AWS Health notices. */
export const handler = eventBridgeHandler(awsEventHandlerDeps);
