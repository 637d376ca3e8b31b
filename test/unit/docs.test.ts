import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { PARAMETERS } from '../../infra/parameters.ts';
import { CATEGORIES } from '../../lib/classify/categories.ts';
import { parseRoutesFile } from '../../lib/routing/routes-file.ts';
import { EVENTS_DIR, fixturePaths } from '../support/fixtures.ts';

const readme = readFileSync(new URL('../../README.md', import.meta.url), 'utf8');
const eventsReadme = readFileSync(new URL('../../events/README.md', import.meta.url), 'utf8');

/** Every recorded API response, as paths relative to `events/` (`api/<operation>/<variant>.json`), sorted. */
function apiResponsePaths(): string[] {
  const api = join(EVENTS_DIR, 'api');
  return readdirSync(api)
    .flatMap((operation) => readdirSync(join(api, operation)).filter((name) => name.endsWith('.json')).map((name) => `api/${operation}/${name}`))
    .sort();
}

describe('README', () => {
  it('documents every category the classifier can emit', () => {
    const section = readme.slice(readme.indexOf('## Categories'), readme.indexOf('## Architecture'));
    const documented = [...section.matchAll(/^\| `([a-z_0-9]+)` \|/gm)].map((match) => match[1]);
    expect(documented).toEqual([...CATEGORIES]);
  });

  it('documents every deploy parameter with the default serverless.yml gives it, once', () => {
    const section = readme.slice(readme.indexOf('## Deploy to your AWS account'), readme.indexOf('## What the replay shows'));
    const rows = [...section.matchAll(/^\| `(\w+)` \| ([^|]+) \|/gm)].map((match) => [match[1], match[2]!.trim()]);
    expect(rows).toEqual(Object.entries(PARAMETERS).map(([name, spec]) => [name, spec.default === '' ? 'none' : `\`${spec.default}\``]));
  });

  it('shows a routes file that packaging would accept, with the destinations of every type', () => {
    const block = /### Routes: which alert goes where[^]*?```yaml\n([^]*?)```/.exec(readme)?.[1] ?? '';
    const config = parseRoutesFile(block, 'README.md');
    expect(new Set(Object.values(config.destinations).map((destination) => destination.type))).toEqual(new Set(['slack', 'teams', 'pagerduty', 'email', 'amazon-q']));
    expect(config.routes.map((route) => route.name)).toEqual(['payments critical']);
  });

  it('gives the two commands that set everything up', () => {
    expect(readme).toContain('npm ci && npm run replay');
    expect(readme).toContain('npm test');
  });
});

describe('events/README.md', () => {
  it('names the source of every scenario and recorded API response', () => {
    const scenarios = readdirSync(join(EVENTS_DIR, 'scenarios')).map((name) => `scenarios/${name}`);
    for (const file of [...scenarios, 'api/describe-task-definition/orders-api-212.json', 'api/describe-task-definition/webapp-15-json-file.json']) {
      expect(eventsReadme).toContain(`| \`${file}\` |`);
    }
  });

  it('lists every recorded API response with what it shows and its source', () => {
    const section = eventsReadme.slice(eventsReadme.indexOf('## Recorded ECS API responses'));
    const rows = [...section.matchAll(/^\| `(api\/[^`]+\.json)` \| ([^|]+) \| (.+) \|$/gm)];
    expect(rows.map((row) => row[1]).sort()).toEqual(apiResponsePaths());
    for (const row of rows) expect(row[3]).toMatch(/https:\/\/|same sources/);
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
