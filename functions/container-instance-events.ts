import { eventBridgeHandler } from '../lib/event-bridge-handler.ts';

/** ECS Container Instance State Change and Health Change events. */
export const handler = eventBridgeHandler();
