import type { Alert } from '../alerts/alert.ts';
import { amazonQTopicArn, slackWebhookSource, type WebhookSource } from '../env.ts';
import { ConfigError } from '../errors.ts';
import { DEFAULT_ROUTE, NAME_KEYS, type Destination, type NameKey, type RouteMatch, type RoutingConfig } from './config.ts';
import { type RoutesProblem, RoutesFileError } from './errors.ts';
import { anyGlobMatches } from './glob.ts';
import { validateRoutes } from './validate.ts';

/** The environment variable that holds the compiled routes (`compileRoutes`). */
export const ROUTES_VARIABLE = 'ALERT_ROUTES';

/** Which routes took an alert and where it goes. */
export interface RouteDecision {
  /** The first route that matched, or `default` when none did: what a log line names. */
  route: string;
  /** Every route that matched, in order (several with `mode: all` or `continue: true`); `['default']` when none did. */
  routes: string[];
  /**
   * Where to deliver, in order, each once. Email destinations are included for the record, but SNS delivers them
   * through their subscriptions (`emailSubscriptions`): the delivery function skips them.
   */
  destinations: Destination[];
}

/**
 * An alert's value for a name condition, as its SNS message attribute has it (`messageAttributes` trims and leaves
 * blank values out), so that email filter policies and this matcher agree.
 */
function nameValue(alert: Alert, key: NameKey): string | null {
  const value = alert.facts[key]?.trim() ?? '';
  return value === '' ? null : value;
}

/**
 * True when the alert meets every condition of `match`. A condition on something the alert lacks (a service, a
 * tag, any tags at all) never holds.
 */
export function matches(match: RouteMatch, alert: Alert): boolean {
  for (const key of NAME_KEYS) {
    const patterns = match[key];
    if (patterns === undefined) continue;
    const value = nameValue(alert, key);
    if (value === null || !anyGlobMatches(patterns, value)) return false;
  }
  if (match.severity !== undefined && !match.severity.includes(alert.severity)) return false;
  if (match.category !== undefined && !anyGlobMatches(match.category, alert.category)) return false;
  if (match.kind !== undefined && !match.kind.includes(alert.kind)) return false;
  if (match.tags !== undefined) {
    const tags = alert.facts.tags;
    for (const [key, patterns] of Object.entries(match.tags)) {
      const value = tags !== undefined && Object.hasOwn(tags, key) ? tags[key] : undefined;
      if (value === undefined || !anyGlobMatches(patterns, value)) return false;
    }
  }
  return true;
}

/**
 * Where an alert goes. With `mode: first` the routes are tried in order and the first that matches decides, except
 * that a route with `continue: true` adds its destinations and lets the next ones be tried; with `mode: all` every
 * matching route adds its destinations. An alert no route matched goes to `default`. Destinations are listed once,
 * in the order the routes name them.
 *
 * @example
 * routeAlert(alert, config); // { route: 'payments critical', routes: ['payments critical'], destinations: [pager, slackPayments] }
 */
export function routeAlert(alert: Alert, config: RoutingConfig): RouteDecision {
  const matched: string[] = [];
  const names: string[] = [];
  for (const route of config.routes) {
    if (!matches(route.match, alert)) continue;
    matched.push(route.name);
    names.push(...route.to);
    if (config.mode === 'first' && route.continue !== true) break;
  }
  if (matched.length === 0) names.push(...config.default);
  const destinations: Destination[] = [];
  for (const name of new Set(names)) {
    // Always there in a validated configuration; hasOwn keeps a name such as "constructor" from reaching Object's.
    if (Object.hasOwn(config.destinations, name)) {
      const destination = config.destinations[name];
      if (destination !== undefined) destinations.push(destination);
    }
  }
  return { route: matched[0] ?? DEFAULT_ROUTE, routes: matched.length === 0 ? [DEFAULT_ROUTE] : matched, destinations };
}

/**
 * The Slack mention to put in front of an alert for `destination`: the one its `mentions` gives for the alert's
 * severity, on firing alerts only (a resolved notice wakes nobody). Null for other destinations and when none is set.
 * The text was validated as Slack mention syntax when the routes were read, so it goes into mrkdwn as it is.
 *
 * @example mentionFor({ name: 'ops', type: 'slack', webhook, mentions: { critical: '<!here>' } }, criticalAlert) // '<!here>'
 */
export function mentionFor(destination: Destination, alert: Alert): string | null {
  if (destination.type !== 'slack' || alert.status !== 'firing') return null;
  return destination.mentions?.[alert.severity] ?? null;
}

/**
 * The routes from their compiled JSON (`ALERT_ROUTES`), checked again as thoroughly as the file was: the variable
 * can be edited in the console. Problems name their path (`ALERT_ROUTES at routes[2].to[0]: …`).
 *
 * @example readCompiledRoutes(process.env.ALERT_ROUTES ?? '')
 */
export function readCompiledRoutes(json: string): RoutingConfig {
  let value: unknown;
  try {
    value = JSON.parse(json);
  } catch {
    // Neither JSON.parse's message nor the error as cause: V8 quotes the text around the fault, which may hold a
    // credential someone pasted into the variable.
    const problem: RoutesProblem = { path: [], position: null, reason: 'is not JSON; package the routes file again (npx serverless deploy --param routes=…)' };
    throw new RoutesFileError(ROUTES_VARIABLE, [problem]);
  }
  return validateRoutes(value, ROUTES_VARIABLE, () => null).config;
}

/**
 * The routing when no routes file is given: every alert to the one Slack webhook of SLACK_WEBHOOK_PARAMETER or
 * SLACK_WEBHOOK_SECRET (when one is set), and to the stack's Amazon Q topic (when `amazonQ`), as before routes existed
 * (which severities reach them is still up to the subscription's filter, deploy parameter slackSeverities).
 *
 * @example defaultRouting({ store: 'ssm', name: '/ecs/slack' }).default // ['slack']
 */
export function defaultRouting(source: WebhookSource | null = slackWebhookSource(), amazonQ = false): RoutingConfig {
  const destinations: Record<string, Destination> = {};
  if (source !== null) destinations.slack = { name: 'slack', type: 'slack', webhook: source.store === 'ssm' ? { parameter: source.name } : { secret: source.secretId } };
  if (amazonQ) destinations['amazon-q'] = { name: 'amazon-q', type: 'amazon-q' };
  return { mode: 'first', destinations, routes: [], default: Object.keys(destinations) };
}

/**
 * The routing a delivery function uses: `ALERT_ROUTES` when set, else `defaultRouting()` with the Slack webhook
 * variables and AMAZON_Q_TOPIC_ARN; with none of them there is nowhere to deliver, a ConfigError. Called once, at cold
 * start, so a bad value fails the first invocation with its reasons.
 */
export function routingFromEnvironment(env: Readonly<Record<string, string | undefined>> = process.env): RoutingConfig {
  const json = env[ROUTES_VARIABLE]?.trim() ?? '';
  if (json !== '') return readCompiledRoutes(json);
  const slack = (env.SLACK_WEBHOOK_PARAMETER ?? '').trim() !== '' || (env.SLACK_WEBHOOK_SECRET ?? '').trim() !== '' ? slackWebhookSource() : null;
  const routing = defaultRouting(slack, amazonQTopicArn(env) !== null);
  if (routing.default.length === 0) throw new ConfigError('ALERT_ROUTES', 'is not set, nor SLACK_WEBHOOK_PARAMETER, SLACK_WEBHOOK_SECRET or AMAZON_Q_TOPIC_ARN: the delivery function has nowhere to deliver');
  return routing;
}
