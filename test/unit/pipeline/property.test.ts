import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { CATEGORIES } from '../../../lib/classify/categories.ts';
import { classify } from '../../../lib/classify/classify.ts';
import type { Classification } from '../../../lib/classify/verdict.ts';
import { EventParseError } from '../../../lib/errors.ts';
import { parseEvent } from '../../../lib/events/parse.ts';
import { anyJson, DETAIL_TYPES, leafPaths, mutate, seeds } from '../../support/arbitraries.ts';

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
