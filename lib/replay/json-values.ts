/** One JSON value read from a stream of saved events, or the reason a part of it could not be read. */
export type ReadValue = { line: number; value: unknown } | { line: number; error: string };

function parseErrorText(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

function parseLine(text: string, line: number): ReadValue[] {
  try {
    const value: unknown = JSON.parse(text);
    // A JSON array on one line holds several events, as `jq -c '[...]'` or an export writes them.
    return Array.isArray(value) ? value.map((element: unknown) => ({ line, value: element })) : [{ line, value }];
  } catch (error) {
    return [{ line, error: `line ${line}: not valid JSON (${parseErrorText(error)})` }];
  }
}

const WHITESPACE = new Set([' ', '\t', '\r', '\n', '\uFEFF']);

/**
 * Splits a JSON document that spans lines into its top-level values, one line at a time, so that a large file
 * is never held whole: a pretty-printed event, several of them one after another, or a JSON array of events
 * (whose elements come out one by one). Strings are tracked so brackets inside them do not count.
 */
export class JsonDocumentSplitter {
  /** Inside a top-level array: its elements are the values. */
  private inArray = false;
  private arrayLine = 0;
  /** The value being read: its text so far, where it started, and whether it is an object/array or a bare scalar. */
  private parts: string[] = [];
  private active: 'container' | 'scalar' | null = null;
  private startLine = 0;
  private depth = 0;
  private inString = false;
  private escaped = false;

  /** Feeds one line (without its line break); returns the values completed on it. */
  pushLine(text: string, line: number): ReadValue[] {
    const out: ReadValue[] = [];
    let sliceStart = 0;
    for (let i = 0; i < text.length; i += 1) {
      const char = text.charAt(i);
      if (this.active !== null) {
        if (this.inString) {
          if (this.escaped) this.escaped = false;
          else if (char === '\\') this.escaped = true;
          else if (char === '"') this.inString = false;
          continue;
        }
        if (char === '"') {
          this.inString = true;
          continue;
        }
        if (this.active === 'container') {
          if (char === '{' || char === '[') this.depth += 1;
          else if (char === '}' || char === ']') {
            this.depth -= 1;
            if (this.depth === 0) {
              this.parts.push(text.slice(sliceStart, i + 1));
              out.push(this.finish());
            }
          }
          continue;
        }
        // A bare scalar ends at the next separator.
        if (char === ',' || char === ']' || WHITESPACE.has(char)) {
          this.parts.push(text.slice(sliceStart, i));
          out.push(this.finish());
          i -= 1; // the separator is read again between values
        }
        continue;
      }
      // Between values.
      if (WHITESPACE.has(char)) continue;
      if (this.inArray && char === ',') continue;
      if (this.inArray && char === ']') {
        this.inArray = false;
        continue;
      }
      if (!this.inArray && char === '[') {
        this.inArray = true;
        this.arrayLine = line;
        continue;
      }
      this.start(char === '{' || char === '[' ? 'container' : 'scalar', line);
      sliceStart = i;
      if (char === '"') this.inString = true;
    }
    if (this.active !== null) {
      this.parts.push(text.slice(sliceStart));
      if (this.active === 'scalar' && !this.inString) out.push(this.finish());
      else this.parts.push('\n');
    }
    return out;
  }

  /** Call at the end of the input: reports a value or array that was never closed. */
  end(): ReadValue[] {
    const out: ReadValue[] = [];
    if (this.active !== null) {
      out.push({ line: this.startLine, error: `line ${this.startLine}: the JSON value starting here is not closed before the end of the input` });
      this.active = null;
    } else if (this.inArray) {
      out.push({ line: this.arrayLine, error: `line ${this.arrayLine}: the JSON array starting here is not closed before the end of the input` });
    }
    this.inArray = false;
    return out;
  }

  private start(kind: 'container' | 'scalar', line: number): void {
    this.active = kind;
    this.startLine = line;
    this.parts = [];
    this.depth = kind === 'container' ? 1 : 0;
    this.inString = false;
    this.escaped = false;
  }

  private finish(): ReadValue {
    const text = this.parts.join('');
    const line = this.startLine;
    this.active = null;
    this.parts = [];
    try {
      return { line, value: JSON.parse(text) as unknown };
    } catch (error) {
      return { line, error: `line ${line}: not valid JSON (${parseErrorText(error)})` };
    }
  }
}

export interface ReadValuesOptions {
  /** Treat every line as one JSON value (newline-delimited JSON) without looking at the content first. */
  lineDelimited?: boolean;
}

/**
 * Reads saved events from lines of text: newline-delimited JSON (one event, or one array of events, per line) or a
 * JSON document over many lines (an event, several events, or an array of events). The form is told from the first
 * line: if it is a whole JSON value by itself, every line is one. Unreadable parts become errors and reading goes on.
 *
 * @example for await (const item of readValues(lines)) if ('value' in item) handle(item.value)
 */
export async function* readValues(lines: AsyncIterable<string>, options: ReadValuesOptions = {}): AsyncGenerator<ReadValue> {
  let mode: 'lines' | 'document' | null = options.lineDelimited === true ? 'lines' : null;
  const splitter = new JsonDocumentSplitter();
  let line = 0;
  for await (const raw of lines) {
    line += 1;
    const text = line === 1 ? raw.replace(/^\uFEFF/, '') : raw;
    if (mode === null) {
      if (text.trim() === '') continue;
      const first = parseLine(text, line);
      mode = first.some((item) => 'error' in item) ? 'document' : 'lines';
      if (mode === 'lines') {
        yield* first;
        continue;
      }
    }
    if (mode === 'lines') {
      if (text.trim() !== '') yield* parseLine(text, line);
    } else {
      yield* splitter.pushLine(text, line);
    }
  }
  yield* splitter.end();
}
