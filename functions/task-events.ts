import { eventBridgeHandler } from '../lib/pipeline/receive.ts';
import { awsEventHandlerDeps } from '../lib/pipeline/wiring-lookups.ts';

/** ECS Task State Change events: task stops, container exits, Fargate Spot warnings. */
export const handler = eventBridgeHandler(awsEventHandlerDeps);
