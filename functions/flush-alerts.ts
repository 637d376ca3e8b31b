import { flushHandler } from '../lib/event-bridge-handler.ts';

/** Every minute: follow-ups of grouping windows that have closed, and messages a failed publish left behind. */
export const handler = flushHandler();
