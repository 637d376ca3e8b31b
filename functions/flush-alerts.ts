import { flushHandler } from '../lib/pipeline/receive.ts';
import { awsFlushDeps } from '../lib/pipeline/wiring.ts';

/** Every minute: follow-ups of grouping windows that have closed, and messages a failed publish left behind. */
export const handler = flushHandler(awsFlushDeps);
