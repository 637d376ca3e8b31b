/**
 * A lenient schema reader for AWS events.
 *
 * Real ECS events lack documented fields, carry undocumented ones, grow new enum values and sometimes use the
 * wrong JSON type (`"cpu": "null"`). A strict validator (zod and the like) fails the whole event on the first
 * surprise; we want the opposite: keep every field that has the expected type, drop the ones that do not with a
 * warning naming their path, and let the classifier work with what is left. Types are inferred from the schema,
 * so code downstream never casts event data.
 */

/** Collects non-fatal findings while reading one event. */
export type Warnings = string[];

export interface Reader<T> {
  /** Returns the value read, or undefined when absent (silently) or of the wrong type (with a warning). */
  read(value: unknown, path: string, warnings: Warnings): T | undefined;
}

export type Infer<R> = R extends Reader<infer T> ? T : never;

/** Longest string kept; AWS caps reasons at 255 characters, so anything near this is hostile or broken input. */
export const MAX_STRING_LENGTH = 4096;

function describe(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'array';
  return typeof value;
}

function mismatch(warnings: Warnings, path: string, expected: string, value: unknown): undefined {
  warnings.push(`${path}: expected ${expected}, got ${describe(value)}; ignored`);
  return undefined;
}

/** A high surrogate not followed by a low one, or a low one not preceded by a high one. */
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/gu;

/**
 * The text with every lone surrogate replaced by U+FFFD, as `String.prototype.toWellFormed` (ES2024) does: such text
 * cannot be encoded as UTF-8, so `encodeURIComponent` throws on it (a console link) and JSON bodies, headers and SNS
 * attributes would carry garbage. Text is made well-formed once, where it enters.
 */
export function wellFormed(text: string): string {
  return text.replace(LONE_SURROGATE, '\uFFFD');
}

function bounded(text: string, path: string, warnings: Warnings): string {
  const cut = text.length <= MAX_STRING_LENGTH ? text : `${text.slice(0, MAX_STRING_LENGTH - 1)}…`;
  if (cut !== text) warnings.push(`${path}: ${text.length} characters, cut to ${MAX_STRING_LENGTH}`);
  // After the cut, which may split a surrogate pair.
  const clean = wellFormed(cut);
  if (clean !== cut) warnings.push(`${path}: ill-formed UTF-16 (a lone surrogate), replaced with U+FFFD`);
  return clean;
}

/** A string. Numbers and booleans are accepted as their text, since AWS mixes `"512"` and `512` for sizes. */
export function text(): Reader<string> {
  return {
    read(value, path, warnings) {
      if (value === undefined || value === null) return undefined;
      if (typeof value === 'string') return bounded(value, path, warnings);
      if (typeof value === 'number' || typeof value === 'boolean') return String(value);
      return mismatch(warnings, path, 'a string', value);
    },
  };
}

/**
 * A string from a known vocabulary, spelled as the vocabulary spells it whatever its case (the 2025 console and some
 * events write `Taskfailedtostart` for `TaskFailedToStart`); a word not in the vocabulary is kept as it came.
 */
export function vocabulary(words: readonly string[]): Reader<string> {
  const byLowerCase = new Map(words.map((word) => [word.toLowerCase(), word]));
  const read = text();
  return {
    read(value, path, warnings) {
      const word = read.read(value, path, warnings);
      return word === undefined ? undefined : (byLowerCase.get(word.toLowerCase()) ?? word);
    },
  };
}

/** A finite number; a numeric string such as `"137"` is accepted as the number. */
export function num(): Reader<number> {
  return {
    read(value, path, warnings) {
      if (value === undefined || value === null) return undefined;
      if (typeof value === 'number' && Number.isFinite(value)) return value;
      if (typeof value === 'string' && value.trim() !== '' && Number.isFinite(Number(value))) return Number(value);
      return mismatch(warnings, path, 'a number', value);
    },
  };
}

/** A boolean; the strings `"true"` and `"false"` are accepted. */
export function bool(): Reader<boolean> {
  return {
    read(value, path, warnings) {
      if (value === undefined || value === null) return undefined;
      if (typeof value === 'boolean') return value;
      if (value === 'true' || value === 'false') return value === 'true';
      return mismatch(warnings, path, 'a boolean', value);
    },
  };
}

/** An array; elements of the wrong type are dropped one by one, not the whole array. */
export function list<T>(item: Reader<T>): Reader<T[]> {
  return {
    read(value, path, warnings) {
      if (value === undefined || value === null) return undefined;
      if (!Array.isArray(value)) return mismatch(warnings, path, 'an array', value);
      const out: T[] = [];
      for (let i = 0; i < value.length; i += 1) {
        const element = item.read(value[i], `${path}[${i}]`, warnings);
        if (element !== undefined) out.push(element);
      }
      return out;
    },
  };
}

export type Shape = Record<string, Reader<unknown>>;
export type ObjectOf<S extends Shape> = { [K in keyof S]?: Infer<S[K]> };

export function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

export interface ObjectReader<S extends Shape> extends Reader<ObjectOf<S>> {
  /** Reads the fields of a value already known to be an object. */
  readFields(value: Record<string, unknown>, path: string, warnings: Warnings): ObjectOf<S>;
}

/** An object with the given fields, all optional; fields not in the shape are ignored. */
export function object<S extends Shape>(shape: S): ObjectReader<S> {
  const keys = Object.keys(shape);
  function readFields(value: Record<string, unknown>, path: string, warnings: Warnings): ObjectOf<S> {
    const out: Record<string, unknown> = {};
    for (const key of keys) {
      const reader = shape[key];
      if (reader === undefined || !(key in value)) continue;
      const field = reader.read(value[key], path === '' ? key : `${path}.${key}`, warnings);
      if (field !== undefined) out[key] = field;
    }
    // The shape is the contract: every key copied above was read by the reader declared for it.
    return out as ObjectOf<S>;
  }
  return {
    readFields,
    read(value, path, warnings) {
      if (value === undefined || value === null) return undefined;
      if (!isRecord(value)) return mismatch(warnings, path, 'an object', value);
      return readFields(value, path, warnings);
    },
  };
}

/** `{name, value}` pairs, as ECS uses for attributes and attachment details. */
export const nameValue = object({ name: text(), value: text() });
