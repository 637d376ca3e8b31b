import { eventBridgeHandler } from '../lib/event-bridge-handler.ts';

/** ECS Service Action and ECS Deployment State Change events. */
export const handler = eventBridgeHandler();
