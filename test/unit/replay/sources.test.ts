import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { resolveSources } from '../../../lib/replay/sources.ts';

function tree(files: string[]): string {
  const root = mkdtempSync(join(tmpdir(), 'replay-sources-'));
  for (const file of files) {
    mkdirSync(join(root, file, '..'), { recursive: true });
    writeFileSync(join(root, file), '{}');
  }
  return root;
}

describe('resolveSources', () => {
  it('expands a folder into its event files, recursively and sorted, skipping api/ and other files', async () => {
    const root = tree(['b/two.json', 'a/one.jsonl', 'a/api/describe-services.json', 'notes.md', 'c.ndjson', '.hidden/x.json']);
    const sources = await resolveSources(['.'], root);
    expect(sources.map((source) => source.name)).toEqual(['a/one.jsonl', 'b/two.json', 'c.ndjson']);
  });

  it('keeps the order of the arguments and takes a named file whatever its extension', async () => {
    const root = tree(['z.json', 'saved.txt']);
    const sources = await resolveSources(['z.json', '-', 'saved.txt'], root);
    expect(sources).toEqual([
      { kind: 'file', path: join(root, 'z.json'), name: 'z.json' },
      { kind: 'stdin', name: 'stdin' },
      { kind: 'file', path: join(root, 'saved.txt'), name: 'saved.txt' },
    ]);
  });

  it('reports a path that does not exist as unreadable instead of failing', async () => {
    const root = tree([]);
    expect(await resolveSources(['missing.json'], root)).toEqual([{ kind: 'unreadable', name: 'missing.json', error: 'no such file or folder' }]);
  });

  it('shows a file outside the working folder by its full path', async () => {
    const root = tree(['e.json']);
    const elsewhere = tree([]);
    expect((await resolveSources([join(root, 'e.json')], elsewhere))[0]?.name).toBe(join(root, 'e.json'));
  });
});
