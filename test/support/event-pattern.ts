/**
 * Amazon EventBridge event-pattern matching, so tests can say which rules of the packaged template match a recorded
 * event without calling the TestEventPattern API.
 *
 * It follows the EventBridge user guide and, where the guide is silent, aws/event-ruler, the open-source matcher
 * EventBridge is built on: `JsonRuleCompiler` says which patterns are valid, `Event` + `ACFinder` + `ArrayMembership`
 * how arrays are matched, and `ByteMachine` how each operator compares a value.
 * - https://docs.aws.amazon.com/eventbridge/latest/userguide/eb-event-patterns.html
 * - https://docs.aws.amazon.com/eventbridge/latest/userguide/eb-create-pattern-operators.html
 * - https://docs.aws.amazon.com/eventbridge/latest/userguide/eb-event-patterns-arrays.html
 * - https://docs.aws.amazon.com/eventbridge/latest/userguide/eb-event-patterns-null-values.html
 * - https://github.com/aws/event-ruler (README: "Exists matching", "JSON Array Matching", "$or", "Wildcard matching")
 *
 * The model is event-ruler's:
 * - the event flattens into fields: a dotted path to a leaf value (string, number, boolean or null) and the array
 *   elements it sits in. Objects and empty arrays are not leaves, so they never "exist" as a field.
 * - the pattern compiles into sub-rules, one per combination of `$or` branches, each a list of dotted paths with the
 *   tests of their value arrays (any test may pass).
 * - a sub-rule matches when, taking its paths in sorted order, each is met by a field that lies in the same element of
 *   every array as the fields met so far ("array consistency"), or, for `{ "exists": false }`, when no such field
 *   exists. The event matches when any sub-rule does.
 */

/** A pattern EventBridge would refuse (PutRule answers "Event pattern is not valid"); `path` is where, dotted. */
export class PatternError extends Error {
  override readonly name = 'PatternError';
  /** Dotted path of the offending part of the pattern, e.g. `detail.lastStatus`; empty for the pattern as a whole. */
  readonly path: string;

  constructor(reason: string, path: string) {
    super(path === '' ? `Event pattern is not valid: ${reason}` : `Event pattern is not valid at ${path}: ${reason}`);
    this.path = path;
  }
}

/**
 * Does an EventBridge event (the whole envelope, as parsed JSON) match a pattern (as parsed JSON)?
 * Throws PatternError when the pattern is not valid, and TypeError when the event is not a JSON object.
 *
 * @example
 * matchesPattern({ source: ['aws.ecs'], detail: { lastStatus: [{ prefix: 'STOP' }] } }, event) // true for a STOPPED task
 */
export function matchesPattern(pattern: unknown, event: unknown): boolean {
  const rules = compile(pattern);
  const fields = flatten(event);
  return rules.some((rule) => matchesRule(rule, fields));
}

/** Validates a pattern the way EventBridge would reject it (e.g. a non-array leaf, an unknown operator); throws PatternError. */
export function validatePattern(pattern: unknown): void {
  compile(pattern);
}

type Leaf = string | number | boolean | null;
type ValueTest = (value: Leaf) => boolean;

/** What one dotted path of a sub-rule accepts: a value passing any test, or (when `absent`) no value at all. */
interface FieldTest {
  readonly path: string;
  readonly tests: readonly ValueTest[];
  readonly absent: boolean;
}

/** One combination of `$or` branches: field tests sorted by path, the order event-ruler's state machine takes them in. */
type SubRule = readonly FieldTest[];

/** Which element of which array (arrays numbered in the order met) a field sits in. */
type Membership = ReadonlyMap<number, number>;

interface Field {
  readonly value: Leaf;
  readonly membership: Membership;
}

const OR = '$or';

/** event-ruler's `Constants.RESERVED_FIELD_NAMES_IN_OR_RELATIONSHIP`: names a field inside an `$or` branch may not have. */
const RESERVED_IN_OR: ReadonlySet<string> = new Set([
  'exactly',
  'equals-ignore-case',
  'prefix',
  'suffix',
  'anything-but',
  'exists',
  'wildcard',
  'numeric',
  'cidr',
  '=',
  '<',
  '<=',
  '>',
  '>=',
  'regex',
  'not-wildcard',
  'not-equals-ignore-case',
  'date-after',
  'date-on-or-after',
  'date-before',
  'date-on-or-before',
  'in-date-range',
  'ip-address-in-range',
  'ip-address-not-in-range',
]);

/** Marks `{ "exists": false }`, which tests not a value but that there is none. */
const ABSENT = Symbol('absent');

// ---------------------------------------------------------------------------------------------------------------------
// Compiling the pattern

function compile(pattern: unknown): SubRule[] {
  if (!isObject(pattern)) throw new PatternError('a pattern must be a JSON object', '');
  const drafts = compileObject(pattern, [], [new Map()], false);
  return drafts.map((draft) => [...draft.values()].sort((a, b) => compareStrings(a.path, b.path)));
}

type Draft = ReadonlyMap<string, FieldTest>;

/** Adds an object's keys to every sub-rule drafted so far; an `$or` forks each draft once per branch. */
function compileObject(object: Record<string, unknown>, path: readonly string[], drafts: Draft[], insideOr: boolean): Draft[] {
  const entries = Object.entries(object);
  if (entries.length === 0) throw new PatternError('empty objects are not allowed', dotted(path));
  let current = drafts;
  for (const [key, value] of entries) {
    if (key === OR) {
      current = compileOr(value, path, current);
      continue;
    }
    const here = [...path, key];
    if (insideOr && RESERVED_IN_OR.has(key)) {
      throw new PatternError(`"${key}" is an operator name, so it cannot be a field name inside ${OR}`, dotted(here));
    }
    if (Array.isArray(value)) {
      const field = compileField(value, dotted(here));
      current = current.map((draft) => withField(draft, field));
    } else if (isObject(value)) {
      current = compileObject(value, here, current, insideOr);
    } else {
      throw new PatternError(`"${key}" must be an object or an array, got ${describe(value)}`, dotted(here));
    }
  }
  return current;
}

function compileOr(value: unknown, path: readonly string[], drafts: Draft[]): Draft[] {
  const where = dotted([...path, OR]);
  if (!Array.isArray(value)) throw new PatternError(`${OR} must be an array of objects, got ${describe(value)}`, where);
  if (value.length < 2) throw new PatternError(`${OR} needs at least 2 objects`, where);
  return value.flatMap((branch: unknown) => {
    if (!isObject(branch)) throw new PatternError(`${OR} may only contain objects, got ${describe(branch)}`, where);
    return compileObject(branch, path, drafts, true);
  });
}

/**
 * event-ruler either lets a later mention of a path override an earlier one or rejects it, depending on configuration,
 * and which one EventBridge uses is not documented; refusing is the choice that cannot silently change a result.
 */
function withField(draft: Draft, field: FieldTest): Draft {
  if (draft.has(field.path)) {
    throw new PatternError('the same field is matched more than once in one branch (check $or branches and dotted keys)', field.path);
  }
  return new Map(draft).set(field.path, field);
}

function compileField(values: readonly unknown[], path: string): FieldTest {
  if (values.length === 0) throw new PatternError('empty arrays are not allowed', path);
  const tests: ValueTest[] = [];
  let absent = false;
  for (const value of values) {
    const test = isObject(value) ? compileOperator(value, path) : compileLiteral(value, path);
    if (test === ABSENT) absent = true;
    else tests.push(test);
  }
  return { path, tests, absent };
}

/**
 * A literal matches an equal event value of the same JSON type: "512" never matches 512. Numbers compare as numbers
 * (event-ruler adds a numeric-equality matcher beside the literal one), so 300 matches 3.0e2. A string that is an IP
 * address becomes an address match (event-ruler's `CIDR.ipToRangeIfPossible`), so "2001:db8::1" matches
 * "2001:0db8:0:0:0:0:0:1".
 */
function compileLiteral(value: unknown, path: string): ValueTest {
  if (typeof value === 'string') {
    const address = parseIp(value);
    if (address !== null) return strings((text) => sameAddress(parseIp(text), address));
    return (candidate) => candidate === value;
  }
  if (typeof value === 'number') {
    if (!Number.isFinite(value)) throw new PatternError(`${value} is not a JSON number`, path);
    return (candidate) => candidate === value;
  }
  if (typeof value === 'boolean' || value === null) return (candidate) => candidate === value;
  throw new PatternError(`match values must be strings, numbers, true, false, null or operator objects, got ${describe(value)}`, path);
}

function compileOperator(expression: Record<string, unknown>, path: string): ValueTest | typeof ABSENT {
  const entries = Object.entries(expression);
  const [first] = entries;
  if (first === undefined) throw new PatternError('a match expression needs an operator, e.g. { "prefix": "us-" }', path);
  if (entries.length > 1) {
    throw new PatternError(`only one key is allowed in a match expression, got ${entries.map(([key]) => key).join(', ')}`, path);
  }
  const [operator, argument] = first;
  switch (operator) {
    case 'prefix':
      return strings(prefixTest(argument, path));
    case 'suffix':
      return strings(suffixTest(argument, path));
    case 'equals-ignore-case': {
      const forms = caseForms(stringArgument(argument, operator, path));
      return strings((text) => foldedMatch(forms, text, 0, true));
    }
    case 'wildcard': {
      const regex = wildcardRegExp(stringArgument(argument, operator, path), path);
      return strings((text) => regex.test(text));
    }
    case 'anything-but':
      return anythingBut(argument, path);
    case 'numeric':
      return numeric(argument, path);
    case 'exists':
      if (typeof argument !== 'boolean') throw new PatternError(`exists must be true or false, got ${describe(argument)}`, path);
      // Any leaf exists, null included: the flattened event has a field for it.
      return argument ? () => true : ABSENT;
    case 'cidr':
      return cidr(argument, path);
    default:
      throw new PatternError(`unrecognized match type "${operator}"`, path);
  }
}

/** String operators only ever match strings (event-ruler quotes strings, so a number or null cannot start with "). */
function strings(test: (text: string) => boolean): ValueTest {
  return (value) => typeof value === 'string' && test(value);
}

function stringArgument(argument: unknown, operator: string, path: string): string {
  if (typeof argument !== 'string') throw new PatternError(`${operator} takes a string, got ${describe(argument)}`, path);
  return argument;
}

/** `{ "prefix": "..." }` or `{ "prefix": { "equals-ignore-case": "..." } }`. */
function prefixTest(argument: unknown, path: string): (text: string) => boolean {
  const ignoreCase = ignoreCaseArgument(argument, 'prefix', path);
  if (ignoreCase !== null) {
    const forms = caseForms(ignoreCase);
    return (text) => foldedMatch(forms, text, 0, false);
  }
  const prefix = stringArgument(argument, 'prefix', path);
  return (text) => text.startsWith(prefix);
}

/** `{ "suffix": "..." }` or `{ "suffix": { "equals-ignore-case": "..." } }`. */
function suffixTest(argument: unknown, path: string): (text: string) => boolean {
  const ignoreCase = ignoreCaseArgument(argument, 'suffix', path);
  if (ignoreCase !== null) {
    const forms = caseForms(ignoreCase);
    return (text) => {
      for (let start = text.length; start >= 0; start--) if (foldedMatch(forms, text, start, true)) return true;
      return false;
    };
  }
  const suffix = stringArgument(argument, 'suffix', path);
  return (text) => text.endsWith(suffix);
}

function ignoreCaseArgument(argument: unknown, operator: string, path: string): string | null {
  if (!isObject(argument)) return null;
  const entries = Object.entries(argument);
  const [first] = entries;
  if (first === undefined || entries.length > 1 || first[0] !== 'equals-ignore-case') {
    throw new PatternError(`${operator} takes a string or { "equals-ignore-case": "..." }`, path);
  }
  return stringArgument(first[1], `${operator} equals-ignore-case`, path);
}

/**
 * anything-but matches any present value except those listed. Only a value of the listed type can be excluded:
 * `{ "anything-but": "x" }` matches 5 and null, `{ "anything-but": 5 }` matches "5" (event-ruler `ByteMachine`
 * compares an anything-but only with values of its own kind). On an event array it matches when any element passes.
 */
function anythingBut(argument: unknown, path: string): ValueTest {
  if (typeof argument === 'string') return (value) => value !== argument;
  if (typeof argument === 'number') {
    if (!Number.isFinite(argument)) throw new PatternError(`${argument} is not a JSON number`, path);
    return (value) => value !== argument;
  }
  if (Array.isArray(argument)) {
    const values: readonly unknown[] = argument;
    const allStrings = values.every((value) => typeof value === 'string');
    const allNumbers = values.every((value) => typeof value === 'number' && Number.isFinite(value));
    if (values.length === 0 || (!allStrings && !allNumbers)) {
      throw new PatternError('an anything-but list must hold only strings or only numbers, and at least one', path);
    }
    const excluded = new Set(values);
    return (value) => !excluded.has(value);
  }
  if (isObject(argument)) return anythingButOperator(argument, path);
  throw new PatternError(
    'anything-but takes a string, a number, a list of either, or { prefix | suffix | equals-ignore-case | wildcard }, ' +
      `got ${describe(argument)}`,
    path,
  );
}

/** How each anything-but operator decides that a string is excluded. */
const EXCLUSIONS = new Map<string, (text: string, path: string) => (value: string) => boolean>([
  ['prefix', (text) => (value) => value.startsWith(text)],
  ['suffix', (text) => (value) => value.endsWith(text)],
  [
    'equals-ignore-case',
    (text) => {
      const forms = caseForms(text);
      return (value) => foldedMatch(forms, value, 0, true);
    },
  ],
  [
    'wildcard',
    (text, path) => {
      const regex = wildcardRegExp(text, path);
      return (value) => regex.test(value);
    },
  ],
]);

/** `{ "anything-but": { "prefix" | "suffix" | "equals-ignore-case" | "wildcard": text or [texts] } }`; strings only can fail it. */
function anythingButOperator(argument: Record<string, unknown>, path: string): ValueTest {
  const entries = Object.entries(argument);
  const [first] = entries;
  if (first === undefined || entries.length > 1) {
    throw new PatternError('anything-but takes exactly one of prefix, suffix, equals-ignore-case, wildcard', path);
  }
  const [operator, operand] = first;
  const build = EXCLUSIONS.get(operator);
  if (build === undefined) throw new PatternError(`unsupported anything-but pattern "${operator}"`, path);
  const list: readonly unknown[] = Array.isArray(operand) ? operand : [operand];
  if (list.length === 0) throw new PatternError(`anything-but ${operator} needs at least one value`, path);
  const texts = list.map((value) => stringArgument(value, `anything-but ${operator}`, path));
  if ((operator === 'prefix' || operator === 'suffix') && texts.includes('')) {
    throw new PatternError(`anything-but ${operator} cannot be empty`, path);
  }
  const excluded = texts.map((text) => build(text, path));
  return (value) => typeof value !== 'string' || !excluded.some((test) => test(value));
}

const COMPARISONS = new Set(['=', '<', '<=', '>', '>=']);

/**
 * `{ "numeric": [ op, n ] }` or `[ ">" | ">=", low, "<" | "<=", high ]` with low < high, as event-ruler's
 * `processNumericMatchExpression` accepts them. Matches JSON numbers only.
 */
function numeric(argument: unknown, path: string): ValueTest {
  const usage = 'numeric takes [ op, number ] or [ ">" | ">=", low, "<" | "<=", high ]';
  if (!Array.isArray(argument)) throw new PatternError(`${usage}, got ${describe(argument)}`, path);
  const terms: readonly unknown[] = argument;
  const [operator, bound, upperOperator, upperBound] = terms;
  if (typeof operator !== 'string' || !COMPARISONS.has(operator)) {
    throw new PatternError(`unrecognized numeric operator ${describe(operator)}; use =, <, <=, > or >=`, path);
  }
  const low = numberTerm(bound, operator, path);
  const first = comparison(operator, low);
  if (terms.length === 2) return (value) => typeof value === 'number' && first(value);
  if (operator !== '>' && operator !== '>=') throw new PatternError(`${usage}; only > or >= can start a range`, path);
  if (upperOperator !== '<' && upperOperator !== '<=') {
    throw new PatternError(`bad numeric range operator ${describe(upperOperator)}; a range ends with < or <=`, path);
  }
  const high = numberTerm(upperBound, upperOperator, path);
  if (terms.length > 4) throw new PatternError('too many terms in numeric range expression', path);
  if (!(low < high)) throw new PatternError(`the bottom of a numeric range must be less than its top (${low} .. ${high})`, path);
  const second = comparison(upperOperator, high);
  return (value) => typeof value === 'number' && first(value) && second(value);
}

function numberTerm(term: unknown, operator: string, path: string): number {
  if (typeof term !== 'number' || !Number.isFinite(term)) {
    throw new PatternError(`value of ${operator} must be a number, got ${describe(term)}`, path);
  }
  return term;
}

function comparison(operator: string, bound: number): (value: number) => boolean {
  switch (operator) {
    case '<':
      return (value) => value < bound;
    case '<=':
      return (value) => value <= bound;
    case '>':
      return (value) => value > bound;
    case '>=':
      return (value) => value >= bound;
    default:
      return (value) => value === bound;
  }
}

// ---------------------------------------------------------------------------------------------------------------------
// Case-insensitive and wildcard text

/**
 * Each character of the pattern as the strings it may appear as in the value: its lower- and upper-case forms, as
 * event-ruler's `EqualsIgnoreCaseParser` builds them (so "ß" also matches "SS").
 */
function caseForms(text: string): readonly (readonly string[])[] {
  return Array.from(text, (character) => [...new Set([character.toLowerCase(), character.toUpperCase()])]);
}

/** Do the case forms match `text` from `start`, to its end (`whole`) or to anywhere (a prefix)? */
function foldedMatch(forms: readonly (readonly string[])[], text: string, start: number, whole: boolean): boolean {
  const failed = new Set<number>();
  const from = (index: number, position: number): boolean => {
    const alternatives = forms[index];
    if (alternatives === undefined) return !whole || position === text.length;
    const key = index * (text.length + 1) + position;
    if (failed.has(key)) return false;
    for (const form of alternatives) if (text.startsWith(form, position) && from(index + 1, position + form.length)) return true;
    failed.add(key);
    return false;
  };
  return from(0, start);
}

/**
 * `*` matches any run of characters, the empty one included; `\*` is a literal asterisk and `\\` a backslash. As in
 * event-ruler's `WildcardParser`, consecutive `*` and any other backslash escape are errors.
 */
function wildcardRegExp(pattern: string, path: string): RegExp {
  let source = '';
  for (let index = 0; index < pattern.length; index++) {
    const character = pattern.charAt(index);
    if (character === '*') {
      if (pattern.charAt(index + 1) === '*') {
        throw new PatternError(`consecutive wildcard characters at position ${index} of "${pattern}"`, path);
      }
      source += '[\\s\\S]*';
    } else if (character === '\\') {
      const next = pattern.charAt(index + 1);
      if (next !== '*' && next !== '\\') {
        throw new PatternError(`invalid escape at position ${index} of "${pattern}": only \\* and \\\\ are allowed`, path);
      }
      source += escapeRegExp(next);
      index++;
    } else {
      source += escapeRegExp(character);
    }
  }
  return new RegExp(`^${source}$`);
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');
}

// ---------------------------------------------------------------------------------------------------------------------
// IP addresses

interface Address {
  readonly v6: boolean;
  readonly value: bigint;
}

const IPV4 = /^[0-9]+\.[0-9]+\.[0-9]+\.[0-9]+$/;
const IPV6 = /^[0-9a-fA-F:]*:[0-9a-fA-F:]*$/;
const HEX_GROUP = /^[0-9a-fA-F]{1,4}$/;

/** An IPv4 or IPv6 literal (the shapes event-ruler's `Constants.IPv4_REGEX`/`IPv6_REGEX` let through), or null. */
function parseIp(text: string): Address | null {
  if (IPV4.test(text)) {
    let value = 0n;
    for (const part of text.split('.')) {
      const octet = Number(part);
      if (octet > 255) return null;
      value = (value << 8n) | BigInt(octet);
    }
    return { v6: false, value };
  }
  if (!IPV6.test(text)) return null;
  const halves = text.split('::');
  if (halves.length > 2) return null;
  const groupsOf = (part: string | undefined): string[] => (part === undefined || part === '' ? [] : part.split(':'));
  const head = groupsOf(halves[0]);
  const tail = groupsOf(halves[1]);
  let groups = head;
  if (halves.length === 2) {
    if (head.length + tail.length > 7) return null;
    groups = [...head, ...Array.from({ length: 8 - head.length - tail.length }, () => '0'), ...tail];
  }
  if (groups.length !== 8 || !groups.every((group) => HEX_GROUP.test(group))) return null;
  let value = 0n;
  for (const group of groups) value = (value << 16n) | BigInt(Number.parseInt(group, 16));
  // Java's InetAddress, which event-ruler parses with, turns an IPv4-mapped address (::ffff:a.b.c.d) into IPv4.
  if (value >> 32n === 0xffffn) return { v6: false, value: value & 0xffffffffn };
  return { v6: true, value };
}

function sameAddress(a: Address | null, b: Address): boolean {
  return a !== null && a.v6 === b.v6 && a.value === b.value;
}

/**
 * `{ "cidr": "10.0.0.0/24" }`, IPv4 or IPv6, matching string values only. As event-ruler's `CIDR.cidr` computes it,
 * the range runs from the address as written to that address with every host bit set, and the mask must be below
 * the address width (/32 for IPv4 and /128 for IPv6 are refused).
 */
function cidr(argument: unknown, path: string): ValueTest {
  const block = stringArgument(argument, 'cidr', path);
  const parts = block.split('/');
  const [address, bits] = parts;
  if (parts.length !== 2 || address === undefined || bits === undefined) {
    throw new PatternError(`malformed CIDR "${block}": one "/" required`, path);
  }
  if (!/^[+-]?[0-9]+$/.test(bits)) throw new PatternError(`malformed CIDR "${block}": mask bits must be an integer`, path);
  const mask = Number(bits);
  if (mask < 0) throw new PatternError(`malformed CIDR "${block}": mask bits must not be negative`, path);
  const base = parseIp(address);
  if (base === null) throw new PatternError(`invalid IP address "${address}"`, path);
  const width = base.v6 ? 128 : 32;
  if (mask > width - 1) throw new PatternError(`${base.v6 ? 'IPv6' : 'IPv4'} mask bits must be < ${width}`, path);
  const low = base.value;
  const high = low | ((1n << BigInt(width - mask)) - 1n);
  return strings((text) => {
    const candidate = parseIp(text);
    return candidate !== null && candidate.v6 === base.v6 && candidate.value >= low && candidate.value <= high;
  });
}

// ---------------------------------------------------------------------------------------------------------------------
// Flattening the event and matching

/** The event's leaf fields by dotted path, each with the array elements it sits in (event-ruler's `Event`). */
function flatten(event: unknown): ReadonlyMap<string, readonly Field[]> {
  if (!isObject(event)) throw new TypeError(`an EventBridge event must be a JSON object, got ${describe(event)}`);
  const fields = new Map<string, Field[]>();
  let arrays = 0;
  const visit = (value: unknown, path: readonly string[], membership: Membership): void => {
    if (Array.isArray(value)) {
      const array = arrays++;
      value.forEach((element: unknown, index) => {
        // Only objects and arrays inside an array record their position: a plain value has no fields to keep apart.
        const inner = isObject(element) || Array.isArray(element) ? new Map(membership).set(array, index) : membership;
        visit(element, path, inner);
      });
    } else if (isObject(value)) {
      for (const [key, child] of Object.entries(value)) visit(child, [...path, key], membership);
    } else if (isLeaf(value)) {
      const key = dotted(path);
      const list = fields.get(key) ?? [];
      list.push({ value, membership });
      fields.set(key, list);
    } else if (value !== undefined) {
      // undefined is skipped as JSON.stringify would; anything else cannot have come from JSON.
      throw new TypeError(`the event holds a value JSON cannot: ${describe(value)} at ${dotted(path)}`);
    }
  };
  visit(event, [], new Map());
  return fields;
}

/**
 * Backtracking version of event-ruler's `ACFinder`: fields taken in path order; each must lie in the same element of
 * every array as the fields already used; `exists: false` holds when no field at the path is consistent with them.
 */
function matchesRule(rule: SubRule, fields: ReadonlyMap<string, readonly Field[]>): boolean {
  const from = (index: number, membership: Membership): boolean => {
    const test = rule[index];
    if (test === undefined) return true;
    const candidates = fields.get(test.path) ?? [];
    if (test.absent && !candidates.some((field) => consistent(membership, field.membership) !== null) && from(index + 1, membership)) {
      return true;
    }
    return candidates.some((field) => {
      const next = consistent(membership, field.membership);
      return next !== null && test.tests.some((accepts) => accepts(field.value)) && from(index + 1, next);
    });
  };
  return from(0, new Map());
}

/** event-ruler's `ArrayMembership.checkArrayConsistency`: the combined membership, or null when two elements differ. */
function consistent(soFar: Membership, field: Membership): Membership | null {
  let merged: Map<number, number> | null = null;
  for (const [array, index] of field) {
    const seen = soFar.get(array);
    if (seen === undefined) {
      merged ??= new Map(soFar);
      merged.set(array, index);
    } else if (seen !== index) {
      return null;
    }
  }
  return merged ?? soFar;
}

// ---------------------------------------------------------------------------------------------------------------------
// Helpers

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function isLeaf(value: unknown): value is Leaf {
  return value === null || typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean';
}

/** event-ruler joins path steps with "." for pattern and event alike, so `{"a.b": ...}` and `{"a": {"b": ...}}` meet. */
function dotted(path: readonly string[]): string {
  return path.join('.');
}

/** Java's `String.compareTo` order (UTF-16 code units), which event-ruler sorts field names by. */
function compareStrings(a: string, b: string): number {
  if (a < b) return -1;
  return a > b ? 1 : 0;
}

function describe(value: unknown): string {
  if (value === undefined) return 'nothing';
  try {
    return JSON.stringify(value) ?? typeof value;
  } catch {
    return typeof value;
  }
}
