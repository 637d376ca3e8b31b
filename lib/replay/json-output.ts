import type { AlertDecision } from '../alert-on-event.ts';
import type { ReplayResult } from './replay.ts';

/**
 * One line of `--json` output: the verdict with the event's `id`, `detailType`, input `file`, and what alerting did
 * with it (`alertKey`, `outcome`, `suppressedBecause`) first, or `{"error", "file"}` for an input that could not be
 * classified. JSON.stringify escapes every control character, so hostile text in an event cannot break the line.
 */
export function jsonLine(result: ReplayResult, decision?: AlertDecision): string {
  if (result.kind === 'error') return JSON.stringify({ error: result.error, file: result.file });
  const { envelope, verdict } = result.evaluated;
  const alerting =
    decision === undefined
      ? {}
      : {
          alertKey: decision.alertKey,
          outcome: decision.outcome.outcome,
          ...(decision.outcome.outcome === 'suppressed' ? { suppressedBecause: decision.outcome.suppressedBecause } : {}),
        };
  return JSON.stringify({ id: envelope.id, detailType: envelope.detailType, file: result.file, ...alerting, ...verdict });
}
