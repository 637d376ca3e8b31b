import { readdirSync } from 'node:fs';
import { stat } from 'node:fs/promises';
import { isAbsolute, join, relative, resolve, sep } from 'node:path';

/** Where replayed events come from: a file, standard input, or a path that could not be read (reported, not fatal). */
export type Source =
  | { kind: 'file'; path: string; name: string }
  | { kind: 'stdin'; name: 'stdin' }
  | { kind: 'unreadable'; name: string; error: string };

/** Files a folder contributes: saved events as JSON documents or newline-delimited JSON. */
const EVENT_FILE = /\.(json|jsonl|ndjson)$/i;
/** Folders of recorded ECS API responses sit beside the events; they are not events. */
const SKIPPED_FOLDERS = new Set(['api', 'node_modules']);

function errorText(error: unknown): string {
  if (error instanceof Error && 'code' in error && error.code === 'ENOENT') return 'no such file or folder';
  if (error instanceof Error && 'code' in error && error.code === 'EACCES') return 'permission denied';
  return error instanceof Error ? error.message : String(error);
}

/** How a path is shown to the user: relative to the folder they ran the command in when it lies below it. */
function displayName(path: string, cwd: string): string {
  const rel = relative(cwd, path);
  return rel !== '' && !rel.startsWith('..') && !isAbsolute(rel) ? rel.split(sep).join('/') : path;
}

/**
 * Every event file below a folder (recursively, each folder's entries sorted by name), skipping recorded API
 * responses (`api/`), `node_modules` and hidden folders: the one walk of event folders, which the replay, the tests
 * and the bench share.
 *
 * @example eventFilesBelow('events').length // every recorded event file
 */
export function eventFilesBelow(folder: string): string[] {
  const entries = readdirSync(folder, { withFileTypes: true });
  entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  const files: string[] = [];
  for (const entry of entries) {
    const path = join(folder, entry.name);
    if (entry.isDirectory()) {
      if (!SKIPPED_FOLDERS.has(entry.name) && !entry.name.startsWith('.')) files.push(...eventFilesBelow(path));
    } else if (EVENT_FILE.test(entry.name)) {
      files.push(path);
    }
  }
  return files;
}

/**
 * Expands the command's arguments into sources, in order: a file as itself, a folder as its event files
 * (recursively, sorted by name, skipping `api/` folders of recorded API responses), `-` as standard input.
 * A path that does not exist becomes an `unreadable` source so the replay can report it and carry on.
 *
 * @example await resolveSources(['events/task', '-'], process.cwd())
 */
export async function resolveSources(args: readonly string[], cwd: string): Promise<Source[]> {
  const sources: Source[] = [];
  for (const arg of args) {
    if (arg === '-') {
      sources.push({ kind: 'stdin', name: 'stdin' });
      continue;
    }
    const path = resolve(cwd, arg);
    try {
      const info = await stat(path);
      const files = info.isDirectory() ? eventFilesBelow(path) : [path];
      sources.push(...files.map((file): Source => ({ kind: 'file', path: file, name: displayName(file, cwd) })));
    } catch (error) {
      sources.push({ kind: 'unreadable', name: arg, error: errorText(error) });
    }
  }
  return sources;
}
