import type { ReplayResult } from './replay.ts';

/**
 * One line of `--json` output: the verdict with the event's `id`, `detailType` and input `file` first, or
 * `{"error", "file"}` for an input that could not be classified. JSON.stringify escapes every control character,
 * so hostile text in an event cannot break the line.
 */
export function jsonLine(result: ReplayResult): string {
  if (result.kind === 'error') return JSON.stringify({ error: result.error, file: result.file });
  return JSON.stringify({ id: result.id, detailType: result.detailType, file: result.file, ...result.verdict });
}
