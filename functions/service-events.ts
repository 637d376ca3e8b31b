import { eventBridgeHandler } from '../lib/pipeline/receive.ts';
import { awsEventHandlerDeps } from '../lib/pipeline/wiring-lookups.ts';

/** ECS Service Action and ECS Deployment State Change events. */
export const handler = eventBridgeHandler(awsEventHandlerDeps);
