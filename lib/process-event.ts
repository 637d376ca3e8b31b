import { EventParseError } from './errors.ts';
import type { Logger } from './log.ts';
import { evaluate, type Evaluated } from './pipeline.ts';

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
