import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { CATEGORIES } from '../../../lib/classify/categories.ts';
import { classify } from '../../../lib/classify/classify.ts';
import type { Classification } from '../../../lib/classify/verdict.ts';
import { EventParseError } from '../../../lib/errors.ts';
import { KNOWN_DETAIL_TYPES, parseEvent } from '../../../lib/events/parse.ts';
import { fixturePaths, loadFixture } from '../../support/fixtures.ts';
import { deploymentEvent, serviceActionEvent, taskEvent } from '../../support/events.ts';

const DETAIL_TYPES = [...KNOWN_DETAIL_TYPES, 'Something New'];

/** Known-good events to mutate: every recorded fixture plus the builders' shapes. */
function seeds(): Record<string, unknown>[] {
  const recorded = fixturePaths().map((path) => loadFixture(path));
  return [
    ...recorded,
    taskEvent({ stopCode: 'EssentialContainerExited', stoppedReason: 'Essential container in task exited' }),
    serviceActionEvent({ reason: 'RESOURCE:CPU' }),
    deploymentEvent({}),
  ];
}

const hostileString = fc.oneof(
  fc.string(),
  fc.string({ unit: 'grapheme', maxLength: 50 }),
  fc.constantFrom('', ' ', '\u0000', '\u001b[31m', '<!channel>', '*bold*', '"quoted"', 'null', '137', 'OutOfMemoryError', 'x'.repeat(10_000)),
);
const anyLeaf = fc.oneof(hostileString, fc.integer(), fc.double(), fc.boolean(), fc.constant(null));
const anyJson = fc.letrec((tie) => ({
  value: fc.oneof({ depthSize: 'small' }, anyLeaf, fc.array(tie('value'), { maxLength: 4 }), fc.dictionary(fc.string({ maxLength: 8 }), tie('value'), { maxKeys: 5 })),
})).value;

type Path = (string | number)[];

function leafPaths(value: unknown, path: Path = [], out: Path[] = []): Path[] {
  out.push(path);
  if (Array.isArray(value)) value.forEach((item, index) => leafPaths(item, [...path, index], out));
  else if (typeof value === 'object' && value !== null) for (const [key, item] of Object.entries(value)) leafPaths(item, [...path, key], out);
  return out;
}

/** Replaces or deletes the value at a path of a deep copy. */
function mutate(event: unknown, path: Path, replacement: unknown, remove: boolean): unknown {
  const copy: unknown = structuredClone(event);
  if (path.length === 0) return replacement;
  let parent: unknown = copy;
  for (const key of path.slice(0, -1)) parent = (parent as Record<string | number, unknown>)[key];
  const last = path[path.length - 1]!;
  const container = parent as Record<string | number, unknown>;
  if (remove) Reflect.deleteProperty(container, last);
  else container[last] = replacement;
  return copy;
}

function expectWellFormed(verdict: Classification): void {
  expect(CATEGORIES).toContain(verdict.category);
  expect(['critical', 'warning', 'info']).toContain(verdict.severity);
  expect(verdict.alert).toBe(verdict.severity !== 'info');
  expect(verdict.cause.length).toBeGreaterThan(0);
  expect(verdict.remedy.length).toBeGreaterThan(0);
  expect(verdict.docsUrl).toMatch(/^https:\/\//);
  expect(() => JSON.stringify(verdict)).not.toThrow();
}

/** Parsing and classification either give a well-formed verdict or throw the documented EventParseError. */
function classifyOrTypedError(input: unknown): void {
  let verdict: Classification;
  try {
    verdict = classify(parseEvent(input, 'property'));
  } catch (error) {
    expect(error).toBeInstanceOf(EventParseError);
    return;
  }
  expectWellFormed(verdict);
}

describe('parse and classify under random input', () => {
  const events = seeds();

  it('never throw anything but EventParseError for arbitrary JSON values', () => {
    fc.assert(fc.property(anyJson, classifyOrTypedError), { numRuns: 2000 });
  });

  it('classify any object with a detail-type and a random detail', () => {
    fc.assert(
      fc.property(fc.constantFrom(...DETAIL_TYPES), anyJson, (detailType, detail) => {
        classifyOrTypedError({ 'detail-type': detailType, detail });
      }),
      { numRuns: 2000 },
    );
  });

  it('survive recorded events with one field changed or removed', () => {
    fc.assert(
      fc.property(fc.nat(), fc.nat(), anyJson, fc.boolean(), (seedIndex, pathIndex, replacement, remove) => {
        const event = events[seedIndex % events.length]!;
        const paths = leafPaths(event);
        const path = paths[pathIndex % paths.length]!;
        classifyOrTypedError(mutate(event, path, replacement, remove));
      }),
      { numRuns: 4000 },
    );
  });

  it('keep an event classifiable when any envelope field other than detail-type and detail is missing', () => {
    fc.assert(
      fc.property(fc.nat(), fc.constantFrom('version', 'id', 'source', 'account', 'time', 'region', 'resources'), (seedIndex, field) => {
        const event = structuredClone(events[seedIndex % events.length]!);
        Reflect.deleteProperty(event, field);
        const parsed = parseEvent(event, 'property');
        expect(parsed.warnings).toContain(`envelope field "${field}" is missing`);
        expectWellFormed(classify(parsed));
      }),
      { numRuns: 500 },
    );
  });
});
