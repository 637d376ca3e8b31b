import fc from 'fast-check';
import { KNOWN_DETAIL_TYPES } from '../../lib/events/parse.ts';
import { deploymentEvent, serviceActionEvent, taskEvent } from './events.ts';
import { fixturePaths, loadFixture } from './fixtures.ts';

// fast-check generators of hostile input, shared by the property tests of the pipeline and of the handler.

export const DETAIL_TYPES = [...KNOWN_DETAIL_TYPES, 'Something New'];

/** Known-good events to mutate: every recorded fixture plus the builders' shapes. */
export function seeds(): Record<string, unknown>[] {
  const recorded = fixturePaths().map((path) => loadFixture(path));
  return [
    ...recorded,
    taskEvent({ stopCode: 'EssentialContainerExited', stoppedReason: 'Essential container in task exited' }),
    serviceActionEvent({ reason: 'RESOURCE:CPU' }),
    deploymentEvent({}),
  ];
}

export const hostileString = fc.oneof(
  fc.string(),
  fc.string({ unit: 'grapheme', maxLength: 50 }),
  fc.constantFrom('', ' ', '\u0000', '\u001b[31m', '<!channel>', '*bold*', '"quoted"', 'null', '137', 'OutOfMemoryError', 'x'.repeat(10_000)),
);
export const anyLeaf = fc.oneof(hostileString, fc.integer(), fc.double(), fc.boolean(), fc.constant(null));
export const anyJson = fc.letrec((tie) => ({
  value: fc.oneof({ depthSize: 'small' }, anyLeaf, fc.array(tie('value'), { maxLength: 4 }), fc.dictionary(fc.string({ maxLength: 8 }), tie('value'), { maxKeys: 5 })),
})).value;

/** Values an enum-like field (lastStatus, stopCode, eventName, eventType, launchType…) might take tomorrow, or by mistake. */
export const unknownEnum = fc.oneof(
  fc.constantFrom('UNKNOWN', 'Stopped', 'stopped', 'STOPPED ', 'SERVICE_SOMETHING_NEW', 'CRITICAL', 'ERROR\n', 'ecs-svc/', 'FARGATE_SPOT2', 'TaskFailedToStart2', '__proto__', 'constructor', 'toString'),
  fc.stringMatching(/^[A-Z][A-Za-z_]{0,30}$/),
);

/** A value nested `depth` levels deep, alternating objects and arrays. */
export function nested(depth: number, leaf: unknown = 'bottom'): unknown {
  let value: unknown = leaf;
  for (let level = 0; level < depth; level += 1) value = level % 2 === 0 ? { deeper: value } : [value];
  return value;
}

/** Strings from the unicode corners: lone surrogates, bidi overrides, combining marks, emoji, every escape JSON has. */
export const unicodeString = fc.oneof(
  fc.string({ unit: 'binary', maxLength: 40 }),
  fc.constantFrom('\ud800', '\udfff', 'a\ud83d', '\u202e\u2066evil', 'e\u0301\u0301\u0301', '🚀🧨'.repeat(50), '\u2028\u2029', '\\"\\\\\\/', '\ufeff', '\uffff\ufffe'),
);

/**
 * A value too big to print in a counterexample (a huge string, a deep structure), built only when an event is
 * mutated with it; fast-check shows its description instead.
 */
export class Bulky {
  constructor(
    readonly description: string,
    readonly build: () => unknown,
  ) {}

  [fc.toStringMethod](): string {
    return this.description;
  }
}

/** The value a replacement stands for: a Bulky one built, any other as it is. */
export function materialize(value: unknown): unknown {
  return value instanceof Bulky ? value.build() : value;
}

/** What a mutated field becomes: any JSON, an unknown enum value, unicode, a huge string, or a deep structure. */
export const replacement: fc.Arbitrary<unknown> = fc.oneof(
  { weight: 6, arbitrary: anyJson },
  { weight: 3, arbitrary: unknownEnum },
  { weight: 3, arbitrary: unicodeString },
  {
    weight: 1,
    arbitrary: fc.constantFrom(
      new Bulky('<300,000 × "y">', () => 'y'.repeat(300_000)),
      new Bulky('<20,000 × "<!channel> ">', () => '<!channel> '.repeat(20_000)),
      new Bulky('<1 MB of "\\u202e<@U123>">', () => '\u202e<@U123>'.repeat(150_000)),
    ),
  },
  { weight: 1, arbitrary: fc.integer({ min: 1, max: 3_000 }).map((depth) => new Bulky(`<nested ${depth} deep>`, () => nested(depth))) },
);

export type Path = (string | number)[];

/** Every path in a value, down to 64 levels (a structure built deeper on purpose is not walked to its bottom). */
export function leafPaths(value: unknown, path: Path = [], out: Path[] = []): Path[] {
  out.push(path);
  if (path.length >= 64) return out;
  if (Array.isArray(value)) value.forEach((item, index) => leafPaths(item, [...path, index], out));
  else if (typeof value === 'object' && value !== null) for (const [key, item] of Object.entries(value)) leafPaths(item, [...path, key], out);
  return out;
}

/** Replaces or deletes the value at a path of a deep copy. */
export function mutate(event: unknown, path: Path, replacementValue: unknown, remove: boolean): unknown {
  return mutateInPlace(structuredClone(event), path, replacementValue, remove);
}

/** Replaces or deletes the value at a path, in place; returns the new root (the replacement when the path is empty). */
function mutateInPlace(root: unknown, path: Path, replacementValue: unknown, remove: boolean): unknown {
  if (path.length === 0) return materialize(replacementValue);
  let parent: unknown = root;
  for (const key of path.slice(0, -1)) parent = (parent as Record<string | number, unknown>)[key];
  const last = path[path.length - 1]!;
  const container = parent as Record<string | number, unknown>;
  if (remove) Reflect.deleteProperty(container, last);
  else container[last] = materialize(replacementValue);
  return root;
}

/** One mutation of a seed event: which seed, which path (both taken modulo their counts), the new value or removal. */
export const mutation = fc.record({ seed: fc.nat(), path: fc.nat(), value: replacement, remove: fc.boolean() });

/**
 * A copy of a seed event with the mutations applied in turn (each path chosen among the current event's paths).
 * The seed is copied once, before the first mutation: a structure built thousands of levels deep is never copied.
 */
export function mutated(events: readonly Record<string, unknown>[], mutations: readonly { seed: number; path: number; value: unknown; remove: boolean }[]): unknown {
  let event: unknown = structuredClone(events[(mutations[0]?.seed ?? 0) % events.length]);
  for (const step of mutations) {
    const paths = leafPaths(event);
    event = mutateInPlace(event, paths[step.path % paths.length]!, step.value, step.remove);
  }
  return event;
}
