import { readFileSync } from 'node:fs';
import { alertOnEvent, withLookups, type AlertingDeps } from '../../lib/pipeline/decide.ts';
import { flushDue } from '../../lib/pipeline/publish.ts';
import type { Alert } from '../../lib/alerts/alert.ts';
import { DEFAULT_GROUPING } from '../../lib/alerts/grouping.ts';
import { originOf } from '../../lib/aws/account-lookups.ts';
import { evaluate } from '../../lib/pipeline/evaluate.ts';
import { recordedLookups } from '../../lib/replay/recorded-api.ts';
import { MemoryStore } from '../../lib/store/memory-store.ts';
import { EVENTS_DIR } from './fixtures.ts';

/** A recorded sequence, `events/scenarios/<name>.jsonl` (or any `.jsonl` path given), one event per line, fresh objects each call. */
export function scenario(name: string): Record<string, unknown>[] {
  const path = name.endsWith('.jsonl') ? name : `${EVENTS_DIR}scenarios/${name}.jsonl`;
  return readFileSync(path, 'utf8')
    .trim()
    .split('\n')
    .map((line) => JSON.parse(line) as Record<string, unknown>);
}

export interface Replayed {
  sent: Alert[];
  /** Each event's outcome, `suppressed:<why>` for suppressed ones. */
  outcomes: string[];
  /** How every alert told ended: `firing` or `resolved`, by alert key. */
  finalStatus: Map<string, string>;
}

export interface ReplayOptions {
  /**
   * The clock the due messages go out on: `event` (the default, as the replay command does) each event's own time,
   * `latest` the latest event time delivered so far, as a wall clock that never goes back while late events arrive.
   */
  clock?: 'event' | 'latest';
}

/**
 * Replays events in the order given, as the replay command does: the events' times are the clock, what is due goes
 * out before each event and at the end, and the ECS API answers from the recorded responses of events/api.
 */
export async function replay(events: readonly Record<string, unknown>[], options: ReplayOptions = {}): Promise<Replayed> {
  const api = `${EVENTS_DIR}api`;
  const sent: Alert[] = [];
  const store = new MemoryStore();
  const deps: AlertingDeps = { store, notifier: { publish: async (alert) => void sent.push(alert) }, grouping: DEFAULT_GROUPING };
  const lookupsFor = await recordedLookups(api);
  const outcomes: string[] = [];
  let latest = '';
  for (const event of events) {
    const evaluated = evaluate(event, 'scenario');
    const time = evaluated.verdict.time;
    if (time !== null && time > latest) latest = time;
    const now = options.clock === 'latest' ? latest : time;
    if (now !== null && now !== '') await flushDue(now, deps);
    const { outcome } = await alertOnEvent(evaluated, withLookups(deps, lookupsFor(originOf(evaluated.envelope))));
    outcomes.push(outcome.outcome === 'suppressed' ? `suppressed:${outcome.suppressedBecause}` : outcome.outcome);
  }
  await flushDue('', deps, true);
  const finalStatus = new Map<string, string>();
  for (const key of new Set(sent.map((alert) => alert.key))) finalStatus.set(key, (await store.getGroup(key))?.state.status ?? 'missing');
  return { sent, outcomes, finalStatus };
}
