import { createHash } from 'node:crypto';
import type { RoutingConfig } from './config.ts';
import { type ConfigPath, type Locate, type RoutesProblem, RoutesFileError } from './errors.ts';
import { type Branch, branchesOf, excluding, type FilterPolicy, InexpressibleFilter, policyOf } from './filter-policy.ts';

/** An `AWS::SNS::Subscription` resource, as the template takes it. */
export interface EmailSubscriptionResource {
  Type: 'AWS::SNS::Subscription';
  Properties: {
    TopicArn: unknown;
    Protocol: 'email';
    Endpoint: string;
    FilterPolicyScope?: 'MessageAttributes';
    FilterPolicy?: FilterPolicy;
  };
}

/** Where the configuration came from, for errors that name a line; without it they name paths. */
export interface RoutesSource {
  file: string;
  locate: Locate;
}

/**
 * One SNS email subscription per e-mail address the routes name, whose filter policy on the message attributes
 * accepts exactly the alerts `routeAlert` sends to that address, so SNS delivers email by itself.
 *
 * With `mode: first`, an email route also gets a filter that leaves out what the routes before it take (those
 * without `continue: true`), and an email destination in `default` leaves out what every route takes: email is
 * routed as the other destinations are, not as if every route were `continue`. When SNS's operators cannot say that
 * (a tags condition, a glob other than `name` or `prefix*`, "prefix but not this one", more than 5 attributes or 150
 * combinations; https://docs.aws.amazon.com/sns/latest/dg/subscription-filter-policy-constraints.html), packaging
 * fails on the line of the route that lists the email destination, with what could not be expressed. The usual way
 * out is to move the email route up, or give the routes before it `continue: true`.
 *
 * Logical ids are `RouteEmail` + the address's letters and digits + 8 hex characters of its hash (stable across
 * packages, distinct per address). SNS sends each address a confirmation e-mail once the stack is deployed.
 *
 * @example
 * emailSubscriptions(config, { Ref: 'AlertTopic' });
 * // { RouteEmailOncallexamplecom1a2b3c4d: { Type: 'AWS::SNS::Subscription', Properties: { …, FilterPolicy: { severity: ['critical'] } } } }
 */
export function emailSubscriptions(config: RoutingConfig, topicRef: unknown, source: RoutesSource = { file: 'routes', locate: () => null }): Record<string, EmailSubscriptionResource> {
  const branchesByAddress = new Map<string, Branch[]>();
  const problems: RoutesProblem[] = [];
  const emailNames = (names: readonly string[]): string[] =>
    names.filter((name) => Object.hasOwn(config.destinations, name) && config.destinations[name]?.type === 'email');
  const add = (names: readonly string[], branches: Branch[]): void => {
    for (const name of emailNames(names)) {
      const destination = config.destinations[name];
      if (destination?.type !== 'email') continue;
      branchesByAddress.set(destination.address, [...(branchesByAddress.get(destination.address) ?? []), ...branches]);
    }
  };
  const problem = (path: ConfigPath, reason: string): void => {
    problems.push({ path, position: source.locate(path, 'value'), reason });
  };
  const quoted = (names: readonly string[]): string => emailNames(names).map((name) => `"${name}"`).join(', ');
  const fail = (path: ConfigPath, names: readonly string[], where: string, error: unknown, hint = ''): void => {
    if (!(error instanceof InexpressibleFilter)) throw error;
    problem(path, `email destination ${quoted(names)} ${where} cannot use ${error.what}: ${error.why}${hint}`);
  };
  const reorder = '. Move the email route up, or give the routes before it continue: true';

  config.routes.forEach((route, index) => {
    if (emailNames(route.to).length === 0) return;
    let excludedRoute: number | null = null;
    try {
      let branches = branchesOf(route.match);
      if (config.mode === 'first') {
        for (let earlier = 0; earlier < index; earlier += 1) {
          const other = config.routes[earlier];
          if (other === undefined || other.continue === true) continue;
          excludedRoute = earlier;
          branches = excluding(branches, other.match);
        }
      }
      excludedRoute = null;
      // Written once here too, so that what SNS cannot say is reported at the route that asks for it.
      if (branches.length > 0) policyOf(branches);
      if (branches.length === 0) problem(['routes', index, 'to'], `email destination ${quoted(route.to)} in route "${route.name}" would never get an alert: the routes before it take every alert it matches`);
      else add(route.to, branches);
    } catch (error) {
      const because = excludedRoute === null ? '' : ` (it must leave out what route "${config.routes[excludedRoute]?.name ?? ''}"${lineOf(source, excludedRoute)} takes)`;
      fail(['routes', index, 'to'], route.to, `in route "${route.name}"${because}`, error, excludedRoute === null ? '' : reorder);
    }
  });

  if (emailNames(config.default).length > 0) {
    let excludedRoute: number | null = null;
    try {
      let branches: Branch[] = [{}];
      config.routes.forEach((route, index) => {
        excludedRoute = index;
        branches = excluding(branches, route.match);
      });
      excludedRoute = null;
      if (branches.length > 0) policyOf(branches);
      if (branches.length === 0) problem(['default'], `email destination ${quoted(config.default)} in default would never get an alert: the routes take every alert`);
      else add(config.default, branches);
    } catch (error) {
      const index: number | null = excludedRoute;
      const because = index === null ? '' : ` (it must leave out what route "${config.routes[index]?.name ?? ''}"${lineOf(source, index)} takes)`;
      fail(['default'], config.default, `in default${because}`, error);
    }
  }

  const resources: Record<string, EmailSubscriptionResource> = {};
  for (const [address, branches] of branchesByAddress) {
    let policy: FilterPolicy | null = null;
    try {
      policy = policyOf(branches);
    } catch (error) {
      const names = Object.values(config.destinations).filter((destination) => destination.type === 'email' && destination.address === address).map((destination) => destination.name);
      fail(['destinations', names[0] ?? ''], names, `(${address}), all its routes taken together,`, error);
      continue;
    }
    resources[logicalId(address)] = {
      Type: 'AWS::SNS::Subscription',
      Properties: {
        TopicArn: topicRef,
        Protocol: 'email',
        Endpoint: address,
        ...(policy === null ? {} : { FilterPolicyScope: 'MessageAttributes', FilterPolicy: policy }),
      },
    };
  }
  if (problems.length > 0) throw new RoutesFileError(source.file, problems);
  return resources;
}

function lineOf(source: RoutesSource, routeIndex: number): string {
  const position = source.locate(['routes', routeIndex], 'value');
  return position === null ? '' : ` at line ${position.line}`;
}

/** `RouteEmail` + the address's letters and digits (at most 40) + 8 hex characters of its SHA-256. */
export function logicalId(address: string): string {
  const readable = address.replace(/[^A-Za-z0-9]/g, '').slice(0, 40);
  const hash = createHash('sha256').update(address).digest('hex').slice(0, 8);
  return `RouteEmail${readable.charAt(0).toUpperCase()}${readable.slice(1)}${hash}`;
}
