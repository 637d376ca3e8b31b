import type { AlertKind } from '../alerts/alert.ts';
import type { Severity } from '../classify/verdict.ts';
import type { WebhookSource } from '../env.ts';

/**
 * The routing configuration: which destinations each alert goes to. It is written as a routes file (YAML or JSON,
 * `infra/routes.example.yml`), checked at package time (`lib/routing/routes-file.ts`) and handed to the delivery
 * function as compact JSON in `ALERT_ROUTES` (`compileRoutes`, read back by `readCompiledRoutes`).
 *
 * The file, key by key:
 *
 *   mode: first | all       first (the default): the first route that matches decides, unless it says
 *                           `continue: true`; all: every route that matches adds its destinations.
 *   destinations:           name -> where to send. Names: letters, digits and `_.-`, at most 64.
 *     <name>: { type: slack,     webhook: <secret>, mentions: <mentions> }
 *     <name>: { type: slack,     token: <secret>, channel: C0123456789, mentions: <mentions> }
 *     <name>: { type: teams,     webhook: <secret> }
 *     <name>: { type: pagerduty, routingKey: <secret> }
 *     <name>: { type: email,     address: oncall@example.com }    (an SNS email subscription; see email-subscriptions.ts)
 *     <name>: { type: amazon-q }    the stack's Amazon Q topic, which Amazon Q Developer in chat applications (Slack,
 *                                   Microsoft Teams, Chime) subscribes to; the alert in Amazon Q's custom format
 *   routes:                 in order; each one:
 *     - name: <text>        unique, shown in logs; `default` is reserved
 *       match: { ... }      every condition must hold; no `match` matches every alert
 *       to: [<name>, ...]   destinations, in order
 *       continue: true      (mode first only) keep looking at the next routes after this one matched
 *   default: [<name>, ...]  where an alert goes when no route matched; required (`[]` drops such alerts, knowingly)
 *
 * Conditions of `match`: `account`, `region`, `cluster`, `service` (globs), `severity` (critical, warning, info),
 * `category` (the classifier's categories, `lib/classify/categories.ts`, or globs over them such as
 * `placement_failure*`), `kind` (new, follow-up, repeat, resolved, deployment), and `tags` (tag key ->
 * glob). A value may be one string or a list meaning "any of". Globs are case-sensitive, as ECS names are, and `*`
 * (any run of characters, possibly none) is their only wildcard. A condition on something the alert does not have
 * never holds: `service: "*"` matches the alerts about a service and no others, and a route with `tags` never
 * matches an alert without tags (alerts carry the service's or task definition's tags only when they were looked
 * up, `AlertFacts.tags`).
 *
 * `<secret>` names where a credential is kept, never the credential: `{ parameter: /ecs-notifier/slack }` (an SSM
 * SecureString parameter) or `{ secret: ecs-notifier/slack }` (a Secrets Manager secret name or ARN). A URL or a
 * token in the file is an error: the file is committed, and its compiled form sits in plain text in the Lambda
 * configuration.
 *
 * Email is delivered by SNS itself, through one subscription per address whose filter policy on the message attributes
 * accepts exactly what the routes send there, `mode: first` included (`email-subscriptions.ts`). So the routes that
 * lead to an email destination, and the routes before them with `mode: first`, may use only exact names and `prefix*`
 * globs for account, region, cluster and service, and no tags; packaging says which route does not.
 *
 * `<mentions>` (Slack only): severity -> who to notify on firing alerts of that severity, in Slack's syntax:
 * `<!subteam^S012AB3CD>` (a user group), `<@U012AB3CD>` (a user), `<!here>`, `<!channel>`; several separated by
 * spaces (https://docs.slack.dev/messaging/formatting-message-text#mentioning-users).
 */

/** The list itself when it names every value of `All`, else `never` (so a forgotten value fails to compile). */
type Complete<All, List extends readonly All[]> = [Exclude<All, List[number]>] extends [never] ? List : never;

export const SEVERITIES: Complete<Severity, readonly ['critical', 'warning', 'info']> = ['critical', 'warning', 'info'];
export const KINDS: Complete<AlertKind, readonly ['new', 'follow-up', 'repeat', 'resolved', 'deployment']> = ['new', 'follow-up', 'repeat', 'resolved', 'deployment'];

export const MODES = ['first', 'all'] as const;
export type RoutingMode = (typeof MODES)[number];

/** Where a credential is kept: an SSM SecureString parameter (a name starting with `/`) or a Secrets Manager secret. */
export type SecretRef = { parameter: string } | { secret: string };

/** Who to notify, per severity, on firing alerts: Slack mention syntax, validated. */
export type Mentions = Partial<Record<Severity, string>>;

export interface SlackWebhookDestination {
  name: string;
  type: 'slack';
  /** Holds the incoming-webhook URL. */
  webhook: SecretRef;
  mentions?: Mentions;
}

export interface SlackBotDestination {
  name: string;
  type: 'slack';
  /** Holds the bot token (xoxb-…), which posts with chat.postMessage. */
  token: SecretRef;
  /** A channel id (C0123456789) or name. */
  channel: string;
  mentions?: Mentions;
}

export interface TeamsDestination {
  name: string;
  type: 'teams';
  /** Holds the workflow or connector webhook URL. */
  webhook: SecretRef;
}

export interface PagerDutyDestination {
  name: string;
  type: 'pagerduty';
  /** Holds the Events API v2 integration (routing) key. */
  routingKey: SecretRef;
}

/** Delivered by SNS itself: an email subscription whose filter policy is derived from the routes. */
export interface EmailDestination {
  name: string;
  type: 'email';
  address: string;
}

/** The stack's Amazon Q topic, published by the delivery function in Amazon Q's custom notification format. */
export interface AmazonQDestination {
  name: string;
  type: 'amazon-q';
}

export type Destination = SlackWebhookDestination | SlackBotDestination | TeamsDestination | PagerDutyDestination | EmailDestination | AmazonQDestination;
export type DestinationType = Destination['type'];
export const DESTINATION_TYPES = ['slack', 'teams', 'pagerduty', 'email', 'amazon-q'] as const satisfies readonly DestinationType[];

/** Conditions the message attributes carry (`lib/notify/sns-message.ts`), so email filter policies can test them. */
export const NAME_KEYS = ['account', 'region', 'cluster', 'service'] as const;
export type NameKey = (typeof NAME_KEYS)[number];

export interface RouteMatch {
  account?: string[];
  region?: string[];
  cluster?: string[];
  service?: string[];
  severity?: Severity[];
  /** Category names, or globs over them (`placement_failure*`), each matching at least one category. */
  category?: string[];
  kind?: AlertKind[];
  /** Tag key -> globs of its value. */
  tags?: Record<string, string[]>;
}

export const MATCH_KEYS = [...NAME_KEYS, 'severity', 'category', 'kind', 'tags'] as const satisfies readonly (keyof RouteMatch)[];

export interface Route {
  name: string;
  match: RouteMatch;
  /** Destination names, in order. */
  to: string[];
  /** Mode first only: true keeps looking at the next routes after this one matched. */
  continue?: true;
}

export interface RoutingConfig {
  mode: RoutingMode;
  destinations: Record<string, Destination>;
  routes: Route[];
  /** Destination names for an alert no route matched. */
  default: string[];
}

/** The name `RouteDecision.route` reports when no route matched; no route may take it. */
export const DEFAULT_ROUTE = 'default';

/**
 * The secret store a destination names, in the form `webhookUrlFrom` (`lib/aws/secrets.ts`) and IAM need.
 *
 * @example toWebhookSource({ parameter: '/ecs/slack' }) // { store: 'ssm', name: '/ecs/slack' }
 */
export function toWebhookSource(ref: SecretRef): WebhookSource {
  return 'parameter' in ref ? { store: 'ssm', name: ref.parameter } : { store: 'secretsmanager', secretId: ref.secret };
}

/**
 * The configuration as the compact JSON `ALERT_ROUTES` holds: the file's own shape without its defaults and with
 * destination names only as keys, so `readCompiledRoutes(compileRoutes(config))` equals `config`.
 */
export function compileRoutes(config: RoutingConfig): string {
  const destinations: Record<string, unknown> = {};
  for (const [name, destination] of Object.entries(config.destinations)) {
    const { name: _name, ...rest } = destination;
    destinations[name] = rest;
  }
  const routes = config.routes.map((route) => ({
    name: route.name,
    ...(Object.keys(route.match).length === 0 ? {} : { match: route.match }),
    to: route.to,
    ...(route.continue === true ? { continue: true } : {}),
  }));
  return JSON.stringify({ ...(config.mode === 'first' ? {} : { mode: config.mode }), destinations, routes, default: config.default });
}
