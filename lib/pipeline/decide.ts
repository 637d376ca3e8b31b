import { recordHistory, type HistoryOptions } from '../history/record.ts';
import type { Alert, ContainerLogTail } from '../alerts/alert.ts';
import { buildAlert, logStreamsToRead, messageId, type BuildOptions, type TagKeys, type TaskDefinitionFacts } from '../alerts/build.ts';
import type { LogTailLookup } from '../aws/container-logs.ts';
import { announce, applyAlert, catchUpTally, resolveGroup, type Outcome, type Resolution } from '../alerts/grouping.ts';
import { alertKey, alertScope, scopeOfKey } from '../alerts/key.ts';
import type { EcsLookups } from '../aws/account-lookups.ts';
import type { Classification } from '../classify/verdict.ts';
import { lastSegment } from '../events/arn.ts';
import type { Evaluated } from './evaluate.ts';
import { changeGroup, type FlushDeps } from './publish.ts';
import { rememberRecovery } from './recoveries.ts';
import { trackEvent } from './track.ts';
import { DEFAULT_TRACKING, type TrackingConfig, type TrackingContext, type TrackingLookups } from '../trackers/context.ts';

export interface AlertingDeps extends FlushDeps {
  /** Looks up a task definition for log links; absent offline. Returns null when the lookup fails. */
  taskDefinitions?: (taskDefinitionArn: string) => Promise<TaskDefinitionFacts | null>;
  /** How deployments, crash loops and Spot are tracked (defaults: DEFAULT_TRACKING). */
  tracking?: TrackingConfig;
  /** ECS API lookups the trackers use when they can (service counts, the tasks on an instance); absent offline. */
  lookups?: TrackingLookups;
  /** Reads the last lines of a failed container's awslogs stream; absent offline (the alert then shows none). */
  logTails?: LogTailLookup;
  /** The tag keys of the runbook and the owner (deploy parameters runbookTagKey, ownerTagKey); `runbook`, `owner` by default. */
  tagKeys?: TagKeys;
  /** Keeps every stopped task's verdict in the store's history for this long (`npm run history`); none when absent. */
  history?: HistoryOptions;
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
    lookups: { services: lookups.services, instances: lookups.instances, tasks: lookups.tasks, serviceDeployments: lookups.serviceDeployments },
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
    case 'daemon_deployment_successful':
      return { what: `The deployment of daemon ${verdict.daemon?.daemonName ?? '(unknown)'} completed`, time, eventId };
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
export async function alertOnEvent(evaluated: Evaluated, given: AlertingDeps, options: { checkedNotSeen?: boolean } = {}): Promise<AlertDecision> {
  const deps = withOneLookupPerDefinition(given);
  const { envelope } = evaluated;
  const key = alertKey(evaluated.verdict);
  const eventId = envelope.id;
  if (options.checkedNotSeen !== true && (await isDuplicate(evaluated, deps))) return suppressed(key, 'duplicate');
  if (evaluated.version !== null) {
    const time = evaluated.verdict.time ?? new Date(0).toISOString();
    const freshness = await deps.store.recordVersion(evaluated.version.resource, evaluated.version.version, eventId ?? '', time);
    if (freshness === 'stale') return finish(suppressed(key, 'stale'), eventId, evaluated.verdict, deps);
  }
  const verdict = await withEssentialFlags(evaluated, deps);
  // Before the decision, which remembers the event as handled: a failed write is retried with the event.
  if (deps.history !== undefined) await recordHistory(verdict, deps.store, deps.history);
  const decided = await decide(evaluated, verdict, deps);
  return verdict === evaluated.verdict ? decided : { ...decided, verdict };
}

/** Whether the event was already handled to the end: one store read, before anything else is done for it. */
export async function isDuplicate(evaluated: Evaluated, deps: Pick<AlertingDeps, 'store'>): Promise<boolean> {
  return evaluated.envelope.id !== null && (await deps.store.hasSeenEvent(evaluated.envelope.id));
}

/** What alerting does with a duplicate delivery: nothing, and says so. */
export function duplicateDecision(evaluated: Evaluated): AlertDecision {
  return suppressed(alertKey(evaluated.verdict), 'duplicate');
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
