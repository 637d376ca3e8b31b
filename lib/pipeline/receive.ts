import middy from '@middy/core';
import { originOf, type LookupsFor } from '../aws/account-lookups.ts';
import type { Context } from 'aws-lambda';
import { alertOnEvent, duplicateDecision, isDuplicate, withLookups, type AlertDecision, type AlertingDeps } from './decide.ts';
import { flushDue } from './publish.ts';
import type { Alert } from '../alerts/alert.ts';
import type { Classification } from '../classify/verdict.ts';
import type { Logger } from '../log.ts';
import type { Metrics } from '../metrics.ts';
import { processEvent, type Evaluated } from './evaluate.ts';

/** What one invocation returns (and Lambda records): the verdict and what alerting did with it. */
export interface HandledEvent {
  verdict: Classification;
  decision: AlertDecision;
}

export interface EventHandlerDeps {
  logger: Logger;
  alerting: AlertingDeps;
  /** Wall clock for the flush of due follow-ups; Date by default. */
  now?: () => Date;
  /** Counts of events, outcomes and messages sent, flushed after each invocation; none when absent. */
  metrics?: Metrics;
  /**
   * The ECS lookups of the account and Region each event comes from, in place of `alerting`'s own; without it,
   * `alerting`'s lookups serve every event.
   */
  lookupsFor?: LookupsFor;
}

type EventOutcome = AlertDecision['outcome']['outcome'] | 'failed';

/** What every log line about one event carries besides its own fields. */
function eventFields(evaluated: Evaluated): Record<string, unknown> {
  return { id: evaluated.envelope.id, detailType: evaluated.envelope.detailType, category: evaluated.verdict.category };
}

function publishedFields(messages: readonly Alert[]): Record<string, unknown>[] {
  return messages.map((message) => ({ id: message.id, kind: message.kind, key: message.key }));
}

/**
 * The metrics of one event, in namespace EcsIncidentNotifier: `Events` by Category and Severity (classified events
 * only), `Outcomes` by Outcome (alert, grouped, resolved, suppressed, failed) and `MessagesSent` by Kind. The metric
 * is `Outcomes`, not `Outcome`: in an EMF document a dimension and a metric of one name would be one JSON member.
 */
function countEvent(metrics: Metrics | undefined, evaluated: Evaluated | undefined, outcome: EventOutcome, sent: readonly Alert[]): void {
  if (metrics === undefined) return;
  if (evaluated !== undefined) metrics.count('Events', { Category: evaluated.verdict.category, Severity: evaluated.verdict.severity });
  metrics.count('Outcomes', { Outcome: outcome });
  for (const message of sent) metrics.count('MessagesSent', { Kind: message.kind });
  metrics.flush();
}

/**
 * One EventBridge event through the whole pipeline: parse, classify, alert (dedupe, group, publish), and for a late
 * event that lands in a grouping window already closed, that window's follow-up after it. Any failure (unreadable event, store or SNS down) fails the invocation, so Lambda
 * retries the event and finally hands it to the failure destination: nothing is dropped silently.
 */
export async function handleEvent(event: unknown, origin: string, deps: EventHandlerDeps): Promise<HandledEvent> {
  const now = (): string => (deps.now?.() ?? new Date()).toISOString();
  const sent: Alert[] = [];
  let evaluated: Evaluated | undefined;
  let decision: AlertDecision;
  try {
    evaluated = processEvent(event, origin, { logger: deps.logger });
    if (await isDuplicate(evaluated, deps.alerting)) {
      // A second delivery costs one read: what is due goes out with the next event or the scheduled flush.
      decision = duplicateDecision(evaluated);
    } else {
      // What fell due since the last invocation (a grouping window that closed) is not looked for here: the
      // scheduled flush function sends it within a minute, and a recovery that comes first tells the group's totals
      // in its resolved notice. Looking here cost every event a query before its own alert could go out.
      // A member account's event is looked up in that account and Region, never in the monitor's.
      const alerting = deps.lookupsFor === undefined ? deps.alerting : withLookups(deps.alerting, deps.lookupsFor(originOf(evaluated.envelope)));
      decision = await alertOnEvent(evaluated, alerting, { checkedNotSeen: true });
      sent.push(...decision.messages);
      // An event older than a grouping window, folded into its group, may have landed in a window that has closed:
      // that group is due now. A fresh event's window is still open, and the next flush sends it.
      if (decision.outcome.outcome === 'grouped' && olderThanWindow(evaluated, now(), deps.alerting.grouping.windowMinutes)) sent.push(...(await flushDue(now(), deps.alerting)));
    }
  } catch (error) {
    // An unreadable event was logged by processEvent ('event rejected'); any later failure is logged here.
    if (evaluated !== undefined) deps.logger.error('event failed', { ...eventFields(evaluated), outcome: 'failed', published: publishedFields(sent), error });
    countEvent(deps.metrics, evaluated, 'failed', sent);
    throw error;
  }
  deps.logger.info('alerting done', {
    ...eventFields(evaluated),
    alertKey: decision.alertKey,
    outcome: decision.outcome.outcome,
    ...(decision.outcome.outcome === 'suppressed' ? { suppressedBecause: decision.outcome.suppressedBecause } : {}),
    published: publishedFields(sent),
  });
  countEvent(deps.metrics, evaluated, decision.outcome.outcome, sent);
  return { verdict: evaluated.verdict, decision };
}

function olderThanWindow(evaluated: Evaluated, now: string, windowMinutes: number): boolean {
  const time = Date.parse(evaluated.verdict.time ?? '');
  return Number.isNaN(time) || Date.parse(now) - time >= windowMinutes * 60_000;
}

/**
 * The middy-wrapped entry point shared by every EventBridge-triggered function; each rule has its own function for
 * its own IAM and limits. The dependencies are built at the first invocation and kept for the container's life.
 */
export function eventBridgeHandler(makeDeps: () => EventHandlerDeps) {
  let deps: EventHandlerDeps | undefined;
  return middy<unknown, HandledEvent, Error, Context>().handler(async (event, context) => {
    deps ??= makeDeps();
    return handleEvent(event, `lambda request ${context.awsRequestId}`, deps);
  });
}

/** The scheduled function: sends follow-ups of grouping windows that have closed and outboxes left by failed publishes. */
export function flushHandler(makeDeps: () => EventHandlerDeps) {
  let deps: EventHandlerDeps | undefined;
  return middy<unknown, { published: number }, Error, Context>().handler(async () => {
    deps ??= makeDeps();
    const sent = await flushDue((deps.now?.() ?? new Date()).toISOString(), deps.alerting);
    deps.logger.info('due alerts sent', { published: publishedFields(sent) });
    if (deps.metrics !== undefined && sent.length > 0) {
      for (const message of sent) deps.metrics.count('MessagesSent', { Kind: message.kind });
      deps.metrics.flush();
    }
    return { published: sent.length };
  });
}
