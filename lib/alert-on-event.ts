import type { Alert, ContainerLogTail } from './alerts/alert.ts';
import { buildAlert, logStreamsToRead, messageId, type BuildOptions, type TagKeys, type TaskDefinitionFacts } from './alerts/build.ts';
import type { LogTailLookup } from './aws/container-logs.ts';
import type { GroupState, OutboxEntry } from './alerts/group-state.ts';
import { advance, announce, applyAlert, catchUpTally, resolveGroup, type GroupingConfig, type Outcome, type Resolution, type Step } from './alerts/grouping.ts';
import { alertKey, alertScope, scopeOfKey } from './alerts/key.ts';
import type { EcsLookups } from './aws/account-lookups.ts';
import type { Classification } from './classify/verdict.ts';
import { lastSegment } from './events/arn.ts';
import { StoreConflictError } from './errors.ts';
import { withConflictRetry } from './store/optimistic.ts';
import type { Notifier } from './notify/notifier.ts';
import type { Evaluated } from './pipeline.ts';
import type { AlertStore } from './store/store.ts';
import { trackEvent } from './track-event.ts';
import { DEFAULT_TRACKING, readRecord, updateRecord, type TrackingConfig, type TrackingContext, type TrackingLookups } from './tracking.ts';

export interface AlertingDeps {
  store: AlertStore;
  notifier: Notifier;
  /** Looks up a task definition for log links; absent offline. Returns null when the lookup fails. */
  taskDefinitions?: (taskDefinitionArn: string) => Promise<TaskDefinitionFacts | null>;
  grouping: GroupingConfig;
  /** Wall clock in milliseconds, for the outbox lease; Date.now by default. */
  clock?: () => number;
  /** How deployments, crash loops and Spot are tracked (defaults: DEFAULT_TRACKING). */
  tracking?: TrackingConfig;
  /** ECS API lookups the trackers use when they can (service counts, the tasks on an instance); absent offline. */
  lookups?: TrackingLookups;
  /** Reads the last lines of a failed container's awslogs stream; absent offline (the alert then shows none). */
  logTails?: LogTailLookup;
  /** The tag keys of the runbook and the owner (deploy parameters runbookTagKey, ownerTagKey); `runbook`, `owner` by default. */
  tagKeys?: TagKeys;
}

/**
 * The alerting dependencies with the ECS lookups of one account and Region in place of any others: those of the
 * account and Region an event comes from (see `accountLookups`).
 */
export function withLookups(deps: AlertingDeps, lookups: EcsLookups): AlertingDeps {
  return {
    ...deps,
    taskDefinitions: lookups.taskDefinitions,
    logTails: lookups.logTails,
    lookups: { services: lookups.services, instances: lookups.instances, tasks: lookups.tasks },
  };
}

/** What alerting did with one event: its group key, what became of it, and the messages sent for it. */
export interface AlertDecision {
  alertKey: string;
  outcome: Outcome;
  messages: Alert[];
  /** The verdict alerting went by, when the task definition changed it (which containers are essential). */
  verdict?: Classification;
}

/**
 * How long an outbox entry belongs to the invocation that wrote it. Longer than any publish takes (the functions
 * time out well before), shorter than Lambda's first retry of a failed event (about a minute).
 */
export const OUTBOX_LEASE_MS = 30_000;

function ageMs(entry: OutboxEntry, now: number): number {
  return now - Date.parse(entry.queuedAt);
}

/** Removes published messages from a group's outbox; a lost race is read again, a vanished entry is fine. */
async function clearOutbox(key: string, ids: ReadonlySet<string>, deps: AlertingDeps): Promise<void> {
  await withConflictRetry<boolean>(`outbox of alert group ${key}`, async () => {
    const stored = await deps.store.getGroup(key);
    if (stored === null || !stored.state.outbox.some((entry) => ids.has(entry.message.id))) return { done: true, value: false };
    const outbox = stored.state.outbox.filter((entry) => !ids.has(entry.message.id));
    return (await deps.store.putGroup({ ...stored.state, outbox }, stored.rev)) ? { done: true, value: true } : { done: false };
  }).catch((error: unknown) => {
    // Left in the outbox, the messages are published again after the lease: at least once, never lost.
    if (!(error instanceof StoreConflictError)) throw error;
  });
}

/**
 * Changes one group with a conditional write, then publishes what the change decided. The messages are written
 * with the state (the outbox) before they are published and removed after, so if publishing fails the invocation
 * fails and whoever touches the group after the lease (the retried event, a later event, the flush) publishes
 * them: no alert is lost. A concurrent writer leaves entries younger than the lease alone, so a race does not send
 * one message twice. Each message has a stable id for consumers that must never see one twice.
 */
async function changeGroup(key: string, deps: AlertingDeps, decide: (current: GroupState | null) => Step): Promise<Alert[]> {
  return withConflictRetry<Alert[]>(`alert group ${key}`, async () => {
    const stored = await deps.store.getGroup(key);
    const current = stored?.state ?? null;
    const now = deps.clock?.() ?? Date.now();
    const queuedAt = new Date(now).toISOString();
    const abandoned = (current?.outbox ?? []).filter((entry) => ageMs(entry, now) >= OUTBOX_LEASE_MS);
    const decided = await resolvedIfRecovered(current, decide(current), deps.store);
    const base = decided.state ?? current;
    if (base === null || (decided.state === null && abandoned.length === 0)) return { done: true, value: [] };
    const step = { ...decided, messages: decided.messages.map((message) => withFiring(message, base)) };
    const toPublish = [...abandoned.map((entry) => entry.message), ...step.messages];
    const claimed = new Set(abandoned.map((entry) => entry.message.id));
    // Claiming an abandoned entry restamps it, so that no other writer publishes it at the same time.
    const outbox: OutboxEntry[] = [
      ...(current?.outbox ?? []).map((entry) => (claimed.has(entry.message.id) ? { ...entry, queuedAt } : entry)),
      ...step.messages.map((message) => ({ message, queuedAt })),
    ];
    if (!(await deps.store.putGroup({ ...base, outbox }, stored?.rev ?? null))) return { done: false };
    const published = new Set<string>();
    try {
      for (const message of toPublish) {
        await deps.notifier.publish(message);
        published.add(message.id);
      }
    } catch (error) {
      // What went out before the failure leaves the outbox now, or whoever takes the rest over would send it again.
      // The publish error is what fails the invocation; if this clean-up fails too, those messages are only sent twice.
      if (published.size > 0) await clearOutbox(key, published, deps).catch(() => undefined);
      throw error;
    }
    if (toPublish.length > 0) await clearOutbox(key, published, deps);
    return { done: true, value: toPublish };
  });
}

/** A message with since when its group fires and how many events it has counted, as of this message. */
function withFiring(message: Alert, state: GroupState): Alert {
  // A deployment notice belongs to no firing group.
  if (message.kind === 'deployment') return message;
  return { ...message, firing: { since: state.openedAt, events: state.eventCount } };
}

/** The latest recovery of a scope (steady state, a completed deployment, a successful run): the `recovery` record. */
const RECOVERY = 'recovery';

/**
 * Remembers a scope's recovery, so that an alert of the scope from before it, delivered late, is told as resolved at
 * once: EventBridge delivers in no order, and a problem that is over must not open an alert that nothing will end.
 */
async function rememberRecovery(scope: string, resolution: Resolution, store: AlertStore): Promise<void> {
  await updateRecord<Resolution | null, null>(store, RECOVERY, scope, () => null, (current) => ({ value: current !== null && current.time >= resolution.time ? null : resolution, result: null }), resolution.time);
}

/**
 * A step that opens a group whose scope has recovered after the alert's time: the alert arrived after the recovery
 * that ends it, so it goes out with its resolved notice in the same step.
 */
async function resolvedIfRecovered(current: GroupState | null, step: Step, store: AlertStore): Promise<Step> {
  const opened = step.state !== null && step.state.status === 'firing' && current?.status !== 'firing';
  if (!opened || step.state === null) return step;
  const recovery = await readRecord<Resolution>(store, RECOVERY, step.state.scope);
  if (recovery === null || Date.parse(recovery.time) < Date.parse(step.state.latest.time)) return step;
  const resolved = resolveGroup(step.state, recovery);
  return { state: resolved.state ?? step.state, messages: [...step.messages, ...resolved.messages] };
}

/** The verdicts that end the problems of their scope, and how the notice says so. */
function resolutionOf(verdict: Classification, eventId: string | null): Resolution | null {
  const time = verdict.time ?? new Date(0).toISOString();
  switch (verdict.category) {
    case 'service_steady_state':
      return { what: `Service ${verdict.service ?? '(unknown)'} reached steady state`, time, eventId };
    case 'deployment_completed':
      return { what: `Deployment ${verdict.deploymentId ?? '(unknown)'} of service ${verdict.service ?? '(unknown)'} completed`, time, eventId };
    case 'task_completed':
      // A later run of a one-off task's family that succeeded ends the family's failure alert.
      return verdict.service === null ? { what: `Task ${lastSegment(verdict.taskArn) ?? '(unknown)'} of the same task family completed successfully`, time, eventId } : null;
        case 'container_instance_health_ok':
      return { what: `Container instance ${verdict.ec2InstanceId ?? verdict.containerInstanceArn ?? '(unknown)'} is healthy again`, time, eventId };
    default:
      return null;
  }
}

type Enrichment = Pick<BuildOptions, 'taskDefinition' | 'enriched' | 'logTails' | 'service' | 'tagKeys'>;

/**
 * The facts an alert is built with besides its verdict: the task definition (log links, images, memory, tags), the
 * last lines of its failed containers' awslogs streams, and the service's counts and tags. Each lookup answers null
 * (or a tail saying why it has no lines) when it fails; only a failed task definition marks the alert not enriched.
 */
async function lookUpTaskDefinition(verdict: Classification, deps: AlertingDeps): Promise<Enrichment> {
  const servicesLookup = deps.lookups?.services;
  const service =
    servicesLookup === undefined || verdict.cluster === null || verdict.service === null ? Promise.resolve(null) : servicesLookup(verdict.cluster, verdict.service).catch(() => null);
  const tagKeys = deps.tagKeys === undefined ? {} : { tagKeys: deps.tagKeys };
  if (deps.taskDefinitions === undefined || verdict.taskDefinitionArn === null) {
    return { taskDefinition: null, enriched: verdict.taskDefinitionArn === null, service: await service, ...tagKeys };
  }
  const taskDefinition = await deps.taskDefinitions(verdict.taskDefinitionArn);
  const logTails = new Map<string, ContainerLogTail>();
  const read = deps.logTails;
  if (read !== undefined) {
    await Promise.all(
      logStreamsToRead(verdict, taskDefinition).map(async (stream) => {
        logTails.set(stream.container, await read(stream));
      }),
    );
  }
  return { taskDefinition, enriched: taskDefinition !== null, logTails, service: await service, ...tagKeys };
}

function suppressed(key: string, because: 'duplicate' | 'stale' | 'info'): AlertDecision {
  return { alertKey: key, outcome: { outcome: 'suppressed', suppressedBecause: because }, messages: [] };
}

/**
 * Turns one classified event into what people are told: drops duplicates and stale deliveries, groups alerts by
 * key, repeats a still-firing group at most every repeat interval, and resolves a service's alerts when it
 * recovers. `info` events never notify. Side effects go through the injected store and notifier only.
 */
export async function alertOnEvent(evaluated: Evaluated, given: AlertingDeps): Promise<AlertDecision> {
  const deps = withOneLookupPerDefinition(given);
  const { envelope } = evaluated;
  const key = alertKey(evaluated.verdict);
  const eventId = envelope.id;
  if (eventId !== null && (await deps.store.hasSeenEvent(eventId))) return suppressed(key, 'duplicate');
  if (evaluated.version !== null) {
    const time = evaluated.verdict.time ?? new Date(0).toISOString();
    const freshness = await deps.store.recordVersion(evaluated.version.resource, evaluated.version.version, eventId ?? '', time);
    if (freshness === 'stale') return finish(suppressed(key, 'stale'), eventId, evaluated.verdict, deps);
  }
  const verdict = await withEssentialFlags(evaluated, deps);
  const decided = await decide(evaluated, verdict, deps);
  return verdict === evaluated.verdict ? decided : { ...decided, verdict };
}

/** The dependencies with each task definition looked up at most once for the event (essential flags, then the alert). */
function withOneLookupPerDefinition(deps: AlertingDeps): AlertingDeps {
  const lookUp = deps.taskDefinitions;
  if (lookUp === undefined) return deps;
  const seen = new Map<string, Promise<TaskDefinitionFacts | null>>();
  return {
    ...deps,
    taskDefinitions: (arn) => {
      let definition = seen.get(arn);
      if (definition === undefined) {
        definition = lookUp(arn);
        seen.set(arn, definition);
      }
      return definition;
    },
  };
}

/**
 * The verdict with the task definition's essential flags, for a task of several containers whose definition can be
 * looked up: without them a sidecar that exited could pass for the essential container (or an essential one killed
 * beside a sidecar that exited 0 for a job that completed).
 */
async function withEssentialFlags(evaluated: Evaluated, deps: AlertingDeps): Promise<Classification> {
  const { verdict, refine } = evaluated;
  if (refine === undefined || deps.taskDefinitions === undefined || verdict.taskDefinitionArn === null) return verdict;
  const definition = await deps.taskDefinitions(verdict.taskDefinitionArn);
  if (definition === null) return verdict;
  return refine({ essentialContainers: new Set(definition.containers.filter((container) => container.essential).map((container) => container.name)) });
}

async function decide(evaluated: Evaluated, verdict: Classification, deps: AlertingDeps): Promise<AlertDecision> {
  const { envelope } = evaluated;
  const eventId = envelope.id;

  // Trackers and ordinary alerting may each want the alert of a verdict: build it (and look its task definition up) once.
  const builds = new Map<Classification, Promise<Alert>>();
  const build = (subject: Classification): Promise<Alert> => {
    let alert = builds.get(subject);
    if (alert === undefined) {
      alert = lookUpTaskDefinition(subject, deps).then((enrichment) => buildAlert(subject, { eventId, ...enrichment, windowMinutes: deps.grouping.windowMinutes }));
      builds.set(subject, alert);
    }
    return alert;
  };
  const context: TrackingContext = {
    store: deps.store,
    changeGroup: (groupKey, decide) => changeGroup(groupKey, deps, decide),
    build,
    config: deps.tracking ?? DEFAULT_TRACKING,
    lookups: deps.lookups ?? {},
    eventId,
    resources: envelope.resources,
  };
  const tracked = await trackEvent(verdict, context, async (groupKey, alert) => applyToGroup(groupKey, alert, eventId, deps));
  if (tracked.handled) return finish({ alertKey: tracked.alertKey, outcome: tracked.outcome, messages: tracked.messages }, eventId, verdict, deps);
  const subject = tracked.verdict ?? verdict;
  const subjectKey = alertKey(subject);
  // What a tracker sent for the event already (deployment notices) is part of what the event caused.
  const sent = tracked.sent ?? [];
  const finishWithSent = (decision: AlertDecision): Promise<AlertDecision> => finish({ ...decision, messages: [...sent, ...decision.messages] }, eventId, verdict, deps);

  if (!subject.alert) {
    const resolution = tracked.resolution ?? resolutionOf(subject, eventId);
    if (resolution === null) return finishWithSent(suppressed(subjectKey, 'info'));
    await rememberRecovery(alertScope(subject), resolution, deps.store);
    const messages: Alert[] = [];
    for (const group of await deps.store.groupsInScope(alertScope(subject))) {
      if (group.state.status !== 'firing') continue;
      const tallied = group.state.tally === undefined ? null : await deps.store.getTally(group.state.tally.kind, group.state.tally.id);
      messages.push(
        ...(await changeGroup(group.state.key, deps, (current) => (current === null ? { state: null, messages: [] } : resolveGroup(catchUpTally(current, tallied?.total ?? 0), resolution)))),
      );
    }
    const resolved = messages.some((message) => message.kind === 'resolved');
    return finishWithSent(resolved ? { alertKey: subjectKey, outcome: { outcome: 'resolved' }, messages } : { ...suppressed(subjectKey, 'info'), messages });
  }

  const built = await context.build(subject);
  // A tracker may put the alert in its story's group (a Spot stop delivered before its warning).
  const alert = tracked.adjust === undefined ? built : tracked.adjust(built);
  const applied = await applyToGroup(alert.key, alert, eventId, deps, tracked.tellWhenQuiet === true);
  return finishWithSent({ alertKey: alert.key, ...applied });
}

/**
 * Applies an alert to its group by the ordinary rules (alert, group, quiet, repeat) and publishes what is due; with
 * `tellWhenQuiet`, an alert the quiet period would only count is told as an update of its group instead.
 */
async function applyToGroup(groupKey: string, alert: Alert, eventId: string | null, deps: AlertingDeps, tellWhenQuiet = false): Promise<{ outcome: Outcome; messages: Alert[] }> {
  let outcome: Outcome = { outcome: 'suppressed', suppressedBecause: 'duplicate' };
  const messages = await changeGroup(groupKey, deps, (current) => {
    const step = applyAlert(current, alert, scopeOfKey(groupKey), eventId, deps.grouping);
    outcome = step.outcome;
    if (tellWhenQuiet && step.outcome.outcome === 'suppressed' && step.outcome.suppressedBecause === 'repeat-interval') {
      outcome = { outcome: 'alert' };
      return announce(current, { ...alert, kind: 'follow-up', id: messageId(groupKey, 'follow-up', alert.time, eventId) }, eventId);
    }
    return step;
  });
  return { outcome, messages };
}

async function finish(decision: AlertDecision, eventId: string | null, verdict: Classification, deps: AlertingDeps): Promise<AlertDecision> {
  if (eventId !== null) await deps.store.rememberEvent(eventId, verdict.time ?? new Date(0).toISOString());
  return decision;
}

/**
 * Sends what is due at `now`: follow-ups of grouping windows that have closed, repeats of quiet periods that have
 * ended, and messages left in an outbox by a failed publish. The replay calls it on the event clock before each
 * event and once at the end of the input (`endOfInput`, which closes open windows); in AWS each invocation and a
 * schedule call it on the wall clock.
 */
export async function flushDue(now: string, deps: AlertingDeps, endOfInput = false): Promise<Alert[]> {
  const groups = endOfInput ? await deps.store.groupsDue('9999-12-31T23:59:59.999Z') : await deps.store.groupsDue(now);
  const sent: Alert[] = [];
  for (const group of groups) {
    sent.push(...(await changeGroup(group.state.key, deps, (current) => (current === null ? { state: null, messages: [] } : advance(current, now, deps.grouping, endOfInput)))));
  }
  return sent;
}
