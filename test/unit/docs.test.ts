import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { CATEGORIES } from '../../lib/classify/categories.ts';

const readme = readFileSync(new URL('../../README.md', import.meta.url), 'utf8');

describe('README', () => {
  it('documents every category the classifier can emit', () => {
    const section = readme.slice(readme.indexOf('## Categories'), readme.indexOf('## How it works'));
    const documented = [...section.matchAll(/^\| `([a-z_0-9]+)` \|/gm)].map((match) => match[1]);
    expect(documented).toEqual([...CATEGORIES]);
  });

  it('gives the two commands that set everything up', () => {
    expect(readme).toContain('npm ci && npm run replay');
    expect(readme).toContain('npm test');
  });
});
