import { eventBridgeHandler } from '../lib/pipeline/receive.ts';
import { awsEventHandlerDeps } from '../lib/pipeline/wiring-lookups.ts';

/** ECS Container Instance State Change and Health Change events. */
export const handler = eventBridgeHandler(awsEventHandlerDeps);
