import { classify, type ClassifyContext } from './classify/classify.ts';
import type { Classification } from './classify/verdict.ts';
import type { Envelope } from './events/envelope.ts';
import { parseEvent, type EcsEvent } from './events/parse.ts';

/** A resource's change counter (`detail.version` of task and container-instance events), to drop stale deliveries. */
export interface ResourceVersion {
  resource: string;
  version: number;
}

/** One event after the pipeline: the envelope it came in (id, detail-type, time), the verdict on it, and its version. */
export interface Evaluated {
  envelope: Envelope;
  verdict: Classification;
  version: ResourceVersion | null;
  /**
   * The verdict again with what the task definition says (which containers are essential), for a task with several
   * containers: the event does not say which ones are sidecars. Absent when nothing would change.
   */
  refine?: (context: ClassifyContext) => Classification;
}

function versionOf(event: EcsEvent): ResourceVersion | null {
  if (event.kind === 'task' && event.detail.taskArn !== undefined && event.detail.version !== undefined) {
    return { resource: event.detail.taskArn, version: event.detail.version };
  }
  if (event.kind === 'containerInstance' && event.detail.containerInstanceArn !== undefined && event.detail.version !== undefined) {
    return { resource: event.detail.containerInstanceArn, version: event.detail.version };
  }
  return null;
}

/**
 * The pipeline every entry point runs on one event, in Lambda and in the local replay alike: parse, then classify.
 * Throws {@link EventParseError} when the input cannot be classified at all.
 *
 * @example evaluate(JSON.parse(line), 'stdin:3').verdict.category // 'oom'
 */
export function evaluate(event: unknown, origin: string): Evaluated {
  const parsed = parseEvent(event, origin);
  const evaluated: Evaluated = { envelope: parsed.envelope, verdict: classify(parsed), version: versionOf(parsed) };
  if (parsed.kind === 'task' && (parsed.detail.containers?.length ?? 0) > 1) evaluated.refine = (context) => classify(parsed, context);
  return evaluated;
}
