import { readFile } from 'node:fs/promises';
import type { RoutingConfig } from '../routing/config.ts';
import type { RouteDecision } from '../routing/route.ts';
import { parseRoutesFile } from '../routing/routes-file.ts';

/**
 * The routes file of `--routes`, checked as `serverless package` checks it: a `RoutesFileError` names each problem's
 * line; a file that cannot be read says so.
 */
export async function readRoutes(path: string, shownAs: string): Promise<RoutingConfig> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (error) {
    throw new Error(`${shownAs}: the routes file cannot be read (${error instanceof Error ? error.message : String(error)})`, { cause: error });
  }
  return parseRoutesFile(text, shownAs);
}

/**
 * The line under a message that says where the deployed routes would send it.
 *
 * @example routeLine(routeAlert(alert, routing)) // '  ↳ route "payments critical": pager, slack-payments, oncall-mail (email)'
 */
export function routeLine(decision: RouteDecision): string {
  const where = decision.destinations.length === 0 ? 'no destination' : decision.destinations.map((destination) => (destination.type === 'email' ? `${destination.name} (email)` : destination.name)).join(', ');
  const routes = decision.routes.length > 1 ? `routes ${decision.routes.map((name) => JSON.stringify(name)).join(', ')}` : `route ${JSON.stringify(decision.route)}`;
  return `  ↳ ${routes}: ${where}`;
}
