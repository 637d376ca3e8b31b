import { eventBridgeHandler } from '../lib/event-bridge-handler.ts';

/** EC2 Spot interruption warnings, rebalance recommendations, instance state changes and AWS Health notices. */
export const handler = eventBridgeHandler();
