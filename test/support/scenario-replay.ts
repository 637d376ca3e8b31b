import { readFileSync } from 'node:fs';
import { alertOnEvent, flushDue, withLookups, type AlertingDeps } from '../../lib/alert-on-event.ts';
import type { Alert } from '../../lib/alerts/alert.ts';
import { DEFAULT_GROUPING } from '../../lib/alerts/grouping.ts';
import { originOf } from '../../lib/aws/account-lookups.ts';
import { evaluate } from '../../lib/pipeline.ts';
import { recordedLookups } from '../../lib/replay/recorded-api.ts';
import { MemoryStore } from '../../lib/store/memory-store.ts';
import { EVENTS_DIR } from './fixtures.ts';

/** A recorded sequence, `events/scenarios/<name>.jsonl`, one event per line, fresh objects each call. */
export function scenario(name: string): Record<string, unknown>[] {
  return readFileSync(`${EVENTS_DIR}scenarios/${name}.jsonl`, 'utf8')
    .trim()
    .split('\n')
    .map((line) => JSON.parse(line) as Record<string, unknown>);
}

export interface Replayed {
  sent: Alert[];
  /** Each event's outcome, `suppressed:<why>` for suppressed ones. */
  outcomes: string[];
}

/**
 * Replays events in the order given, as the replay command does: the events' times are the clock, what is due goes
 * out before each event and at the end, and the ECS API answers from the recorded responses of events/api.
 */
export async function replay(events: readonly Record<string, unknown>[]): Promise<Replayed> {
  const api = `${EVENTS_DIR}api`;
  const sent: Alert[] = [];
  const deps: AlertingDeps = { store: new MemoryStore(), notifier: { publish: async (alert) => void sent.push(alert) }, grouping: DEFAULT_GROUPING };
  const lookupsFor = await recordedLookups(api);
  const outcomes: string[] = [];
  for (const event of events) {
    const evaluated = evaluate(event, 'scenario');
    if (evaluated.verdict.time !== null) await flushDue(evaluated.verdict.time, deps);
    const { outcome } = await alertOnEvent(evaluated, withLookups(deps, lookupsFor(originOf(evaluated.envelope))));
    outcomes.push(outcome.outcome === 'suppressed' ? `suppressed:${outcome.suppressedBecause}` : outcome.outcome);
  }
  await flushDue('', deps, true);
  return { sent, outcomes };
}
