import type { AlertDecision } from '../pipeline/decide.ts';
import type { Alert, AlertKind, AlertStatus } from '../alerts/alert.ts';
import type { Category } from '../classify/categories.ts';
import type { Classification, Severity } from '../classify/verdict.ts';
import { lastSegment } from '../events/arn.ts';
import { bound, inert } from '../render/text.ts';
import type { ReplayResult } from './replay.ts';
import type { SeverityCounts } from './tally.ts';

type VerdictResult = Extract<ReplayResult, { kind: 'verdict' }>;

/** What became of a deployment, as far as the replayed events tell. */
export type DeploymentOutcome = 'in progress' | 'completed' | 'failed' | 'rolling back' | 'rolled back';

export interface DeploymentSummary {
  id: string;
  /** The earliest time of its deployment events. */
  firstSeen: string | null;
  outcome: DeploymentOutcome;
  /** From first seen to SERVICE_DEPLOYMENT_COMPLETED, for a completed deployment; null otherwise. */
  timeToCompleteMs: number | null;
  /** Whether it is a rollback deployment (the circuit breaker's or an alarm's). */
  rollback: boolean;
  /** A rollback deployment: the deployment it rolls back to, when its reason names it. */
  rollbackTo: string | null;
  /** A deployment that a rollback replaced: that rollback deployment. */
  replacedBy: string | null;
}

/** One line of a service's timeline: an event read, or a message sent. */
export type TimelineEntry =
  | {
      type: 'event';
      time: string | null;
      category: Category;
      severity: Severity;
      /** What alerting did with it: `alert`, `grouped`, `resolved`, `suppressed: duplicate`, … */
      outcome: string;
      /** Which task, deployment or instance: `task c28faa8c`, `deployment ecs-svc/…`; null for the service itself. */
      subject: string | null;
      /** Status, stop code and the start of the reason, inert (no control characters) but not escaped for HTML. */
      summary: string;
      origin: string;
    }
  | { type: 'message'; time: string; kind: AlertKind; status: AlertStatus; severity: Severity; category: Category; title: string; key: string };

export interface ServiceSummary {
  /** `account|region|cluster|service`, `-` for an unknown part. */
  key: string;
  account: string | null;
  region: string | null;
  cluster: string | null;
  service: string | null;
  /** `prod/orders-api`, `cluster prod (no service)` or `(account)`: inert, but from events, so still to escape for HTML. */
  name: string;
  events: number;
  bySeverity: SeverityCounts;
  deployments: DeploymentSummary[];
  /** Alerting task events by category, each task counted once per category; most first. */
  failures: { category: Category; tasks: number }[];
  /** Distinct tasks with an alerting task event. */
  failedTasks: number;
  spot: { tasks: number; instances: number; placementFailures: number };
  crashLoops: Record<AlertKind, number>;
  messages: Record<AlertKind, number>;
  /** The ECS console page of the service, from a message's links. */
  consoleUrl: string | null;
  /** Events and messages in time order (entries without a time last); at most MAX_TIMELINE of them. */
  timeline: TimelineEntry[];
  /** Entries left out of the timeline past MAX_TIMELINE. */
  timelineOmitted: number;
}

/** Timeline entries kept per service, so a replay of a large export does not hold every event in memory. */
export const MAX_TIMELINE = 1000;

const REASON_LENGTH = 120;
const UNKNOWN = '-';
const ROLLBACK_TARGET = /rolling back to deploymentId\s+(ecs-svc\/[0-9A-Za-z]+)/i;

interface Place {
  account: string | null;
  region: string | null;
  cluster: string | null;
  service: string | null;
}

interface DeploymentFacts {
  id: string;
  firstSeen: string | null;
  /** Lifecycle events in the order read: the latest by time decides the state. */
  states: { time: string | null; state: 'in progress' | 'completed' | 'failed' }[];
  completedAt: string | null;
  /** For a rollback deployment: the deployment it rolls back to (null when the reason does not say), and when it started. */
  rollback: { to: string | null; at: string | null } | null;
}

/**
 * Remembers what was counted lately, to count a task once however many of its events come: a task's events come
 * within minutes, so the last RECENT_IDS suffice, and a replay of millions of events keeps a bounded set, not every
 * task id it saw.
 */
class RecentlyCounted {
  private readonly seen = new Set<string>();

  /** True the first time `key` is seen lately. */
  first(key: string): boolean {
    if (this.seen.has(key)) return false;
    this.seen.add(key);
    if (this.seen.size > RECENT_IDS) this.seen.delete(this.seen.values().next().value as string);
    return true;
  }
}

const RECENT_IDS = 20_000;

class ServiceFacts {
  events = 0;
  readonly bySeverity: SeverityCounts = { critical: 0, warning: 0, info: 0 };
  readonly deployments = new Map<string, DeploymentFacts>();
  /** Counts of distinct tasks (and instances): a task's several events are counted once (see RecentlyCounted). */
  readonly failures = new Map<Category, number>();
  failedTasks = 0;
  spotTasks = 0;
  spotInstances = 0;
  spotPlacementFailures = 0;
  readonly crashLoops: Record<AlertKind, number> = noKinds();
  readonly messages: Record<AlertKind, number> = noKinds();
  consoleUrl: string | null = null;
  readonly timeline: TimelineEntry[] = [];
  timelineOmitted = 0;

  constructor(readonly place: Place) {}

  record(entry: TimelineEntry): void {
    if (this.timeline.length < MAX_TIMELINE) this.timeline.push(entry);
    else this.timelineOmitted += 1;
  }
}

function noKinds(): Record<AlertKind, number> {
  return { new: 0, 'follow-up': 0, repeat: 0, resolved: 0, deployment: 0 };
}

function keyOf(place: Place): string {
  return [place.account, place.region, place.cluster, place.service].map((part) => part ?? UNKNOWN).join('|');
}

/** Events without a service belong to their cluster, events without a cluster to their account and Region. */
function placeOf(facts: Place): Place {
  return {
    account: facts.account,
    region: facts.region,
    cluster: facts.cluster,
    service: facts.cluster === null ? null : facts.service,
  };
}

function nameOf(place: Place): string {
  if (place.cluster === null) return '(account)';
  if (place.service === null) return inert(`cluster ${place.cluster} (no service)`);
  return inert(`${place.cluster}/${place.service}`);
}

/** Milliseconds since the epoch, or null for a missing or unreadable time. */
function epoch(time: string | null): number | null {
  if (time === null) return null;
  const value = Date.parse(time);
  return Number.isNaN(value) ? null : value;
}

/** Orders by time, entries without a readable time last; equal times keep the order they were recorded in. */
export function byTime<T extends { time: string | null }>(entries: readonly T[]): T[] {
  return entries
    .map((entry, index) => ({ entry, index, at: epoch(entry.time) }))
    .sort((a, b) => (a.at ?? Infinity) - (b.at ?? Infinity) || a.index - b.index)
    .map(({ entry }) => entry);
}

function outcomeText(decision: AlertDecision | null): string {
  if (decision === null) return 'not delivered';
  const { outcome } = decision;
  return outcome.outcome === 'suppressed' ? `suppressed: ${outcome.suppressedBecause}` : outcome.outcome;
}

function subjectOf(verdict: Classification): string | null {
  const task = lastSegment(verdict.taskArn);
  if (task !== null) return `task ${task.slice(0, 8)}`;
  if (verdict.deploymentId !== null) return `deployment ${verdict.deploymentId}`;
  const instance = verdict.ec2InstanceId ?? lastSegment(verdict.containerInstanceArn);
  return instance === null ? null : `instance ${instance}`;
}

function summaryOf(verdict: Classification): string {
  const reason = verdict.reason === null ? null : bound(inert(verdict.reason).trim(), REASON_LENGTH);
  return [verdict.status, verdict.stopCode, reason]
    .filter((part): part is string => part !== null && part !== '')
    .map((part) => inert(part))
    .join(' · ');
}

const DEPLOYMENT_STATES: Partial<Record<Category, 'in progress' | 'completed' | 'failed'>> = {
  deployment_in_progress: 'in progress',
  deployment_rollback: 'in progress',
  deployment_completed: 'completed',
  deployment_failed: 'failed',
};

function latestState(facts: DeploymentFacts, until: number | null = null): 'in progress' | 'completed' | 'failed' {
  const seen = until === null ? facts.states : facts.states.filter((state) => (epoch(state.time) ?? Infinity) <= until);
  return byTime(seen).at(-1)?.state ?? 'in progress';
}

/**
 * The outcome of each deployment of one service. The latest lifecycle event by time decides between in progress,
 * completed and failed. A rollback deployment ("rolling back to deploymentId X") is `rolling back` until it
 * completes; the deployments it replaced (seen before it, neither completed by then nor its target) are `rolled back`
 * once it has completed.
 */
function deploymentOutcomes(all: readonly DeploymentFacts[]): DeploymentSummary[] {
  const summaries = new Map<string, DeploymentSummary>();
  for (const facts of all) {
    const state = latestState(facts);
    const completed = state === 'completed';
    const start = epoch(facts.firstSeen);
    const end = epoch(facts.completedAt);
    summaries.set(facts.id, {
      id: facts.id,
      firstSeen: facts.firstSeen,
      outcome: facts.rollback !== null && state === 'in progress' ? 'rolling back' : state,
      timeToCompleteMs: completed && start !== null && end !== null ? end - start : null,
      rollback: facts.rollback !== null,
      rollbackTo: facts.rollback?.to ?? null,
      replacedBy: null,
    });
  }
  const rollbacks = all.flatMap((facts) => (facts.rollback === null ? [] : [{ id: facts.id, to: facts.rollback.to, time: facts.rollback.at }]));
  for (const rollback of byTime(rollbacks)) {
    const at = epoch(rollback.time);
    const done = summaries.get(rollback.id)?.outcome === 'completed';
    for (const facts of all) {
      const summary = summaries.get(facts.id);
      if (summary === undefined || facts.id === rollback.id || facts.id === rollback.to || summary.replacedBy !== null) continue;
      const seen = epoch(facts.firstSeen);
      if (at !== null && (seen === null || seen > at)) continue;
      if (latestState(facts, at) === 'completed') continue;
      summary.replacedBy = rollback.id;
      if (done) summary.outcome = 'rolled back';
    }
  }
  return byTime([...summaries.values()].map((summary) => ({ ...summary, time: summary.firstSeen }))).map(({ time: _time, ...summary }) => summary);
}

/**
 * Collects, while a replay runs, what happened to each service: the events read, its deployments, task failures,
 * Spot interruptions, crash loops and the messages sent, and a timeline of all of it. Rows are
 * `account|region|cluster|service`; events without a service go to their cluster's row, events without a cluster to
 * their account's. Pure: fed with results and decisions, read with {@link ServiceReport.services}.
 *
 * @example
 * const report = new ServiceReport();
 * report.add(result, await alertOnEvent(result.evaluated, deps));
 * report.addFlushed(await flushDue(time, deps));
 * report.services()[0]?.name // 'prod/orders-api'
 */
export class ServiceReport {
  readonly #services = new Map<string, ServiceFacts>();
  readonly #counted = new RecentlyCounted();

  /** One classified event and what alerting did with it (null when alerting failed); its messages go to their own service. */
  add(result: VerdictResult, decision: AlertDecision | null): void {
    const { verdict } = result.evaluated;
    const facts = this.#facts(placeOf(verdict));
    facts.events += 1;
    facts.bySeverity[verdict.severity] += 1;
    facts.record({
      type: 'event',
      time: verdict.time,
      category: verdict.category,
      severity: verdict.severity,
      outcome: outcomeText(decision),
      subject: subjectOf(verdict),
      summary: summaryOf(verdict),
      origin: result.origin,
    });
    this.#deployment(facts, verdict);
    const task = lastSegment(verdict.taskArn) ?? verdict.taskArn;
    const where = keyOf(facts.place);
    if (task !== null && verdict.alert) {
      if (this.#counted.first(`${where}|${verdict.category}|${task}`)) facts.failures.set(verdict.category, (facts.failures.get(verdict.category) ?? 0) + 1);
      if (this.#counted.first(`${where}|failed|${task}`)) facts.failedTasks += 1;
    }
    if (task !== null && (verdict.category === 'spot_interruption_warning' || verdict.category === 'spot_interruption') && this.#counted.first(`${where}|spot|${task}`)) facts.spotTasks += 1;
    if (verdict.category === 'placement_failure_spot_capacity') facts.spotPlacementFailures += 1;
    const instance = verdict.ec2InstanceId ?? verdict.containerInstanceArn;
    if (verdict.category === 'ec2_spot_interruption_warning' && instance !== null && this.#counted.first(`${where}|instance|${instance}`)) facts.spotInstances += 1;
    this.addFlushed(decision?.messages ?? []);
  }

  /** Messages sent for no event in particular: grouping windows that closed, repeats, the end of the input. */
  addFlushed(messages: readonly Alert[]): void {
    for (const message of messages) {
      const facts = this.#facts(placeOf(message.facts));
      facts.messages[message.kind] += 1;
      if (message.key.endsWith('|crash-loop')) facts.crashLoops[message.kind] += 1;
      if (facts.consoleUrl === null && message.links.service !== null) facts.consoleUrl = message.links.service;
      facts.record({
        type: 'message',
        time: message.time,
        kind: message.kind,
        status: message.status,
        severity: message.severity,
        category: message.category,
        title: inert(message.title),
        key: inert(message.key),
      });
    }
  }

  /** Every service seen, ordered by account, Region, cluster and service (rows without a cluster or service last). */
  services(): ServiceSummary[] {
    const order = (value: string | null): string => (value === null ? '\uffff' : value);
    // The same names in two accounts or Regions: the Region says which, or else the account and Region.
    const count = (name: (place: Place) => string): Map<string, number> => {
      const counts = new Map<string, number>();
      for (const { place } of this.#services.values()) counts.set(name(place), (counts.get(name(place)) ?? 0) + 1);
      return counts;
    };
    const withRegion = (place: Place): string => inert(`${nameOf(place)} · ${place.region ?? UNKNOWN}`);
    const plain = count(nameOf);
    const regional = count(withRegion);
    const nameFor = (place: Place): string => {
      if ((plain.get(nameOf(place)) ?? 0) === 1) return nameOf(place);
      if ((regional.get(withRegion(place)) ?? 0) === 1) return withRegion(place);
      return inert(`${nameOf(place)} · ${place.account ?? UNKNOWN} ${place.region ?? UNKNOWN}`);
    };
    return [...this.#services.entries()]
      .sort(([, a], [, b]) => {
        for (const part of ['account', 'region', 'cluster', 'service'] as const) {
          const diff = order(a.place[part]).localeCompare(order(b.place[part]));
          if (diff !== 0) return diff;
        }
        return 0;
      })
      .map(([key, facts]) => ({
        key,
        ...facts.place,
        name: nameFor(facts.place),
        events: facts.events,
        bySeverity: { ...facts.bySeverity },
        deployments: deploymentOutcomes([...facts.deployments.values()]),
        failures: [...facts.failures.entries()]
          .map(([category, tasks]) => ({ category, tasks }))
          .sort((a, b) => b.tasks - a.tasks || a.category.localeCompare(b.category)),
        failedTasks: facts.failedTasks,
        spot: { tasks: facts.spotTasks, instances: facts.spotInstances, placementFailures: facts.spotPlacementFailures },
        crashLoops: { ...facts.crashLoops },
        messages: { ...facts.messages },
        consoleUrl: facts.consoleUrl,
        timeline: byTime(facts.timeline),
        timelineOmitted: facts.timelineOmitted,
      }));
  }

  #facts(place: Place): ServiceFacts {
    const key = keyOf(place);
    const existing = this.#services.get(key);
    if (existing !== undefined) return existing;
    const created = new ServiceFacts(place);
    this.#services.set(key, created);
    return created;
  }

  #deployment(facts: ServiceFacts, verdict: Classification): void {
    const state = DEPLOYMENT_STATES[verdict.category];
    if (!verdict.category.startsWith('deployment_') || verdict.deploymentId === null) return;
    const deployment = facts.deployments.get(verdict.deploymentId) ?? {
      id: verdict.deploymentId,
      firstSeen: null,
      states: [],
      completedAt: null,
      rollback: null,
    };
    facts.deployments.set(deployment.id, deployment);
    const at = epoch(verdict.time);
    const first = epoch(deployment.firstSeen);
    if (at !== null && (first === null || at < first)) deployment.firstSeen = verdict.time;
    if (state !== undefined) deployment.states.push({ time: verdict.time, state });
    if (verdict.category === 'deployment_completed' && (deployment.completedAt === null || (at ?? 0) > (epoch(deployment.completedAt) ?? 0))) {
      deployment.completedAt = verdict.time;
    }
    if (verdict.category === 'deployment_rollback') {
      const to = ROLLBACK_TARGET.exec(verdict.reason ?? '')?.[1] ?? deployment.rollback?.to ?? null;
      const started = deployment.rollback?.at ?? null;
      deployment.rollback = { to, at: started !== null && (epoch(started) ?? Infinity) <= (at ?? Infinity) ? started : verdict.time };
    }
  }
}
