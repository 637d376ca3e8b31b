import { DEFAULT_GROUPING } from '../lib/alerts/grouping.ts';
import type { EventHandlerDeps } from '../lib/pipeline/receive.ts';
import { createLogger } from '../lib/log.ts';
import { DynamoDbStore } from '../lib/store/dynamodb-store.ts';
import type { AlertStore } from '../lib/store/store.ts';
import { burst, invokeAll } from '../test/support/burst.ts';
import { functionsClient, startDynamoDb } from '../test/support/dynalite.ts';

/** What one deployment record absorbed: a burst of failed tasks, all delivered at once, against dynalite. */
export interface BurstResult {
  tasks: number;
  deliveries: number;
  wallMs: number;
  eventsPerSec: number;
  /** Store calls per delivery, and by method (GetItem-like reads, the tally's UpdateItem, conditional writes…). */
  storeCallsPerEvent: number;
  callsByMethod: Record<string, number>;
  /** Deliveries still failing after Lambda's two retries (bound for the dead-letter queue): 0 is the target. */
  failedInvocations: number;
  /** The first distinct errors of those, to say why. */
  errors: string[];
}

/** The store with every call counted by method name. */
function counting(store: AlertStore, calls: Map<string, number>): AlertStore {
  return new Proxy(store, {
    get(target, property, receiver) {
      const value: unknown = Reflect.get(target, property, receiver);
      if (typeof value !== 'function') return value;
      return (...args: unknown[]) => {
        calls.set(String(property), (calls.get(String(property)) ?? 0) + 1);
        return (value as (...parameters: unknown[]) => unknown).apply(target, args);
      };
    },
  });
}

/**
 * `tasks` distinct failed tasks of one deployment (each delivered 1–3 times, FAILED and the rollback among them), all
 * handled at once by the real handler path against DynamoDB on dynalite in this process; publishing is a no-op, so
 * the figure is the store's. dynalite runs on the same two cores as the invocations: DynamoDB itself is faster.
 */
export async function measureBurst(tasks: number): Promise<BurstResult> {
  const dynamo = await startDynamoDb();
  let client: ReturnType<typeof functionsClient> | undefined;
  try {
    const story = burst(tasks, 14);
    const calls = new Map<string, number>();
    client = functionsClient(dynamo);
    const store = counting(new DynamoDbStore(client, dynamo.tableName), calls);
    const deps = (): EventHandlerDeps => ({
      logger: createLogger(() => undefined),
      alerting: { store, notifier: { publish: async () => undefined }, grouping: DEFAULT_GROUPING },
      now: () => new Date('2025-09-16T10:04:40Z'),
    });
    await invokeAll(story.before, deps);
    calls.clear();
    const started = performance.now();
    const invocations = await invokeAll(story.deliveries, deps);
    const wallMs = performance.now() - started;
    const total = [...calls.values()].reduce((sum, count) => sum + count, 0);
    return {
      tasks,
      deliveries: story.deliveries.length,
      wallMs,
      eventsPerSec: story.deliveries.length / (wallMs / 1000),
      storeCallsPerEvent: total / story.deliveries.length,
      callsByMethod: Object.fromEntries([...calls.entries()].sort()),
      failedInvocations: invocations.filter((invocation) => invocation.failed).length,
      errors: [...new Set(invocations.filter((invocation) => invocation.failed).map((invocation) => String(invocation.error)))].slice(0, 3),
    };
  } finally {
    client?.destroy();
    await dynamo.close();
  }
}
