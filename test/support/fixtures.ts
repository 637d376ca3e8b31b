import { readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { eventFilesBelow } from '../../lib/replay/sources.ts';

export const EVENTS_DIR = fileURLToPath(new URL('../../events/', import.meta.url));

/**
 * Every recorded event fixture, as paths relative to `events/` (`task/stopped-oom.json`), in the order the replay
 * reads them: each folder's entries sorted by name. Recorded API responses under `api/` are not events.
 */
export function fixturePaths(): string[] {
  return eventFilesBelow(EVENTS_DIR)
    .filter((path) => path.endsWith('.json'))
    .map((path) => relative(EVENTS_DIR, path));
}

/** A fresh copy of a fixture, so a test may change it without touching the others. */
export function loadFixture(path: string): Record<string, unknown> {
  const value: unknown = JSON.parse(readFileSync(join(EVENTS_DIR, path), 'utf8'));
  if (typeof value !== 'object' || value === null || Array.isArray(value)) throw new Error(`fixture ${path} is not a JSON object`);
  return value as Record<string, unknown>;
}

/** The fixture's `detail`, for building variants of it. */
export function detailOf(event: Record<string, unknown>): Record<string, unknown> {
  const detail = event.detail;
  if (typeof detail !== 'object' || detail === null || Array.isArray(detail)) throw new Error('fixture has no detail object');
  return detail as Record<string, unknown>;
}
