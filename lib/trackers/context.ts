/** What the trackers that follow events across time share: their settings, their context, and their records. */
import type { Alert } from '../alerts/alert.ts';
import type { GroupState } from '../alerts/group-state.ts';
import type { Outcome, Resolution, Step } from '../alerts/grouping.ts';
import type { InstanceLookup, TaskLookup } from '../aws/instances.ts';
import type { ServiceDeploymentLookup } from '../aws/service-deployments.ts';
import type { ServiceLookup } from '../aws/services.ts';
import type { Classification } from '../classify/verdict.ts';
import { DEFAULT_CRASH_LOOP, type CrashLoopConfig } from './deploy/crash-loop.ts';
import { DEFAULT_DEPLOYMENT_CONFIG, type DeploymentConfig } from './deploy/deployments.ts';
import { withConflictRetry } from '../store/optimistic.ts';
import type { AlertStore } from '../store/store.ts';

/** How the trackers that follow events across time decide; every value has a default. */
export interface TrackingConfig {
  deployment: DeploymentConfig;
  crashLoop: CrashLoopConfig;
  /** How long Fargate Spot may fail to place a service's tasks before it pages (default 15 minutes). */
  spotOutageMinutes: number;
  /**
   * Which deployment notices (`kind: deployment`, for a CI pipeline's queue) go out: `failures` (the default) when a
   * deployment fails or is rolled back, `all` also when one starts and completes.
   */
  notifyDeployments: 'failures' | 'all';
}

export const DEFAULT_TRACKING: TrackingConfig = { deployment: DEFAULT_DEPLOYMENT_CONFIG, crashLoop: DEFAULT_CRASH_LOOP, spotOutageMinutes: 15, notifyDeployments: 'failures' };

/** What trackers may look up in the ECS API; each answers null when it cannot, and alerts go out all the same. */
export interface TrackingLookups {
  services?: ServiceLookup;
  instances?: InstanceLookup;
  tasks?: TaskLookup;
  /** The service deployment behind a deployment event: the rollback's status and reason, the hooks that ran. */
  serviceDeployments?: ServiceDeploymentLookup;
}

/** Changes a group and publishes what the change decided; the alerting pipeline's own, with its outbox. */
export type ChangeGroup = (key: string, decide: (current: GroupState | null) => Step) => Promise<Alert[]>;

export interface TrackingContext {
  store: AlertStore;
  changeGroup: ChangeGroup;
  build: (verdict: Classification) => Promise<Alert>;
  config: TrackingConfig;
  lookups: TrackingLookups;
  eventId: string | null;
  /** The envelope's resources: the ARNs the event is about (a Health notice's affected tasks). */
  resources: readonly string[];
}

/** What tracking did with an event: took it over (with its decision), or let ordinary alerting go on. */
export type Tracked =
  | { handled: true; alertKey: string; outcome: Outcome; messages: Alert[] }
  | {
      handled: false;
      adjust?: (alert: Alert) => Alert;
      resolution?: Resolution;
      verdict?: Classification;
      /** The alert is news even when its group is quiet (within the repeat interval): told as an update then. */
      tellWhenQuiet?: boolean;
      /** Messages the tracker has already sent for the event (deployment notices), beside what alerting decides. */
      sent?: Alert[];
    };

const RECORD_DAYS = 14;

export function expiry(time: string): string {
  const at = Date.parse(time);
  return new Date((Number.isNaN(at) ? Date.now() : at) + RECORD_DAYS * 86_400_000).toISOString();
}

/**
 * Reads, changes and conditionally writes one tracker record, again (after a jittered backoff) on a lost race; `change`
 * must be pure, as it runs once per attempt on the record as it then is.
 */
export async function updateRecord<T, R>(store: AlertStore, kind: string, id: string, empty: () => T, change: (current: T) => { value: T | null; result: R }, time: string): Promise<R> {
  return withConflictRetry<R>(`record ${kind} ${id}`, async () => {
    const stored = await store.getRecord(kind, id);
    // The record was written by this module for this kind; its shape is ours.
    const current = stored === null ? empty() : (stored.value as T);
    const { value, result } = change(current);
    if (value === null) return { done: true, value: result };
    return (await store.putRecord(kind, id, value, stored?.rev ?? null, expiry(time))) ? { done: true, value: result } : { done: false };
  });
}

export function outcomeOf(messages: readonly Alert[]): Outcome {
  return messages.some((message) => message.kind === 'new' || message.kind === 'repeat') ? { outcome: 'alert' } : { outcome: 'grouped' };
}

export async function readRecord<T>(store: AlertStore, kind: string, id: string): Promise<T | null> {
  const stored = await store.getRecord(kind, id);
  // Written by this module for this kind.
  return stored === null ? null : (stored.value as T);
}

export async function writeRecord(store: AlertStore, kind: string, id: string, value: unknown, time: string): Promise<void> {
  const stored = await store.getRecord(kind, id);
  // Last writer wins: an index and a warning mark are facts, not counters.
  await store.putRecord(kind, id, value, stored?.rev ?? null, expiry(time));
}
