/** A place in a routes file, both counted from 1. */
export interface SourcePosition {
  line: number;
  column: number;
}

/** A path into the routes configuration: `['routes', 2, 'match', 'cluster']`. */
export type ConfigPath = readonly (string | number)[];

/** Where a path's key and value are in the file; null for a compiled configuration, which has no lines. */
export type Locate = (path: ConfigPath, at?: 'key' | 'value') => SourcePosition | null;

export interface RoutesProblem {
  path: ConfigPath;
  position: SourcePosition | null;
  reason: string;
}

/** `routes[2].match.cluster`, how a problem without a line says where it is. */
export function pathText(path: ConfigPath): string {
  let text = '';
  for (const part of path) text += typeof part === 'number' ? `[${part}]` : text === '' ? part : `.${part}`;
  return text === '' ? '(top level)' : text;
}

/**
 * One line per problem, as compilers write them: `infra/routes.yml:12:5: <reason>`, or `ALERT_ROUTES at
 * routes[2].to[0]: <reason>` for the compiled configuration.
 */
export function problemLine(file: string, problem: RoutesProblem): string {
  if (problem.position === null) return problem.path.length === 0 ? `${file}: ${problem.reason}` : `${file} at ${pathText(problem.path)}: ${problem.reason}`;
  return `${file}:${problem.position.line}:${problem.position.column}: ${problem.reason}`;
}

/**
 * A routes file (or the compiled `ALERT_ROUTES`) that cannot be used: the message has one line per problem, each
 * naming the file, the line and column, and the reason. Values that look like credentials are never quoted.
 */
export class RoutesFileError extends Error {
  override readonly name = 'RoutesFileError';
  readonly file: string;
  readonly problems: readonly RoutesProblem[];

  constructor(file: string, problems: readonly RoutesProblem[], options?: ErrorOptions) {
    super(problems.map((problem) => problemLine(file, problem)).join('\n'), options);
    this.file = file;
    this.problems = problems;
  }
}
