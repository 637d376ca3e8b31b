import { describe, expect, it } from 'vitest';
import { readValues, type ReadValue } from '../../../lib/replay/json-values.ts';

async function* linesOf(text: string): AsyncGenerator<string> {
  yield* text.split('\n');
}

async function read(text: string, lineDelimited = false): Promise<ReadValue[]> {
  const out: ReadValue[] = [];
  for await (const item of readValues(linesOf(text), { lineDelimited })) out.push(item);
  return out;
}

const EVENT_A = { id: 'a', 'detail-type': 'ECS Task State Change', detail: { stoppedReason: 'braces } and ] in "text"' } };
const EVENT_B = { id: 'b', 'detail-type': 'ECS Service Action', detail: { eventName: 'SERVICE_STEADY_STATE' } };

describe('readValues', () => {
  it('reads newline-delimited JSON, one event per line, with the line of each', async () => {
    const text = `${JSON.stringify(EVENT_A)}\n\n${JSON.stringify(EVENT_B)}\n`;
    expect(await read(text)).toEqual([
      { line: 1, value: EVENT_A },
      { line: 3, value: EVENT_B },
    ]);
  });

  it('reports a malformed line and goes on with the next', async () => {
    const text = `${JSON.stringify(EVENT_A)}\n{"id": "broken"\n${JSON.stringify(EVENT_B)}`;
    const items = await read(text);
    expect(items).toHaveLength(3);
    expect(items[1]).toEqual({ line: 2, error: expect.stringMatching(/^line 2: not valid JSON \(/) });
    expect(items[2]).toEqual({ line: 3, value: EVENT_B });
  });

  it('expands a JSON array written on one line into its events', async () => {
    expect(await read(JSON.stringify([EVENT_A, EVENT_B]))).toEqual([
      { line: 1, value: EVENT_A },
      { line: 1, value: EVENT_B },
    ]);
  });

  it('reads one pretty-printed event whose strings hold brackets and escaped quotes', async () => {
    expect(await read(JSON.stringify(EVENT_A, null, 2))).toEqual([{ line: 1, value: EVENT_A }]);
  });

  it('reads a pretty-printed array element by element, each with the line it starts on', async () => {
    const text = JSON.stringify([EVENT_A, EVENT_B], null, 2);
    const items = await read(text);
    expect(items.map((item) => ('value' in item ? item.value : item.error))).toEqual([EVENT_A, EVENT_B]);
    expect(items[0]?.line).toBe(2);
    expect(items[1]?.line).toBe(text.split('\n').findIndex((line) => line.includes('"id": "b"'))); // the `{` line above it
  });

  it('reads pretty-printed events one after another, as concatenated exports are', async () => {
    const text = `${JSON.stringify(EVENT_A, null, 2)}\n${JSON.stringify(EVENT_B, null, 2)}\n`;
    expect((await read(text)).map((item) => ('value' in item ? item.value : item.error))).toEqual([EVENT_A, EVENT_B]);
  });

  it('passes scalars in an array on as values, for the pipeline to reject one by one', async () => {
    const text = `[\n  42,\n  "text, with a comma",\n  ${JSON.stringify(EVENT_B)}\n]`;
    expect((await read(text)).map((item) => ('value' in item ? item.value : item.error))).toEqual([42, 'text, with a comma', EVENT_B]);
  });

  it('reports a value that is never closed, at the line it starts', async () => {
    expect(await read(`{\n  "id": "a",\n  "detail": {`)).toEqual([
      { line: 1, error: 'line 1: the JSON value starting here is not closed before the end of the input' },
    ]);
  });

  it('reports an array that is never closed after reading its complete elements', async () => {
    const items = await read(`[\n${JSON.stringify(EVENT_A)},\n`);
    expect(items).toEqual([
      { line: 2, value: EVENT_A },
      { line: 1, error: 'line 1: the JSON array starting here is not closed before the end of the input' },
    ]);
  });

  it('reports malformed content inside a document and reads what follows it', async () => {
    const text = `{\n  "id": "a",\n  oops\n}\n${JSON.stringify(EVENT_B, null, 2)}`;
    const items = await read(text);
    expect(items[0]).toEqual({ line: 1, error: expect.stringMatching(/^line 1: not valid JSON/) });
    expect(items[1]).toEqual({ line: 5, value: EVENT_B });
  });

  it('ignores a byte-order mark and carriage returns', async () => {
    expect(await read(`\uFEFF${JSON.stringify(EVENT_A)}\r`)).toEqual([{ line: 1, value: EVENT_A }]);
  });

  it('treats every line as a value when told the input is line-delimited', async () => {
    const items = await read(`{\n${JSON.stringify(EVENT_B)}`, true);
    expect(items).toEqual([
      { line: 1, error: expect.stringMatching(/^line 1: not valid JSON/) },
      { line: 2, value: EVENT_B },
    ]);
  });

  it('yields nothing for empty input', async () => {
    expect(await read('\n\n')).toEqual([]);
  });
});
