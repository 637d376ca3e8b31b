import { createHash } from 'node:crypto';
import { evaluate } from '../../lib/pipeline/evaluate.ts';
import { detailOf, fixturePaths, loadFixture } from './fixtures.ts';

const HOST_LOSS: ReadonlySet<string> = new Set(['infrastructure_health_stop', 'instance_draining_stop']);

export interface GeneratedEvent {
  event: Record<string, unknown>;
  /** The id of the event's own task (32 hex digits), as alerts name it in `group.ids`. */
  taskId: string;
  taskArn: string;
  time: string;
}

/**
 * The recorded stops of service tasks that alert on their own (no Spot story, no running task), grouped by service:
 * not the stops a host's end causes, which are grouped by host whatever their service.
 */
function alertingStops(): Record<string, unknown>[] {
  return fixturePaths()
    .filter((path) => path.startsWith('task/'))
    .map((path) => loadFixture(path))
    .filter((event) => {
      const { verdict } = evaluate(event, 'generator');
      return detailOf(event).lastStatus === 'STOPPED' && verdict.alert && verdict.service !== null && !verdict.category.startsWith('spot') && !HOST_LOSS.has(verdict.category);
    });
}

export interface GenerateOptions {
  /** Distinguishes the ids, task ARNs and service names of one test's events from another's. */
  prefix: string;
  start: string;
  spacingSeconds: number;
  /**
   * Every `joinEvery`-th event is another task of the previous event's service and kind, within its grouping
   * window, so it is folded into a follow-up instead of alerting (default 5; 0: every event alerts).
   */
  joinEvery?: number;
}

/**
 * Alerting events made from the recorded task stops: each with a fresh id and task ARN, its own service (or the
 * previous event's, see `joinEvery`), and times `spacingSeconds` apart from `start`, in the recorded shape otherwise.
 */
export function alertingTaskEvents(count: number, options: GenerateOptions): GeneratedEvent[] {
  const stops = alertingStops();
  const joinEvery = options.joinEvery ?? 5;
  const start = Date.parse(options.start);
  return Array.from({ length: count }, (_, index) => {
    const base = joinEvery > 0 && index % joinEvery === joinEvery - 1 ? index - 1 : index;
    const event = structuredClone(stops[base % stops.length]!);
    const detail = detailOf(event);
    const taskId = createHash('md5').update(`${options.prefix}/${index}`).digest('hex');
    const recordedArn = String(detail.taskArn);
    const taskArn = `${recordedArn.slice(0, recordedArn.lastIndexOf('/') + 1)}${taskId}`;
    const time = new Date(start + index * options.spacingSeconds * 1000).toISOString().replace('.000Z', 'Z');
    detail.taskArn = taskArn;
    detail.group = `service:${options.prefix}-svc-${base}`;
    detail.stoppedAt = time;
    if (Array.isArray(detail.containers)) {
      detail.containers = detail.containers.map((container: unknown) => (typeof container === 'object' && container !== null ? { ...container, taskArn } : container));
    }
    event.id = `${options.prefix}-${String(index).padStart(5, '0')}`;
    event.time = time;
    event.resources = [taskArn];
    return { event, taskId, taskArn, time };
  });
}
