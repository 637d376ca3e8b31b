import { eventBridgeHandler } from '../lib/event-bridge-handler.ts';

/** ECS Task State Change events: task stops, container exits, Fargate Spot warnings. */
export const handler = eventBridgeHandler();
