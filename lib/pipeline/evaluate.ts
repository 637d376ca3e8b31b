import { classify, type ClassifyContext } from '../classify/classify.ts';
import { EventParseError } from '../errors.ts';
import type { Logger } from '../log.ts';
import type { Classification } from '../classify/verdict.ts';
import type { Envelope } from '../events/envelope.ts';
import { parseEvent, type EcsEvent } from '../events/parse.ts';

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
  // Only where a container has stopped do the flags change the verdict: routine state changes cost no lookup.
  const containers = parsed.kind === 'task' ? (parsed.detail.containers ?? []) : [];
  if (parsed.kind === 'task' && containers.length > 1 && containers.some((container) => container.lastStatus === 'STOPPED' || container.exitCode !== undefined)) {
    evaluated.refine = (context) => classify(parsed, context);
  }
  return evaluated;
}

export interface ProcessDeps {
  logger: Logger;
}

/**
 * The pipeline every handler runs on one EventBridge event: parse, classify, record the verdict.
 * An event that cannot be classified is logged with its reason and rethrown, so that Lambda retries it and it
 * ends on the failure path (dead-letter queue) instead of vanishing.
 */
export function processEvent(event: unknown, origin: string, deps: ProcessDeps): Evaluated {
  try {
    const evaluated = evaluate(event, origin);
    const { envelope, verdict } = evaluated;
    const fields = {
      id: envelope.id,
      detailType: envelope.detailType,
      category: verdict.category,
      severity: verdict.severity,
      alert: verdict.alert,
      cluster: verdict.cluster,
      service: verdict.service,
      taskArn: verdict.taskArn,
      cause: verdict.cause,
    };
    if (verdict.warnings.length > 0) deps.logger.warn('event read with warnings', { ...fields, warnings: verdict.warnings });
    deps.logger.info('event classified', fields);
    return evaluated;
  } catch (error) {
    if (error instanceof EventParseError) {
      deps.logger.error('event rejected', { origin: error.origin, field: error.field, error });
    }
    throw error;
  }
}
