import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { readValues, type ReadValue } from '../../../lib/replay/json-values.ts';

async function read(text: string): Promise<ReadValue[]> {
  async function* lines(): AsyncGenerator<string> {
    yield* text.split('\n');
  }
  const out: ReadValue[] = [];
  for await (const item of readValues(lines())) out.push(item);
  return out;
}

/** What JSON itself keeps of a value (it writes -0 as 0). */
function roundTrip(value: unknown): unknown {
  return JSON.parse(JSON.stringify(value));
}

const event = fc.dictionary(fc.string({ maxLength: 12 }), fc.jsonValue({ maxDepth: 3 }), { minKeys: 1, maxKeys: 6 });

describe('readValues under random input', () => {
  it('gives back every event of an array, however it is laid out', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(event, { maxLength: 6 }), fc.constantFrom(0, 2, '\t'), async (events, indent) => {
        const items = await read(JSON.stringify(events, null, indent));
        expect(items.map((item) => ('value' in item ? item.value : item.error))).toEqual(roundTrip(events));
      }),
      { numRuns: 300 },
    );
  });

  it('gives back every event of a file of pretty-printed events one after another', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(event, { minLength: 1, maxLength: 5 }), async (events) => {
        const items = await read(events.map((value) => JSON.stringify(value, null, 2)).join('\n'));
        expect(items.map((item) => ('value' in item ? item.value : item.error))).toEqual(roundTrip(events));
      }),
      { numRuns: 300 },
    );
  });

  it('never throws on arbitrary text, and turns every part it cannot read into an error naming a line', async () => {
    await fc.assert(
      fc.asyncProperty(fc.string({ unit: 'binary', maxLength: 300 }), async (text) => {
        const lineCount = text.split('\n').length;
        for (const item of await read(text)) {
          expect(item.line).toBeGreaterThanOrEqual(1);
          expect(item.line).toBeLessThanOrEqual(lineCount);
          if ('error' in item) expect(item.error).toMatch(/^line \d+: /);
        }
      }),
      { numRuns: 1000 },
    );
  });
});
