import { describe, expect, it } from 'vitest';
import type { Alert } from '../../../lib/alerts/alert.ts';
import { remindsAt, workDueAt, type GroupState } from '../../../lib/alerts/group-state.ts';
import { advance, DEFAULT_GROUPING, openGroup, resolveGroup } from '../../../lib/alerts/grouping.ts';
import { sampleAlert } from '../../support/alerts.ts';
import { SCOPE } from '../../support/groups.ts';

// A waiting alert (a deployment paused for a person) is told again every repeat interval with nothing new.

const OPENED = '2026-03-05T10:00:00Z';
const waiting = (until: string | null, overrides: Partial<Alert> = {}): Alert => sampleAlert({ key: `${SCOPE}|deployment_hook:h1`, time: OPENED, severity: 'warning', reminder: { until }, ...overrides });

function opened(alert: Alert): { state: GroupState; messages: Alert[] } {
  const { state, messages } = openGroup(null, alert, SCOPE, 'e1', DEFAULT_GROUPING);
  if (state === null) throw new Error('not opened');
  return { state, messages };
}

describe('reminders', () => {
  it('are due at the end of the grouping window, then go quiet, and remind at the end of each repeat interval', () => {
    const { state } = opened(waiting('2026-03-06T10:00:00Z'));
    expect(state.remind).toEqual({ until: '2026-03-06T10:00:00Z' });
    expect(workDueAt(state)).toBe('2026-03-05T10:05:00Z');

    const quiet = advance(state, '2026-03-05T10:05:00Z', DEFAULT_GROUPING);
    expect(quiet.messages).toEqual([]);
    expect(quiet.state).toMatchObject({ phase: 'quiet', windowEndsAt: '2026-03-05T14:00:00Z' });
    expect(advance(quiet.state!, '2026-03-05T13:59:59Z', DEFAULT_GROUPING)).toEqual({ state: null, messages: [] });

    const first = advance(quiet.state!, '2026-03-05T14:00:00Z', DEFAULT_GROUPING);
    expect(first.messages.map((message) => [message.kind, message.time, message.severity, message.title])).toEqual([['repeat', '2026-03-05T14:00:00Z', 'warning', 'Still waiting: Out of memory – service orders-api (prod)']]);
    expect(first.messages[0]?.group).toEqual({ count: 0, ids: [], firstTime: '2026-03-05T14:00:00Z', lastTime: '2026-03-05T14:00:00Z', windowMinutes: 5 });
    expect(first.messages[0]?.summary).toBe(`Still waiting since ${OPENED}, nothing has changed. ${state.latest.summary}`);
    expect(first.messages[0]?.id).not.toBe(state.latest.id);
    expect(first.state).toMatchObject({ lastAlertAt: '2026-03-05T14:00:00Z', windowEndsAt: '2026-03-05T18:00:00Z', latest: state.latest });
  });

  it('tells the quiet period’s reminder in the same step when nothing ran since the window ended', () => {
    const { state } = opened(waiting('2026-03-06T10:00:00Z'));
    const late = advance(state, '2026-03-05T15:10:00Z', DEFAULT_GROUPING);
    expect(late.messages.map((message) => [message.kind, message.time])).toEqual([['repeat', '2026-03-05T14:00:00Z']]);
  });

  it('turn critical once the deadline is within one repeat interval, from the first message on', () => {
    expect(opened(waiting('2026-03-05T14:00:00Z')).messages[0]?.severity).toBe('critical');
    expect(opened(waiting('2026-03-05T14:00:01Z')).messages[0]?.severity).toBe('warning');
    const { state } = opened(waiting('2026-03-05T20:00:00Z'));
    const quiet = advance(state, '2026-03-05T10:05:00Z', DEFAULT_GROUPING).state!;
    // At 14:00 the next reminder (18:00) still comes before the deadline; at 18:00 it would not.
    const first = advance(quiet, '2026-03-05T14:00:00Z', DEFAULT_GROUPING);
    expect(first.messages[0]?.severity).toBe('warning');
    expect(advance(first.state!, '2026-03-05T18:00:00Z', DEFAULT_GROUPING).messages[0]?.severity).toBe('critical');
  });

  it('stop after their deadline, and never remind a resolved group', () => {
    const { state } = opened(waiting('2026-03-05T13:00:00Z'));
    const quiet = advance(state, '2026-03-05T10:05:00Z', DEFAULT_GROUPING).state!;
    expect(remindsAt(quiet, quiet.windowEndsAt)).toBe(false);
    expect(workDueAt(quiet)).toBeNull();
    expect(advance(quiet, '2026-03-05T14:00:00Z', DEFAULT_GROUPING)).toEqual({ state: null, messages: [] });
    expect(remindsAt(quiet, '2026-03-05T13:00:00Z')).toBe(true);

    const open = opened(waiting(null)).state;
    expect(remindsAt(open, '2030-01-01T00:00:00Z')).toBe(true);
    const resolved = resolveGroup(open, { what: 'continued', time: '2026-03-05T11:00:00Z', eventId: 'e2' }).state!;
    expect(remindsAt(resolved, resolved.windowEndsAt)).toBe(false);
    expect(workDueAt(resolved)).toBeNull();
  });

  it('leave groups without a reminder as they were: quiet with nothing new is not due', () => {
    const { state } = opened(sampleAlert({ time: OPENED }));
    expect(state.remind).toBeUndefined();
    expect(workDueAt(state)).toBeNull();
    expect(advance(state, '2026-03-06T10:00:00Z', DEFAULT_GROUPING)).toEqual({ state: null, messages: [] });
  });

  it('are due at the earlier of the reminder and a held-back update', () => {
    const { state } = opened(waiting('2026-03-06T10:00:00Z'));
    expect(workDueAt({ ...state, pendingUpdate: { message: state.latest, dueAt: '2026-03-05T10:01:00Z' } })).toBe('2026-03-05T10:01:00Z');
    expect(workDueAt({ ...state, pendingUpdate: { message: state.latest, dueAt: '2026-03-05T10:09:00Z' } })).toBe('2026-03-05T10:05:00Z');
    expect(workDueAt({ ...state, status: 'resolved', pendingUpdate: { message: state.latest, dueAt: '2026-03-05T10:01:00Z' } })).toBeNull();
  });
});
