import type { AlertDecision } from '../pipeline/decide.ts';
import type { Alert } from '../alerts/alert.ts';
import type { ReplayResult } from './replay.ts';

/** What `--json` shows of a message: enough to tell which one it is and what it says; `--out` has the whole of it. */
export function messageSummary(message: Alert): Record<string, unknown> {
  return {
    id: message.id,
    kind: message.kind,
    key: message.key,
    status: message.status,
    severity: message.severity,
    title: message.title,
    summary: message.summary,
    time: message.time,
    ...(message.deploymentOutcome === undefined ? {} : { outcome: message.deploymentOutcome }),
  };
}

/**
 * One line of `--json` output: the verdict with the event's `id`, `detailType`, input `file`, and what alerting did
 * with it (`alertKey`, `outcome`, `suppressedBecause`, the `messages` it caused, and the `due` messages that went out
 * before it: follow-ups and repeats whose time had come) first, or `{"error", "file"}` for an input that could not be
 * classified. JSON.stringify escapes every control character, so hostile text in an event cannot break the line.
 */
export function jsonLine(result: ReplayResult, decision?: AlertDecision, due: readonly Alert[] = []): string {
  if (result.kind === 'error') return JSON.stringify({ error: result.error, file: result.file });
  const { envelope, verdict } = result.evaluated;
  const alerting =
    decision === undefined
      ? {}
      : {
          alertKey: decision.alertKey,
          outcome: decision.outcome.outcome,
          ...(decision.outcome.outcome === 'suppressed' ? { suppressedBecause: decision.outcome.suppressedBecause } : {}),
          messages: decision.messages.map(messageSummary),
          ...(due.length === 0 ? {} : { due: due.map(messageSummary) }),
        };
  // The verdict alerting went by: with the task definition's essential flags when they changed it.
  return JSON.stringify({ id: envelope.id, detailType: envelope.detailType, file: result.file, ...alerting, ...(decision?.verdict ?? verdict) });
}

/** The last `--json` line when the end of the input closed grouping windows: the messages that went out then. */
export function endOfInputLine(messages: readonly Alert[]): string {
  return JSON.stringify({ endOfInput: true, messages: messages.map(messageSummary) });
}
