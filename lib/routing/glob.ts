/**
 * Globs of the routes file: `*` stands for any run of characters (possibly none) and is the only wildcard;
 * everything else matches itself, case-sensitively (ECS names are case-sensitive).
 */

/** Characters other glob dialects treat as wildcards; refused so that nobody expects `?` or `[a-z]` to work. */
const FOREIGN_WILDCARDS = /[?[\]{}]/;

/**
 * Null when `pattern` is a usable glob, else why not, in a few words.
 *
 * @example globProblem('prod-**') // 'write * once: ** means the same as *'
 */
export function globProblem(pattern: string): string | null {
  if (pattern.trim() === '') return 'is empty';
  if (pattern !== pattern.trim()) return 'has blanks around it';
  if (pattern.includes('**')) return 'write * once: ** means the same as *';
  const foreign = FOREIGN_WILDCARDS.exec(pattern);
  if (foreign !== null) return `uses ${JSON.stringify(foreign[0])}, which is not a wildcard here: only * is`;
  return null;
}

/**
 * True when `value` matches the glob `pattern` as a whole.
 *
 * @example
 * globMatches('payments-*', 'payments-api'); // true
 * globMatches('prod-*-eu', 'prod-web-eu'); // true
 * globMatches('Prod', 'prod'); // false
 */
export function globMatches(pattern: string, value: string): boolean {
  const parts = pattern.split('*');
  if (parts.length === 1) return pattern === value;
  const first = parts[0] ?? '';
  const last = parts[parts.length - 1] ?? '';
  if (value.length < first.length + last.length || !value.startsWith(first) || !value.endsWith(last)) return false;
  // Leftmost placement of each middle part is enough for `*`-only globs: any match leaves at least as much room.
  let at = first.length;
  const end = value.length - last.length;
  for (const middle of parts.slice(1, -1)) {
    const found = value.indexOf(middle, at);
    if (found < 0 || found + middle.length > end) return false;
    at = found + middle.length;
  }
  return true;
}

/** True when any of the globs matches `value`. */
export function anyGlobMatches(patterns: readonly string[], value: string): boolean {
  return patterns.some((pattern) => globMatches(pattern, value));
}

/**
 * How a glob reads as an SNS filter: an exact value, a prefix (`pay*`, `*` being the empty prefix), or neither.
 *
 * @example globShape('pay*') // { kind: 'prefix', prefix: 'pay' }
 */
export function globShape(pattern: string): { kind: 'exact'; value: string } | { kind: 'prefix'; prefix: string } | { kind: 'other' } {
  const stars = pattern.split('*').length - 1;
  if (stars === 0) return { kind: 'exact', value: pattern };
  if (stars === 1 && pattern.endsWith('*')) return { kind: 'prefix', prefix: pattern.slice(0, -1) };
  return { kind: 'other' };
}
