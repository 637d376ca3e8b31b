import { classify } from './classify/classify.ts';
import type { Classification } from './classify/verdict.ts';
import type { Envelope } from './events/envelope.ts';
import { parseEvent } from './events/parse.ts';

/** One event after the pipeline: the envelope it came in (id, detail-type, time) and the verdict on it. */
export interface Evaluated {
  envelope: Envelope;
  verdict: Classification;
}

/**
 * The pipeline every entry point runs on one event, in Lambda and in the local replay alike: parse, then classify.
 * Throws {@link EventParseError} when the input cannot be classified at all.
 *
 * @example evaluate(JSON.parse(line), 'stdin:3').verdict.category // 'oom'
 */
export function evaluate(event: unknown, origin: string): Evaluated {
  const parsed = parseEvent(event, origin);
  return { envelope: parsed.envelope, verdict: classify(parsed) };
}
