import { CATEGORIES } from '../classify/categories.ts';
import { KINDS, NAME_KEYS, SEVERITIES, type NameKey, type RouteMatch } from './config.ts';
import { anyGlobMatches, globShape } from './glob.ts';

/**
 * Route conditions as SNS subscription filter policies on the message attributes (`messageAttributes`,
 * lib/notify/sns-message.ts), exactly: a policy accepts a message if and only if the routes say the alert goes there.
 *
 * A policy is built as an OR of branches, each an AND of one condition per attribute, the shape SNS evaluates
 * (`"$or"`, https://docs.aws.amazon.com/sns/latest/dg/and-or-logic.html). A condition on one attribute is kept in a
 * general form, closed under AND, and only at the end written in SNS's operators: exact values, `prefix`,
 * `anything-but` (a list, or one prefix), `exists` (https://docs.aws.amazon.com/sns/latest/dg/string-value-matching.html,
 * https://docs.aws.amazon.com/sns/latest/dg/attribute-key-matching.html). What those operators cannot say (a glob
 * other than `name` or `prefix*`, a tag, "starts with a but is not ab") is an `InexpressibleFilter`.
 */

/** The attributes a route condition can test. */
export type FilterKey = NameKey | 'severity' | 'category' | 'kind';

/** The values of the closed vocabularies: a negation becomes the list of the other values. */
const VOCABULARY: Record<'severity' | 'category' | 'kind', readonly string[]> = { severity: SEVERITIES, category: CATEGORIES, kind: KINDS };
const FILTER_KEYS: readonly FilterKey[] = [...NAME_KEYS, 'severity', 'category', 'kind'];

/** Exact values and prefixes; the prefix '' stands for any value. */
interface Values {
  exact: string[];
  prefixes: string[];
}

/**
 * One attribute's condition: an absent attribute passes when `absent`; a present value passes when it is among
 * `include` (or `include` is 'all') and not among `exclude`.
 */
interface Condition {
  absent: boolean;
  include: Values | 'all';
  exclude: Values;
}

/** Conditions that must all hold; an attribute without one is not tested. */
export type Branch = Partial<Record<FilterKey, Condition>>;

/** SNS cannot say this in a filter policy: `what` names the condition in the file's words, `why` the SNS limit. */
export class InexpressibleFilter extends Error {
  override readonly name = 'InexpressibleFilter';
  readonly what: string;
  readonly why: string;

  constructor(what: string, why: string) {
    super(`${what}: ${why}`);
    this.what = what;
    this.why = why;
  }
}

/** SNS's limits: at most five keys, at most 150 combinations (https://docs.aws.amazon.com/sns/latest/dg/subscription-filter-policy-constraints.html). */
export const MAX_FILTER_KEYS = 5;
export const MAX_FILTER_COMBINATIONS = 150;

const NONE: Values = { exact: [], prefixes: [] };

function isVocabulary(key: FilterKey): key is 'severity' | 'category' | 'kind' {
  return key === 'severity' || key === 'category' || key === 'kind';
}

function matchesValues(values: Values, value: string): boolean {
  return values.exact.includes(value) || values.prefixes.some((prefix) => value.startsWith(prefix));
}

/** Without duplicates, prefixes covered by a shorter one, or exact values a prefix covers; sorted, so equal sets print alike. */
function normalized(values: Values): Values {
  const prefixes = [...new Set(values.prefixes)].filter((prefix, _, all) => !all.some((other) => other !== prefix && prefix.startsWith(other))).sort();
  const exact = [...new Set(values.exact)].filter((value) => !prefixes.some((prefix) => value.startsWith(prefix))).sort();
  return { exact, prefixes };
}

function isEmpty(values: Values): boolean {
  return values.exact.length === 0 && values.prefixes.length === 0;
}

/** Glob patterns of one condition as values; only names and `prefix*` can be. */
function valuesOf(key: FilterKey, patterns: readonly string[]): Values {
  const values: Values = { exact: [], prefixes: [] };
  for (const pattern of patterns) {
    const shape = globShape(pattern);
    if (shape.kind === 'exact') values.exact.push(shape.value);
    else if (shape.kind === 'prefix') values.prefixes.push(shape.prefix);
    else {
      throw new InexpressibleFilter(`${key} pattern ${JSON.stringify(pattern)}`, 'SNS filter policies match exact values and prefixes (name*), not other globs');
    }
  }
  return normalized(values);
}

/** A closed vocabulary's condition as the exact values it lets through, whatever its globs look like. */
function vocabularyCondition(key: 'severity' | 'category' | 'kind', patterns: readonly string[], negated: boolean): Condition {
  const exact = VOCABULARY[key].filter((value) => anyGlobMatches(patterns, value) !== negated);
  return { absent: false, include: { exact, prefixes: [] }, exclude: NONE };
}

function holds(key: FilterKey, patterns: readonly string[]): Condition {
  if (isVocabulary(key)) return vocabularyCondition(key, patterns, false);
  return { absent: false, include: valuesOf(key, patterns), exclude: NONE };
}

function fails(key: FilterKey, patterns: readonly string[]): Condition {
  if (isVocabulary(key)) return vocabularyCondition(key, patterns, true);
  return { absent: true, include: 'all', exclude: valuesOf(key, patterns) };
}

function intersectValues(a: Values | 'all', b: Values | 'all'): Values | 'all' {
  if (a === 'all') return b;
  if (b === 'all') return a;
  const exact = [...a.exact.filter((value) => matchesValues(b, value)), ...b.exact.filter((value) => matchesValues(a, value))];
  const prefixes: string[] = [];
  for (const p of a.prefixes) {
    for (const q of b.prefixes) {
      if (p.startsWith(q)) prefixes.push(p);
      else if (q.startsWith(p)) prefixes.push(q);
    }
  }
  return normalized({ exact, prefixes });
}

/** The condition with what `exclude` rules out removed from `include`; null when nothing can pass. */
function simplified(condition: Condition): Condition | null {
  const exclude = normalized(condition.exclude);
  if (condition.include === 'all') {
    const everything = exclude.prefixes.includes('');
    if (everything) return condition.absent ? { absent: true, include: 'all', exclude: { exact: [], prefixes: [''] } } : null;
    return { absent: condition.absent, include: 'all', exclude };
  }
  const include = normalized({
    exact: condition.include.exact.filter((value) => !matchesValues(exclude, value)),
    prefixes: condition.include.prefixes.filter((prefix) => !exclude.prefixes.some((other) => prefix.startsWith(other))),
  });
  // What is left of `exclude` cuts into an included prefix without covering it: "starts with a, but not ab".
  const { prefixes } = include;
  const partial: Values = {
    exact: exclude.exact.filter((value) => prefixes.some((prefix) => value.startsWith(prefix))),
    prefixes: exclude.prefixes.filter((other) => prefixes.some((prefix) => other.startsWith(prefix))),
  };
  if (!condition.absent && isEmpty(include)) return null;
  return { absent: condition.absent, include, exclude: partial };
}

function and(a: Condition | undefined, b: Condition): Condition | null {
  if (a === undefined) return simplified(b);
  return simplified({ absent: a.absent && b.absent, include: intersectValues(a.include, b.include), exclude: { exact: [...a.exclude.exact, ...b.exclude.exact], prefixes: [...a.exclude.prefixes, ...b.exclude.prefixes] } });
}

function withCondition(branch: Branch, key: FilterKey, condition: Condition): Branch | null {
  const combined = and(branch[key], condition);
  return combined === null ? null : { ...branch, [key]: combined };
}

function refuseTags(match: RouteMatch): void {
  if (match.tags !== undefined) throw new InexpressibleFilter('a tags condition', 'SNS filters email on message attributes only, and tags are not among them (lib/notify/sns-message.ts)');
}

function conditionsOf(match: RouteMatch): [FilterKey, readonly string[]][] {
  const found: [FilterKey, readonly string[]][] = [];
  for (const key of FILTER_KEYS) {
    const patterns = match[key];
    if (patterns !== undefined) found.push([key, patterns]);
  }
  return found;
}

/** The branches of the alerts `match` takes: one branch (or none, when its conditions cannot all hold). */
export function branchesOf(match: RouteMatch): Branch[] {
  refuseTags(match);
  let branch: Branch | null = {};
  for (const [key, patterns] of conditionsOf(match)) {
    branch = branch === null ? null : withCondition(branch, key, holds(key, patterns));
  }
  return branch === null ? [] : [branch];
}

/** Guards against a blow-up while negating routes one after the other; far above what SNS accepts anyway. */
const MAX_BRANCHES = 1_000;

/**
 * `branches` without the alerts `match` takes: each branch ANDed with "not this condition", for each condition of
 * `match` (not (a and b) = not a, or not b). A match without conditions takes everything, leaving nothing.
 */
export function excluding(branches: readonly Branch[], match: RouteMatch): Branch[] {
  refuseTags(match);
  const conditions = conditionsOf(match);
  const result: Branch[] = [];
  for (const branch of branches) {
    for (const [key, patterns] of conditions) {
      const next = withCondition(branch, key, fails(key, patterns));
      if (next !== null) result.push(next);
      if (result.length > MAX_BRANCHES) throw new InexpressibleFilter(`more than ${MAX_BRANCHES} alternatives`, `SNS allows ${MAX_FILTER_COMBINATIONS} combinations of values`);
    }
  }
  return result;
}

type FilterValue = string | { prefix: string } | { exists: boolean } | { 'anything-but': string[] | { prefix: string } };

function describeValues(values: Values): string {
  return [...values.exact.map((value) => JSON.stringify(value)), ...values.prefixes.map((prefix) => `${JSON.stringify(`${prefix}*`)}`)].join(', ');
}

/** One attribute's SNS filter, or null when the condition lets everything through. */
function filterOf(key: FilterKey, condition: Condition): FilterValue[] | null {
  if (isVocabulary(key)) {
    const values = condition.include === 'all' ? VOCABULARY[key] : condition.include.exact;
    if (values.length === VOCABULARY[key].length) return null;
    // These attributes are always there, so "anything but the others" is the same filter, and shorter when most pass.
    const others = VOCABULARY[key].filter((value) => !values.includes(value));
    return values.length > others.length + 2 ? [{ 'anything-but': others }] : VOCABULARY[key].filter((value) => values.includes(value));
  }
  const absent: FilterValue[] = condition.absent ? [{ exists: false }] : [];
  if (condition.include === 'all') {
    const { exact, prefixes } = condition.exclude;
    if (exact.length === 0 && prefixes.length === 0) return condition.absent ? null : [{ exists: true }];
    if (prefixes.includes('')) return [{ exists: false }];
    if (prefixes.length === 0) return [{ 'anything-but': exact }, ...absent];
    const [prefix] = prefixes;
    if (prefix !== undefined && prefixes.length === 1 && exact.length === 0) return [{ 'anything-but': { prefix } }, ...absent];
    throw new InexpressibleFilter(`${key} other than ${describeValues(condition.exclude)}`, "SNS's anything-but takes a list of exact values or one prefix");
  }
  if (!isEmpty(condition.exclude)) {
    throw new InexpressibleFilter(`${key} ${describeValues(condition.include)} but not ${describeValues(condition.exclude)}`, 'SNS cannot take values out of a prefix');
  }
  if (condition.include.prefixes.includes('')) return [{ exists: true }, ...absent];
  return [...condition.include.exact, ...condition.include.prefixes.map((prefix) => ({ prefix })), ...absent];
}

export type FilterPolicy = Record<string, unknown>;

/**
 * The SNS filter policy (scope MessageAttributes) accepting what any of `branches` accepts: null when one of them
 * accepts everything (no policy), `{ "$or": [...] }` for several. Throws `InexpressibleFilter` past SNS's limits.
 * `branches` must not be empty (a policy accepting nothing does not exist).
 */
export function policyOf(branches: readonly Branch[]): FilterPolicy | null {
  const written = new Map<string, Record<string, FilterValue[]>>();
  for (const branch of branches) {
    const policy: Record<string, FilterValue[]> = {};
    for (const key of FILTER_KEYS) {
      const condition = branch[key];
      const filter = condition === undefined ? null : filterOf(key, condition);
      if (filter !== null) policy[key] = filter;
    }
    if (Object.keys(policy).length === 0) return null;
    written.set(JSON.stringify(policy), policy);
  }
  const policies = [...written.values()];
  let combinations = 0;
  for (const policy of policies) {
    const keys = Object.keys(policy);
    if (keys.length > MAX_FILTER_KEYS) throw new InexpressibleFilter(`conditions on ${keys.length} attributes at once (${keys.join(', ')})`, `SNS allows ${MAX_FILTER_KEYS}`);
    combinations += Object.values(policy).reduce((product, values) => product * values.length, 1);
  }
  // With "$or" each branch is counted as a policy of its own and the counts add up (our reading of the limits page).
  if (combinations > MAX_FILTER_COMBINATIONS) {
    throw new InexpressibleFilter(`${combinations} combinations of values`, `SNS allows ${MAX_FILTER_COMBINATIONS} (the product of the number of values of each attribute, added up over the alternatives)`);
  }
  const [only] = policies;
  if (only === undefined) throw new Error('policyOf needs at least one branch');
  return policies.length > 1 ? { $or: policies } : only;
}
