import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { CATEGORIES } from '../../lib/classify/categories.ts';
import { fixturePaths } from '../support/fixtures.ts';

const readme = readFileSync(new URL('../../README.md', import.meta.url), 'utf8');
const eventsReadme = readFileSync(new URL('../../events/README.md', import.meta.url), 'utf8');

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

describe('events/README.md', () => {
  it('names the source of every scenario and recorded API response', () => {
    for (const file of ['scenarios/oom-crash-loop.jsonl', 'api/describe-task-definition/orders-api-212.json', 'api/describe-task-definition/webapp-15-json-file.json']) {
      expect(eventsReadme).toContain(`| \`${file}\` |`);
    }
  });

  it('names what every recorded fixture shows and where it comes from, once each', () => {
    const fixtureSections = eventsReadme.slice(0, eventsReadme.indexOf('## Scenarios'));
    const rows = [...fixtureSections.matchAll(/^\| `([^`]+\.json)` \| ([^|]+) \| (.+) \|$/gm)];
    const listed = rows.map((row) => row[1]);
    expect([...listed].sort()).toEqual([...fixturePaths()].sort());
    for (const row of rows) {
      expect(row[2]!.trim()).not.toBe('');
      expect(row[3]).toMatch(/https:\/\/|section \d|aws-samples|archived guide|Fargate shape|EC2 shape|recorded event/);
    }
  });
});
