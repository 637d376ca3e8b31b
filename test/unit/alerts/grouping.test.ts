import { describe, expect, it } from 'vitest';
import type { Alert } from '../../../lib/alerts/alert.ts';
import type { GroupState } from '../../../lib/alerts/group-state.ts';
import { advance, announce, applyAlert, deferUpdate, resolveGroup, type GroupingConfig } from '../../../lib/alerts/grouping.ts';
import { sampleAlert } from '../../support/alerts.ts';

const CONFIG: GroupingConfig = { windowMinutes: 5, repeatHours: 4 };
const SCOPE = '111122223333|us-west-2|prod|service:orders-api';

function at(minutes: number): string {
  return new Date(Date.parse('2025-06-02T14:00:00Z') + minutes * 60_000).toISOString().replace('.000Z', 'Z');
}

function alertAt(minutes: number, task: string): Alert {
  const alert = sampleAlert({ time: at(minutes) });
  alert.facts.taskArn = `arn:aws:ecs:us-west-2:111122223333:task/prod/${task}`;
  return alert;
}

/** Applies events one after another, as the pipeline would, and collects what was sent. */
function run(events: { minutes: number; task: string; id: string }[]): { state: GroupState | null; sent: Alert[]; outcomes: string[] } {
  let state: GroupState | null = null;
  const sent: Alert[] = [];
  const outcomes: string[] = [];
  for (const event of events) {
    const step = applyAlert(state, alertAt(event.minutes, event.task), SCOPE, event.id, CONFIG);
    if (step.state !== null) state = step.state;
    sent.push(...step.messages);
    outcomes.push(step.outcome.outcome === 'suppressed' ? `suppressed:${step.outcome.suppressedBecause}` : step.outcome.outcome);
  }
  return { state, sent, outcomes };
}

describe('applyAlert', () => {
  it('alerts at once on the first event of a group and folds the next ones of the window into it', () => {
    const { state, sent, outcomes } = run([
      { minutes: 0, task: 'aaaaaaaa1', id: 'e1' },
      { minutes: 1, task: 'bbbbbbbb2', id: 'e2' },
      { minutes: 4.5, task: 'cccccccc3', id: 'e3' },
    ]);
    expect(outcomes).toEqual(['alert', 'grouped', 'grouped']);
    expect(sent.map((alert) => alert.kind)).toEqual(['new']);
    expect(state).toMatchObject({ status: 'firing', phase: 'grouping', eventCount: 3, windowEndsAt: at(5), unsent: { count: 2, ids: ['bbbbbbbb2', 'cccccccc3'] } });
  });

  it('sends one follow-up naming how many tasks and which when the window has closed', () => {
    const { state } = run([
      { minutes: 0, task: 'aaaaaaaa1', id: 'e1' },
      { minutes: 1, task: 'bbbbbbbb2', id: 'e2' },
      { minutes: 2, task: 'cccccccc3', id: 'e3' },
    ]);
    const step = advance(state!, at(5), CONFIG);
    expect(step.messages).toHaveLength(1);
    expect(step.messages[0]).toMatchObject({
      kind: 'follow-up',
      status: 'firing',
      time: at(5),
      title: 'Out of memory – service orders-api (prod): 2 more tasks in 5 min',
      summary: '2 more tasks of service orders-api (prod) stopped within 5 minutes of the first alert: OutOfMemoryError in container orders-api.',
      group: { count: 2, ids: ['bbbbbbbb2', 'cccccccc3'], firstTime: at(1), lastTime: at(2), windowMinutes: 5 },
    });
    expect(step.state).toMatchObject({ phase: 'quiet', windowEndsAt: at(240), unsent: { count: 0 } });
    expect(advance(step.state!, at(6), CONFIG).messages).toEqual([]);
  });

  it('sends nothing at the end of a window in which nothing was folded in', () => {
    const { state } = run([{ minutes: 0, task: 'aaaaaaaa1', id: 'e1' }]);
    expect(advance(state!, at(30), CONFIG)).toEqual({ state: null, messages: [] });
  });

  it('counts events quietly after the window and reminds once the repeat interval has passed', () => {
    const { sent, outcomes } = run([
      { minutes: 0, task: 'aaaaaaaa1', id: 'e1' },
      { minutes: 30, task: 'bbbbbbbb2', id: 'e2' },
      { minutes: 90, task: 'cccccccc3', id: 'e3' },
      { minutes: 250, task: 'dddddddd4', id: 'e4' },
    ]);
    expect(outcomes).toEqual(['alert', 'suppressed:repeat-interval', 'suppressed:repeat-interval', 'suppressed:repeat-interval']);
    expect(sent.map((alert) => [alert.kind, alert.time, alert.group.count])).toEqual([
      ['new', at(0), 1],
      // The quiet period ended at 4 h with two events counted: one reminder for them, then a new quiet period.
      ['repeat', at(240), 2],
    ]);
    expect(sent[1]!.title).toBe('Still firing: Out of memory – service orders-api (prod)');
  });

  it('alerts again on the first event after a quiet repeat interval with nothing in it', () => {
    const { sent, outcomes } = run([
      { minutes: 0, task: 'aaaaaaaa1', id: 'e1' },
      { minutes: 241, task: 'bbbbbbbb2', id: 'e2' },
      { minutes: 242, task: 'cccccccc3', id: 'e3' },
    ]);
    expect(outcomes).toEqual(['alert', 'alert', 'grouped']);
    expect(sent.map((alert) => alert.kind)).toEqual(['new', 'repeat']);
  });

  it('recognises an event it has already applied, so a duplicate racing the first changes nothing', () => {
    const { sent, outcomes, state } = run([
      { minutes: 0, task: 'aaaaaaaa1', id: 'e1' },
      { minutes: 1, task: 'bbbbbbbb2', id: 'e2' },
      { minutes: 1, task: 'bbbbbbbb2', id: 'e2' },
    ]);
    expect(outcomes).toEqual(['alert', 'grouped', 'suppressed:duplicate']);
    expect(sent).toHaveLength(1);
    expect(state?.eventCount).toBe(2);
  });

  it('closes an open window at the end of the input when told to', () => {
    const { state } = run([
      { minutes: 0, task: 'aaaaaaaa1', id: 'e1' },
      { minutes: 1, task: 'bbbbbbbb2', id: 'e2' },
    ]);
    const step = advance(state!, at(2), CONFIG, true);
    expect(step.messages.map((alert) => [alert.kind, alert.time])).toEqual([['follow-up', at(2)]]);
  });

  it('dates a window closed by the end of the input, with no clock, at its last event', () => {
    const { state } = run([
      { minutes: 0, task: 'aaaaaaaa1', id: 'e1' },
      { minutes: 1, task: 'bbbbbbbb2', id: 'e2' },
    ]);
    const step = advance(state!, '', CONFIG, true);
    expect(step.messages.map((alert) => [alert.kind, alert.time, alert.group.lastTime])).toEqual([['follow-up', at(1), at(1)]]);
    expect(step.messages[0]!.id).not.toBe(advance(state!, at(3), CONFIG, true).messages[0]!.id);
  });
});

describe('deferUpdate', () => {
  function opened(): GroupState {
    return run([{ minutes: 0, task: 'aaaaaaaa1', id: 'e1' }]).state!;
  }

  it('holds an update back and tells it when its time has come, or at the end of the input', () => {
    const update = { ...alertAt(2, 'bbbbbbbb2'), kind: 'follow-up' as const, title: 'Deployment failed' };
    const held = deferUpdate(opened(), update, 'e2', at(3));
    expect(held.messages).toEqual([]);
    expect(advance(held.state!, at(2.5), CONFIG)).toEqual({ state: null, messages: [] });
    const told = advance(held.state!, at(3), CONFIG);
    expect(told.messages.map((alert) => alert.title)).toEqual(['Deployment failed']);
    expect(told.state?.pendingUpdate).toBeUndefined();
    expect(advance(held.state!, '', CONFIG, true).messages.map((alert) => alert.title)).toEqual(['Deployment failed']);
  });

  it('drops the held update when an announced update or the resolution comes first', () => {
    const held = deferUpdate(opened(), { ...alertAt(2, 'bbbbbbbb2'), title: 'Deployment failed' }, 'e2', at(3)).state!;
    const announced = announce(held, { ...alertAt(2, 'cccccccc3'), title: 'Deployment rolling back' }, 'e3');
    expect(announced.messages.map((alert) => alert.title)).toEqual(['Deployment rolling back']);
    expect(advance(announced.state!, at(10), CONFIG).messages).toEqual([]);
    const resolved = resolveGroup(held, { what: 'Deployment completed', time: at(2.5), eventId: 'r1' });
    expect(resolved.state?.pendingUpdate).toBeUndefined();
  });

  it('changes nothing for a duplicate or a group no longer firing', () => {
    const held = deferUpdate(opened(), alertAt(2, 'bbbbbbbb2'), 'e2', at(3)).state!;
    expect(deferUpdate(held, alertAt(2, 'bbbbbbbb2'), 'e2', at(3))).toEqual({ state: null, messages: [] });
    expect(deferUpdate(null, alertAt(2, 'bbbbbbbb2'), 'e3', at(3))).toEqual({ state: null, messages: [] });
  });
});

describe('resolveGroup', () => {
  it('sends one resolved notice with the totals and opens a new group on the next failure', () => {
    const { state } = run([
      { minutes: 0, task: 'aaaaaaaa1', id: 'e1' },
      { minutes: 1, task: 'bbbbbbbb2', id: 'e2' },
    ]);
    const step = resolveGroup(state!, { what: 'Service orders-api reached steady state', time: at(9), eventId: 'r1' });
    expect(step.messages).toHaveLength(1);
    expect(step.messages[0]).toMatchObject({
      kind: 'resolved',
      status: 'resolved',
      severity: 'warning',
      title: 'Resolved: Out of memory – service orders-api (prod)',
      summary: `Service orders-api reached steady state at ${at(9)}. Out of memory for service orders-api (prod), firing since ${at(0)}, is over (2 events in all).`,
    });
    expect(step.state?.status).toBe('resolved');
    expect(resolveGroup(step.state!, { what: 'again', time: at(10), eventId: 'r2' })).toEqual({ state: null, messages: [] });
    const next = applyAlert(step.state, alertAt(20, 'cccccccc3'), SCOPE, 'e3', CONFIG);
    expect(next.outcome).toEqual({ outcome: 'alert' });
    expect(next.messages.map((alert) => alert.kind)).toEqual(['new']);
  });

  it('does not end a failure with a recovery that happened before it (out-of-order delivery)', () => {
    const { state } = run([{ minutes: 10, task: 'aaaaaaaa1', id: 'e1' }]);
    expect(resolveGroup(state!, { what: 'Service orders-api reached steady state', time: at(9), eventId: 'r0' })).toEqual({ state: null, messages: [] });
  });
});
