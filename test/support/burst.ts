import { readFileSync } from 'node:fs';
import { handleEvent, type EventHandlerDeps } from '../../lib/pipeline/receive.ts';
import { EVENTS_DIR } from './fixtures.ts';
import { seededRandom } from './random.ts';

// A whole service failing at once, as EventBridge delivers it: a release with a bad image, hundreds of distinct
// task stops of one deployment, each delivered one to three times, with the deployment's FAILED and rollback events
// somewhere among them, all handled concurrently. Built from the recorded rollback scenario (its envelope and
// detail shapes, new task and event ids).

type Event = Record<string, unknown> & { id: string; time: string; detail: Record<string, unknown> };

function scenario(): Event[] {
  return readFileSync(`${EVENTS_DIR}scenarios/deployment-rollback.jsonl`, 'utf8')
    .trim()
    .split('\n')
    .map((line) => JSON.parse(line) as Event);
}

const hex = (value: number, length: number): string => value.toString(16).padStart(length, '0').slice(-length);

/** The recorded stop with another task id, event id and time (every ARN and id that names the task replaced). */
function stopOf(template: Event, index: number, time: string): Event {
  const oldTask = String(template.detail.taskArn).split('/').pop()!;
  const newTask = `b${hex(index, 7)}${hex(index * 2654435761, 24)}`;
  const text = JSON.stringify(template).replaceAll(oldTask, newTask);
  const event = JSON.parse(text) as Event;
  event.id = `${hex(index, 8)}-b0b0-4000-8000-${hex(index, 12)}`;
  event.time = time;
  event.detail.stoppedAt = time;
  event.detail.updatedAt = time;
  return event;
}

export interface Burst {
  /** Delivered first, one after the other: the deployment starting. */
  before: Event[];
  /** Every delivery of the burst, duplicates included, in the order they are started (all at once). */
  deliveries: Event[];
  /** Delivered last: the rollback completing and the service at steady state. */
  after: Event[];
  /** The distinct failed tasks, by id. */
  failedTasks: string[];
  /** The failed deployment and the scope of its service. */
  deploymentId: string;
  scope: string;
}

/**
 * `tasks` distinct failed tasks of the recorded failing deployment (alternately an image pull failure and an
 * essential container exit), each delivered 1–3 times, with FAILED and the rollback's start at random places.
 */
export function burst(tasks: number, seed: number): Burst {
  const random = seededRandom(seed);
  const events = scenario();
  const [inProgress, pullFailure, , , , exited, failed, rollback, completed, steady] = events as [Event, Event, Event, Event, Event, Event, Event, Event, Event, Event];
  const start = Date.parse('2025-09-16T10:01:00Z');
  const stops = Array.from({ length: tasks }, (_, index) => stopOf(index % 2 === 0 ? pullFailure : exited, index, new Date(start + index * 500).toISOString().replace('.000Z', 'Z')));
  const deliveries = stops.flatMap((stop) => Array.from({ length: 1 + Math.floor(random() * 3) }, () => stop));
  for (const event of [failed, rollback]) deliveries.splice(Math.floor(random() * (deliveries.length + 1)), 0, event);
  // Shuffled: EventBridge keeps no order, and duplicates arrive anywhere.
  for (let index = deliveries.length - 1; index > 0; index -= 1) {
    const other = Math.floor(random() * (index + 1));
    [deliveries[index], deliveries[other]] = [deliveries[other]!, deliveries[index]!];
  }
  const failedTasks = stops.map((stop) => String(stop.detail.taskArn).split('/').pop()!);
  return { before: [inProgress], deliveries, after: [completed, steady], failedTasks, deploymentId: String(inProgress.detail.deploymentId), scope: '111122223333|eu-west-1|shop-prod|service:checkout' };
}

export interface Invocation {
  attempts: number;
  failed: boolean;
  error?: unknown;
}

/**
 * Each delivery as Lambda's asynchronous invocation handles it: the handler, and when it fails, up to `retries` more
 * attempts (Lambda makes two). All deliveries start at once, each in a container of its own (`depsFor`).
 */
export async function invokeAll(events: readonly Event[], depsFor: (index: number) => EventHandlerDeps, retries = 2): Promise<Invocation[]> {
  return Promise.all(
    events.map(async (event, index) => {
      const deps = depsFor(index);
      let error: unknown;
      for (let attempt = 1; attempt <= retries + 1; attempt += 1) {
        try {
          await handleEvent(structuredClone(event), `burst ${index} attempt ${attempt}`, deps);
          return { attempts: attempt, failed: false };
        } catch (caught) {
          error = caught;
        }
      }
      return { attempts: retries + 1, failed: true, error };
    }),
  );
}

/** The p-th percentile (0–100) of some numbers, nearest rank. */
export function percentile(values: readonly number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.max(0, Math.ceil((p / 100) * sorted.length) - 1)] ?? 0;
}
