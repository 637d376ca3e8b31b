import type { GroupState } from '../alerts/group-state.ts';
import { resolveGroup, type Resolution, type Step } from '../alerts/grouping.ts';
import type { AlertStore } from '../store/store.ts';
import { readRecord, updateRecord } from '../trackers/context.ts';

/** The latest recovery of a scope (steady state, a completed deployment, a successful run): the `recovery` record. */
const RECOVERY = 'recovery';

/**
 * Remembers a scope's recovery, so that an alert of the scope from before it, delivered late, is told as resolved at
 * once: EventBridge delivers in no order, and a problem that is over must not open an alert that nothing will end.
 */
export async function rememberRecovery(scope: string, resolution: Resolution, store: AlertStore): Promise<void> {
  await updateRecord<Resolution | null, null>(store, RECOVERY, scope, () => null, (current) => ({ value: current !== null && current.time >= resolution.time ? null : resolution, result: null }), resolution.time);
}

/**
 * A step that opens a group whose scope has recovered after the alert's time: the alert arrived after the recovery
 * that ends it, so it goes out with its resolved notice in the same step.
 */
export async function resolvedIfRecovered(current: GroupState | null, step: Step, store: AlertStore): Promise<Step> {
  const opened = step.state !== null && step.state.status === 'firing' && current?.status !== 'firing';
  if (!opened || step.state === null) return step;
  const recovery = await readRecord<Resolution>(store, RECOVERY, step.state.scope);
  if (recovery === null || Date.parse(recovery.time) < Date.parse(step.state.latest.time)) return step;
  const resolved = resolveGroup(step.state, recovery);
  return { state: resolved.state ?? step.state, messages: [...step.messages, ...resolved.messages] };
}

