// Package time only (infra/ and tests): `yaml` is a devDependency, and the delivery function gets the compiled JSON
// (`readCompiledRoutes`), so nothing a Lambda bundles may import this file.
import { isAlias, isMap, isNode, isScalar, isSeq, LineCounter, parseDocument, type Document } from 'yaml';
import type { RoutingConfig } from './config.ts';
import { type ConfigPath, type Locate, type RoutesProblem, RoutesFileError, type SourcePosition } from './errors.ts';
import { validateRoutes } from './validate.ts';

/** A routes file read and checked: the configuration, its warnings, and where each of its parts is in the file. */
export interface ParsedRoutes {
  file: string;
  config: RoutingConfig;
  /** One line each: `routes.yml:3:3: warning: destination "x" is not used by any route nor by default`. */
  warnings: string[];
  locate: Locate;
}

interface Positions {
  key?: SourcePosition;
  value?: SourcePosition;
}

/**
 * Reads a routes file (YAML 1.2, so JSON too) and checks it. Every problem is reported at once, in a
 * `RoutesFileError` whose lines name the file, the line and column, and the reason.
 *
 * A YAML syntax error is reported with yaml's reason and position only: its usual message quotes the offending
 * line, which may hold a credential pasted by mistake.
 *
 * @example
 * const { config, warnings } = readRoutesFile(readFileSync('infra/routes.yml', 'utf8'), 'infra/routes.yml');
 */
export function readRoutesFile(text: string, file: string): ParsedRoutes {
  const lineCounter = new LineCounter();
  const doc = parseDocument(text, { lineCounter, prettyErrors: false, uniqueKeys: true, strict: true });
  const at = (offset: number): SourcePosition => {
    const { line, col } = lineCounter.linePos(offset);
    return { line, column: col };
  };
  // The first error only: the ones after it usually follow from it. A warning (an unknown tag such as !Ref) is an
  // error too: nothing in a routes file needs one.
  const yamlProblems = [...doc.errors, ...doc.warnings];
  if (yamlProblems.length > 0) {
    const problems: RoutesProblem[] = yamlProblems.slice(0, 1).map((error) => ({
      path: [],
      position: at(error.pos[0]),
      reason: `YAML: ${yamlReason(error.code, error.message)}`,
    }));
    throw new RoutesFileError(file, problems);
  }
  const positions = new Map<string, Positions>();
  const value = toPlain(doc, doc.contents, [], positions, at, 0);
  const locate: Locate = (path, where = 'value') => nearest(positions, path, where);
  const { config, warnings } = validateRoutes(value ?? null, file, locate);
  return { file, config, warnings, locate };
}

/**
 * The checked configuration of a routes file; see `readRoutesFile`.
 *
 * @example parseRoutesFile('destinations: { ops: { type: email, address: ops@example.com } }\ndefault: ops\n', 'routes.yml').default // ['ops']
 */
export function parseRoutesFile(text: string, file: string): RoutingConfig {
  return readRoutesFile(text, file).config;
}

/** yaml's reason without the position it appends (`… at line 3, column 5`), which the caller states its own way. */
function yamlReason(code: string, message: string): string {
  const reason = message.split('\n')[0]?.replace(/ at line \d+, column \d+:?$/, '').trim() ?? '';
  return reason === '' ? code : reason;
}

function key(path: ConfigPath): string {
  return JSON.stringify(path);
}

/** The position of `path`, or of its closest ancestor that has one (a missing key is reported where its parent is). */
function nearest(positions: Map<string, Positions>, path: ConfigPath, where: 'key' | 'value'): SourcePosition | null {
  for (let length = path.length; length >= 0; length -= 1) {
    const found = positions.get(key(path.slice(0, length)));
    const position = length === path.length && where === 'key' ? (found?.key ?? found?.value) : (found?.value ?? found?.key);
    if (position !== undefined) return position;
  }
  return { line: 1, column: 1 };
}

/** Deep enough for any sensible routes file; a deeper one is an alias bomb or a mistake. */
const MAX_DEPTH = 32;

/**
 * The plain value of a YAML node, recording where each path's key and value are. Plain scalars that YAML reads as
 * numbers keep their text: an account id such as 012345678901 must not lose its leading zero.
 */
function toPlain(doc: Document, node: unknown, path: ConfigPath, positions: Map<string, Positions>, at: (offset: number) => SourcePosition, depth: number): unknown {
  if (depth > MAX_DEPTH) return null;
  const resolved = isAlias(node) ? node.resolve(doc) : node;
  const range = isNode(resolved) ? resolved.range : undefined;
  if (range !== undefined && range !== null) {
    const entry = positions.get(key(path)) ?? {};
    entry.value = at(range[0]);
    positions.set(key(path), entry);
  }
  if (isMap(resolved)) {
    const entries: [string, unknown][] = [];
    for (const pair of resolved.items) {
      const keyNode = isAlias(pair.key) ? pair.key.resolve(doc) : pair.key;
      // A key that is not a text (a list, a mapping, null) gets a name no check accepts, so it is reported.
      const name = (isScalar(keyNode) ? scalarText(keyNode.value, keyNode.source) : null) ?? '(a key that is not a text)';
      const childPath = [...path, name];
      const keyRange = isScalar(keyNode) ? keyNode.range : undefined;
      if (keyRange !== undefined && keyRange !== null) positions.set(key(childPath), { key: at(keyRange[0]) });
      entries.push([name, toPlain(doc, pair.value, childPath, positions, at, depth + 1)]);
    }
    // fromEntries defines own properties, so a key such as __proto__ stays a plain key.
    return Object.fromEntries(entries);
  }
  if (isSeq(resolved)) return resolved.items.map((item, index) => toPlain(doc, item, [...path, index], positions, at, depth + 1));
  if (isScalar(resolved)) {
    if (typeof resolved.value === 'number' || typeof resolved.value === 'bigint') return resolved.source ?? String(resolved.value);
    return resolved.value ?? null;
  }
  return null;
}

function scalarText(value: unknown, source: string | undefined): string | null {
  if (typeof value === 'string') return value;
  if (typeof value === 'number' || typeof value === 'boolean') return source ?? String(value);
  return null;
}
