import { CATEGORIES } from '../classify/categories.ts';
import {
  DEFAULT_ROUTE,
  DESTINATION_TYPES,
  KINDS,
  MATCH_KEYS,
  MODES,
  SEVERITIES,
  type Destination,
  type Mentions,
  type Route,
  type RouteMatch,
  type RoutingConfig,
  type RoutingMode,
  type SecretRef,
} from './config.ts';
import { type ConfigPath, type Locate, problemLine, type RoutesProblem, RoutesFileError } from './errors.ts';
import { globMatches, globProblem } from './glob.ts';

/** A checked configuration, and what is allowed but probably not meant (one formatted line each). */
export interface ValidatedRoutes {
  config: RoutingConfig;
  warnings: string[];
}

const TOP_KEYS = ['mode', 'destinations', 'routes', 'default'] as const;
const ROUTE_KEYS = ['name', 'match', 'to', 'continue'] as const;
const DESTINATION_KEYS = {
  slack: ['type', 'webhook', 'token', 'channel', 'mentions'],
  teams: ['type', 'webhook'],
  pagerduty: ['type', 'routingKey'],
  email: ['type', 'address'],
  'amazon-q': ['type'],
} as const satisfies Record<Destination['type'], readonly string[]>;

const DESTINATION_NAME = /^[A-Za-z0-9][A-Za-z0-9_.-]{0,63}$/;
const MAX_ROUTE_NAME = 100;
const EMAIL = /^[^\s@,<>"]+@[^\s@,<>"]+\.[^\s@,<>"]+$/;
/** SSM parameter names: a full path, at most 2048 characters, not in the reserved aws/ssm namespaces. */
const SSM_PARAMETER_NAME = /^\/[A-Za-z0-9_.\-/]{1,2047}$/;
const SECRET_NAME = /^[A-Za-z0-9/_+=.@-]{1,512}$/;
/** A complete Secrets Manager ARN ends with a hyphen and the six random characters AWS appends to the name. */
const SECRET_ARN = /^arn:aws[a-z-]*:secretsmanager:[a-z]{2}(-[a-z]+)+-\d:\d{12}:secret:[A-Za-z0-9/_+=.@-]+-[A-Za-z0-9]{6}$/;
/** A channel id (C…, G… for an old private channel, D… for a direct message) or a channel name. */
const SLACK_CHANNEL = /^([CGD][A-Z0-9]{8,}|#?[a-z0-9][a-z0-9._-]{0,79})$/;
/**
 * Slack's mention syntax (https://docs.slack.dev/messaging/formatting-message-text#mentioning-users): a user group
 * `<!subteam^ID>` (optionally `|handle`), a user `<@U…>` or `<@W…>` (Enterprise Grid), `<!here>`, `<!channel>`.
 */
const SLACK_MENTION = /^(<!subteam\^[A-Z0-9]{2,}(\|[A-Za-z0-9._-]+)?>|<@[UW][A-Z0-9]{2,}>|<!here>|<!channel>)$/;

/**
 * What a credential looks like, so that one pasted into the file is refused without being quoted back: a URL (the
 * webhook URL is the credential), a Slack token (`xoxb-…`, https://docs.slack.dev/authentication/tokens), or a
 * 32-character PagerDuty integration key (https://developer.pagerduty.com/docs/events-api-v2-overview).
 */
function credentialKind(text: string): string | null {
  if (/^\s*https?:\/\//i.test(text) || /hooks\.slack\.com|webhook\.office\.com|\.logic\.azure\.com/i.test(text)) return 'a URL';
  if (/xox[abceoprs]-/.test(text)) return 'a Slack token';
  if (/^[A-Za-z0-9+_-]{32}$/.test(text.trim()) && /\d/.test(text) && /[A-Za-z]/.test(text)) return 'an integration key';
  return null;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function describe(value: unknown): string {
  if (value === null || value === undefined) return 'empty';
  if (typeof value === 'string' && credentialKind(value) !== null) return 'a value that looks like a credential';
  if (Array.isArray(value)) return 'a list';
  if (typeof value === 'object') return 'a mapping';
  return `${typeof value === 'string' ? 'the text' : `the ${typeof value}`} ${JSON.stringify(value)}`;
}

/** Edits between two words (insert, delete, replace, swap two neighbours: the usual typos). */
function distance(a: string, b: string): number {
  const rows: number[][] = [];
  for (let i = 0; i <= a.length; i += 1) {
    const row: number[] = [];
    for (let j = 0; j <= b.length; j += 1) {
      if (i === 0 || j === 0) {
        row.push(i + j);
        continue;
      }
      const above = rows[i - 1] ?? [];
      let best = Math.min((above[j] ?? 0) + 1, (row[j - 1] ?? 0) + 1, (above[j - 1] ?? 0) + (a[i - 1] === b[j - 1] ? 0 : 1));
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) best = Math.min(best, (rows[i - 2]?.[j - 2] ?? 0) + 1);
      row.push(best);
    }
    rows.push(row);
  }
  return rows[a.length]?.[b.length] ?? 0;
}

/** ` (did you mean "severity"?)` for a near miss, else the empty string. */
export function didYouMean(given: string, known: readonly string[]): string {
  let best: string | null = null;
  let bestDistance = Number.POSITIVE_INFINITY;
  for (const candidate of known) {
    const d = distance(given.toLowerCase(), candidate.toLowerCase());
    if (d < bestDistance) {
      best = candidate;
      bestDistance = d;
    }
  }
  return best !== null && bestDistance <= Math.max(1, Math.floor(given.length / 3)) ? ` (did you mean "${best}"?)` : '';
}

function pathKey(path: ConfigPath): string {
  return JSON.stringify(path);
}

/** Collects every problem of one configuration, so that one run reports them all. */
class Checker {
  readonly problems: RoutesProblem[] = [];
  readonly warnings: RoutesProblem[] = [];
  /** Values already refused as credentials: no second message about them. */
  private readonly credentials = new Set<string>();

  constructor(private readonly locate: Locate) {}

  error(path: ConfigPath, reason: string, at: 'key' | 'value' = 'value'): void {
    this.problems.push({ path, position: this.locate(path, at), reason });
  }

  warn(path: ConfigPath, reason: string, at: 'key' | 'value' = 'value'): void {
    this.warnings.push({ path, position: this.locate(path, at), reason: `warning: ${reason}` });
  }

  line(path: ConfigPath): string {
    const position = this.locate(path, 'value');
    return position === null ? '' : ` (line ${position.line})`;
  }

  /** Refuses every key and text of the document that looks like a credential. */
  scanCredentials(value: unknown, path: ConfigPath): void {
    if (typeof value === 'string') {
      const kind = credentialKind(value);
      if (kind !== null) {
        this.credentials.add(pathKey(path));
        this.error(
          path,
          `this value looks like ${kind}: a routes file must not hold credentials. Keep it in SSM Parameter Store or Secrets ` +
            'Manager and name it here, as { parameter: /name } or { secret: name }',
        );
      }
    } else if (Array.isArray(value)) {
      value.forEach((item, index) => this.scanCredentials(item, [...path, index]));
    } else if (isRecord(value)) {
      for (const [key, item] of Object.entries(value)) {
        const kind = credentialKind(key);
        if (kind !== null) {
          this.credentials.add(pathKey([...path, key]));
          this.error([...path, key], `this key looks like ${kind}: a routes file must not hold credentials`, 'key');
        }
        this.scanCredentials(item, [...path, key]);
      }
    }
  }

  isCredential(path: ConfigPath): boolean {
    return this.credentials.has(pathKey(path));
  }

  /** Reports keys of `value` outside `allowed`, at the key, with a suggestion. */
  onlyKeys(value: Record<string, unknown>, path: ConfigPath, allowed: readonly string[], where: string): void {
    for (const key of Object.keys(value)) {
      if (allowed.includes(key) || this.isCredential([...path, key])) continue;
      this.error([...path, key], `unknown key "${key}" in ${where}${didYouMean(key, allowed)}; the keys are ${allowed.join(', ')}`, 'key');
    }
  }

  /** A non-empty text, or null (reported, unless it was already refused as a credential). */
  text(value: unknown, path: ConfigPath, what: string): string | null {
    if (this.isCredential(path)) return null;
    if (typeof value === 'string' && value.trim() !== '') return value.trim();
    this.error(path, `${what} must be a text, got ${describe(value)}`);
    return null;
  }

  /** One string or a list of strings, never empty. */
  list(value: unknown, path: ConfigPath, what: string, allowEmpty = false): { item: string; path: ConfigPath }[] | null {
    if (this.isCredential(path)) return [];
    if (typeof value === 'string') return [{ item: value, path }];
    if (!Array.isArray(value)) {
      this.error(path, `${what} must be a name or a list of names, got ${describe(value)}`);
      return null;
    }
    if (value.length === 0 && !allowEmpty) {
      this.error(path, `${what} is an empty list`);
      return null;
    }
    const items: { item: string; path: ConfigPath }[] = [];
    value.forEach((item, index) => {
      if (this.isCredential([...path, index])) return;
      if (typeof item === 'string' && item.trim() !== '') items.push({ item: item.trim(), path: [...path, index] });
      else this.error([...path, index], `${what} must hold texts, got ${describe(item)}`);
    });
    return items;
  }
}

/**
 * Checks a routes configuration in the file's shape (already parsed from YAML or JSON) and returns it normalized:
 * lists everywhere, duplicates dropped, defaults filled in. Every problem is collected and thrown together as
 * one `RoutesFileError`, each located through `locate` (file lines for a routes file, paths for `ALERT_ROUTES`).
 *
 * @example
 * validateRoutes({ destinations: { ops: { type: 'email', address: 'ops@example.com' } }, default: 'ops' }, 'routes.yml', () => null).config;
 * // { mode: 'first', destinations: { ops: { name: 'ops', type: 'email', address: 'ops@example.com' } }, routes: [], default: ['ops'] }
 */
export function validateRoutes(input: unknown, file: string, locate: Locate): ValidatedRoutes {
  const check = new Checker(locate);
  if (!isRecord(input)) {
    check.error([], `the routes file must be a mapping with destinations, routes and default, got ${describe(input)}`);
    throw new RoutesFileError(file, check.problems);
  }
  check.scanCredentials(input, []);
  check.onlyKeys(input, [], TOP_KEYS, 'the routes file');

  const mode = readMode(check, input.mode);
  const { destinations, declared } = readDestinations(check, input.destinations);
  const routes = readRoutes(check, input.routes);
  let defaultNames: string[] = [];
  if (input.default === undefined) {
    check.error([], 'default is missing: name where alerts that match no route go (default: [slack-ops]), or write default: [] to drop them');
  } else {
    defaultNames = names(check, declared, input.default, ['default'], 'default', true);
  }

  for (const route of routes) {
    if (route.rawTo !== undefined) route.to = names(check, declared, route.rawTo, ['routes', route.index, 'to'], 'to', false);
  }
  const used = new Set([...defaultNames, ...routes.flatMap((route) => route.to)]);
  for (const name of declared) {
    if (!used.has(name)) check.warn(['destinations', name], `destination "${name}" is not used by any route nor by default`, 'key');
  }
  routes.forEach((route, position) => {
    const { index } = route;
    if (mode === 'all' && route.continue === true) check.warn(['routes', index, 'continue'], 'continue has no effect with mode: all, where every matching route is used', 'key');
    const catchAll = Object.keys(route.match).length === 0 && route.continue !== true;
    if (mode === 'first' && catchAll && position < routes.length - 1) {
      check.warn(['routes', index], `route "${route.name}" matches every alert, so the routes after it are never reached (give it a match, continue: true, or move it last)`);
    }
  });

  if (check.problems.length > 0) throw new RoutesFileError(file, sorted(check.problems));
  const config: RoutingConfig = {
    mode,
    destinations,
    routes: routes.map(({ rawTo: _rawTo, index: _index, ...route }) => route),
    default: defaultNames,
  };
  return { config, warnings: sorted(check.warnings).map((warning) => problemLine(file, warning)) };
}

function sorted(problems: RoutesProblem[]): RoutesProblem[] {
  return problems
    .map((problem, order) => ({ problem, order }))
    .sort((a, b) => (a.problem.position?.line ?? 0) - (b.problem.position?.line ?? 0) || (a.problem.position?.column ?? 0) - (b.problem.position?.column ?? 0) || a.order - b.order)
    .map(({ problem }) => problem);
}

function readMode(check: Checker, value: unknown): RoutingMode {
  if (value === undefined || check.isCredential(['mode'])) return 'first';
  const mode = MODES.find((candidate) => candidate === value);
  if (mode === undefined) check.error(['mode'], `mode must be first or all, got ${describe(value)}`);
  return mode ?? 'first';
}

/** Destination names; `declared` holds every name the file gives, valid or not, so one bad destination is reported once. */
function names(check: Checker, declared: ReadonlySet<string>, value: unknown, path: ConfigPath, what: string, allowEmpty: boolean): string[] {
  const items = check.list(value, path, what, allowEmpty);
  if (items === null) return [];
  const known = [...declared];
  const result: string[] = [];
  for (const { item, path: itemPath } of items) {
    if (declared.has(item)) result.push(item);
    else check.error(itemPath, `unknown destination "${item}"${didYouMean(item, known)}; the destinations are ${known.join(', ') || '(none)'}`);
  }
  return result;
}

function readDestinations(check: Checker, value: unknown): { destinations: Record<string, Destination>; declared: Set<string> } {
  const destinations: Record<string, Destination> = {};
  const declared = new Set<string>();
  if (value === undefined) {
    check.error([], 'destinations is missing: name at least one place to send alerts to');
    return { destinations, declared };
  }
  if (!isRecord(value) || Object.keys(value).length === 0) {
    check.error(['destinations'], `destinations must map names to destinations (ops: { type: slack, webhook: { parameter: /ecs/slack } }), got ${describe(value)}`);
    return { destinations, declared };
  }
  for (const [name, spec] of Object.entries(value)) {
    const path = ['destinations', name];
    declared.add(name);
    if (!DESTINATION_NAME.test(name)) {
      if (!check.isCredential(path)) check.error(path, `destination name "${name}" must be letters, digits and _.- (at most 64), starting with a letter or digit`, 'key');
      continue;
    }
    const destination = readDestination(check, spec, path, name);
    if (destination !== null) destinations[name] = destination;
  }
  return { destinations, declared };
}

function readDestination(check: Checker, spec: unknown, path: ConfigPath, name: string): Destination | null {
  if (!isRecord(spec)) {
    check.error(path, `destination "${name}" must be a mapping with a type (${DESTINATION_TYPES.join(', ')}), got ${describe(spec)}`);
    return null;
  }
  const type = DESTINATION_TYPES.find((candidate) => candidate === spec.type);
  if (type === undefined) {
    const given = typeof spec.type === 'string' ? spec.type : '';
    check.error(spec.type === undefined ? path : [...path, 'type'], `destination "${name}" needs a type: ${DESTINATION_TYPES.join(', ')}${spec.type === undefined ? '' : `, got ${describe(spec.type)}`}${didYouMean(given, DESTINATION_TYPES)}`);
    return null;
  }
  check.onlyKeys(spec, path, DESTINATION_KEYS[type], `a ${type} destination`);
  switch (type) {
    case 'slack':
      return readSlack(check, spec, path, name);
    case 'teams': {
      const webhook = secretRef(check, spec.webhook, [...path, 'webhook'], 'the Teams webhook URL', path);
      return webhook === null ? null : { name, type, webhook };
    }
    case 'pagerduty': {
      const routingKey = secretRef(check, spec.routingKey, [...path, 'routingKey'], 'the PagerDuty routing key', path);
      return routingKey === null ? null : { name, type, routingKey };
    }
    case 'email': {
      const address = check.text(spec.address, spec.address === undefined ? path : [...path, 'address'], `destination "${name}": address`);
      if (address === null) return null;
      if (!EMAIL.test(address)) {
        check.error([...path, 'address'], `${JSON.stringify(address)} is not an e-mail address (name@example.com)`);
        return null;
      }
      return { name, type, address };
    }
    case 'amazon-q':
      return { name, type };
  }
}

function readSlack(check: Checker, spec: Record<string, unknown>, path: ConfigPath, name: string): Destination | null {
  const mentions = spec.mentions === undefined ? {} : readMentions(check, spec.mentions, [...path, 'mentions']);
  const withMentions = Object.keys(mentions).length === 0 ? {} : { mentions };
  if (spec.webhook !== undefined && spec.token !== undefined) {
    check.error([...path, 'token'], `slack destination "${name}" has a webhook and a token: keep one (webhook, or token and channel)`, 'key');
    return null;
  }
  if (spec.webhook !== undefined) {
    if (spec.channel !== undefined) check.error([...path, 'channel'], 'channel goes with token (a bot token); an incoming webhook posts to the channel it was created for', 'key');
    const webhook = secretRef(check, spec.webhook, [...path, 'webhook'], 'the Slack webhook URL', path);
    return webhook === null ? null : { name, type: 'slack', webhook, ...withMentions };
  }
  if (spec.token !== undefined) {
    const token = secretRef(check, spec.token, [...path, 'token'], 'the Slack bot token', path);
    const channel = spec.channel === undefined ? null : check.text(spec.channel, [...path, 'channel'], 'channel');
    if (spec.channel === undefined) check.error([...path, 'token'], `slack destination "${name}" has a token but no channel (channel: C0123456789)`, 'key');
    if (channel !== null && !SLACK_CHANNEL.test(channel)) check.error([...path, 'channel'], `${JSON.stringify(channel)} is not a Slack channel id (C0123456789) or name`);
    return token === null || channel === null || !SLACK_CHANNEL.test(channel) ? null : { name, type: 'slack', token, channel, ...withMentions };
  }
  check.error(path, `slack destination "${name}" needs webhook: { parameter: /… } (an incoming webhook), or token and channel (a bot)`);
  return null;
}

function readMentions(check: Checker, value: unknown, path: ConfigPath): Mentions {
  const mentions: Mentions = {};
  if (!isRecord(value)) {
    check.error(path, `mentions must map severities to Slack mentions (critical: "<!subteam^S012AB3CD>"), got ${describe(value)}`);
    return mentions;
  }
  check.onlyKeys(value, path, SEVERITIES, 'mentions');
  for (const severity of SEVERITIES) {
    if (value[severity] === undefined) continue;
    const text = check.text(value[severity], [...path, severity], `mentions.${severity}`);
    if (text === null) continue;
    const wrong = text.split(/\s+/).find((token) => !SLACK_MENTION.test(token));
    if (wrong === undefined) mentions[severity] = text.split(/\s+/).join(' ');
    else check.error([...path, severity], `${JSON.stringify(wrong)} is not a Slack mention: write <!subteam^ID> for a user group, <@ID> for a user, <!here> or <!channel>`);
  }
  return mentions;
}

/** `{ parameter: /name }` or `{ secret: name-or-arn }`; `owner` is where to point when the key is missing. */
function secretRef(check: Checker, value: unknown, path: ConfigPath, what: string, owner: ConfigPath): SecretRef | null {
  const key = path[path.length - 1];
  if (value === undefined) {
    check.error(owner, `${String(key)} is missing: name where ${what} is kept, as { parameter: /name } or { secret: name }`);
    return null;
  }
  if (check.isCredential(path)) return null;
  if (!isRecord(value)) {
    const hint = typeof value === 'string' && value.startsWith('/') ? ` (write ${String(key)}: { parameter: ${value} })` : '';
    check.error(path, `${String(key)} must name where ${what} is kept, as { parameter: /name } (SSM Parameter Store) or { secret: name } (Secrets Manager)${hint}`);
    return null;
  }
  check.onlyKeys(value, path, ['parameter', 'secret'], String(key));
  if (value.parameter !== undefined && value.secret !== undefined) {
    check.error(path, `${String(key)} names both a parameter and a secret: keep the one that holds ${what}`);
    return null;
  }
  if (value.parameter !== undefined) {
    const name = check.text(value.parameter, [...path, 'parameter'], 'parameter');
    if (name === null || check.isCredential([...path, 'parameter'])) return null;
    if (!SSM_PARAMETER_NAME.test(name) || /^\/(aws|ssm)/i.test(name) || name.includes('//')) {
      check.error([...path, 'parameter'], `${JSON.stringify(name)} is not an SSM parameter name: a path starting with "/" (letters, digits and _.-/), not under /aws or /ssm`);
      return null;
    }
    return { parameter: name };
  }
  if (value.secret !== undefined) {
    const name = check.text(value.secret, [...path, 'secret'], 'secret');
    if (name === null || check.isCredential([...path, 'secret'])) return null;
    if (!(name.startsWith('arn:') ? SECRET_ARN.test(name) : SECRET_NAME.test(name))) {
      check.error([...path, 'secret'], `${JSON.stringify(name)} is not a Secrets Manager secret name (letters, digits and /_+=.@-) or complete ARN (ending in -xxxxxx)`);
      return null;
    }
    return { secret: name };
  }
  check.error(path, `${String(key)} must name where ${what} is kept, as { parameter: /name } or { secret: name }`);
  return null;
}

/** A route while it is read: its destination names are checked once every destination is known. */
type ReadRoute = Route & { rawTo: unknown; index: number };

function readRoutes(check: Checker, value: unknown): ReadRoute[] {
  if (value === undefined) return [];
  if (!Array.isArray(value)) {
    check.error(['routes'], `routes must be a list (- name: …), got ${describe(value)}`);
    return [];
  }
  const routes: ReadRoute[] = [];
  const seen = new Map<string, number>();
  value.forEach((spec: unknown, index) => {
    const path = ['routes', index];
    if (!isRecord(spec)) {
      check.error(path, `a route must be a mapping with name, match and to, got ${describe(spec)}`);
      return;
    }
    check.onlyKeys(spec, path, ROUTE_KEYS, 'a route');
    const name = spec.name === undefined ? null : check.text(spec.name, [...path, 'name'], 'a route name');
    if (spec.name === undefined) check.error(path, 'a route needs a name (name: payments critical), shown in logs with every alert it routes');
    if (name !== null) {
      const first = seen.get(name);
      if (name === DEFAULT_ROUTE) check.error([...path, 'name'], `"${DEFAULT_ROUTE}" is reserved for alerts that match no route; name this route otherwise`);
      else if (name.length > MAX_ROUTE_NAME) check.error([...path, 'name'], `a route name has at most ${MAX_ROUTE_NAME} characters`);
      else if (first !== undefined) check.error([...path, 'name'], `route name "${name}" is already used by the route${check.line(['routes', first])}`);
      else seen.set(name, index);
    }
    const match = spec.match === undefined ? {} : readMatch(check, spec.match, [...path, 'match']);
    if (spec.to === undefined) check.error(path, `route${name === null ? '' : ` "${name}"`} needs to: [destination, …]`);
    if (spec.continue !== undefined && typeof spec.continue !== 'boolean') check.error([...path, 'continue'], `continue must be true or false, got ${describe(spec.continue)}`);
    routes.push({ name: name ?? '', match, to: [], ...(spec.continue === true ? { continue: true } : {}), rawTo: spec.to, index });
  });
  return routes;
}

function readMatch(check: Checker, value: unknown, path: ConfigPath): RouteMatch {
  const match: RouteMatch = {};
  if (!isRecord(value)) {
    check.error(path, `match must be a mapping of conditions (cluster: "prod-*"), got ${describe(value)}`);
    return match;
  }
  check.onlyKeys(value, path, MATCH_KEYS, 'match');
  for (const key of MATCH_KEYS) {
    const given = value[key];
    if (given === undefined) continue;
    const keyPath = [...path, key];
    switch (key) {
      case 'severity':
        match.severity = vocabulary(check, given, keyPath, key, SEVERITIES);
        break;
      case 'kind':
        match.kind = vocabulary(check, given, keyPath, key, KINDS);
        break;
      case 'category':
        match.category = categories(check, given, keyPath);
        break;
      case 'tags':
        match.tags = tags(check, given, keyPath);
        break;
      default:
        match[key] = globs(check, given, keyPath, key);
    }
  }
  return match;
}

function globs(check: Checker, value: unknown, path: ConfigPath, what: string): string[] {
  const items = check.list(value, path, what) ?? [];
  const patterns: string[] = [];
  for (const { item, path: itemPath } of items) {
    const problem = globProblem(item);
    if (problem === null) patterns.push(item);
    else check.error(itemPath, `${what} pattern ${JSON.stringify(item)} ${problem}`);
  }
  return [...new Set(patterns)];
}

function vocabulary<T extends string>(check: Checker, value: unknown, path: ConfigPath, what: string, known: readonly T[]): T[] {
  const items = check.list(value, path, what) ?? [];
  const values: T[] = [];
  for (const { item, path: itemPath } of items) {
    const found = known.find((candidate) => candidate === item);
    if (found !== undefined) values.push(found);
    else check.error(itemPath, `unknown ${what} "${item}"${didYouMean(item, known)}; the values are ${known.join(', ')}`);
  }
  return [...new Set(values)];
}

/** Categories by name, or globs over the category names; each must name at least one category. */
function categories(check: Checker, value: unknown, path: ConfigPath): string[] {
  const items = check.list(value, path, 'category') ?? [];
  const patterns: string[] = [];
  for (const { item, path: itemPath } of items) {
    const problem = globProblem(item);
    if (problem !== null) check.error(itemPath, `category pattern ${JSON.stringify(item)} ${problem}`);
    else if (CATEGORIES.some((category) => globMatches(item, category))) patterns.push(item);
    else if (item.includes('*')) check.error(itemPath, `category pattern ${JSON.stringify(item)} matches no category (lib/classify/categories.ts)`);
    else check.error(itemPath, `unknown category "${item}"${didYouMean(item, CATEGORIES)} (the categories are listed in lib/classify/categories.ts)`);
  }
  return [...new Set(patterns)];
}

function tags(check: Checker, value: unknown, path: ConfigPath): Record<string, string[]> {
  const result: Record<string, string[]> = {};
  if (!isRecord(value) || Object.keys(value).length === 0) {
    check.error(path, `tags must map tag keys to values (team: payments), got ${describe(value)}`);
    return result;
  }
  for (const [key, patterns] of Object.entries(value)) {
    if (key.trim() === '') {
      check.error([...path, key], 'a tag key is empty', 'key');
      continue;
    }
    result[key] = globs(check, patterns, [...path, key], `tag ${key}`);
  }
  return result;
}
