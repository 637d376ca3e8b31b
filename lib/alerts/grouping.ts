import { lastSegment } from '../events/arn.ts';
import type { Alert } from './alert.ts';
import { fitTitle, messageId, shortCause, subjectOf, withId } from './build.ts';
import { RECENT_EVENT_IDS, remindsAt, type GroupState } from './group-state.ts';
import { groupLabel } from './labels.ts';

export interface GroupingConfig {
  /** How long after an alert further events of its group are folded into one follow-up. */
  windowMinutes: number;
  /** How long a still-firing group stays quiet before it is told again. */
  repeatHours: number;
}

export const DEFAULT_GROUPING: GroupingConfig = { windowMinutes: 5, repeatHours: 4 };

/** `late`: the event is from before its group was resolved, delivered after: it folds into what was resolved. */
export type SuppressedBecause = 'duplicate' | 'stale' | 'info' | 'repeat-interval' | 'late';

/** What became of one event: a new alert, folded into its group's follow-up, a resolved notice, or nothing. */
export type Outcome =
  | { outcome: 'alert' }
  | { outcome: 'grouped' }
  | { outcome: 'resolved' }
  | { outcome: 'suppressed'; suppressedBecause: SuppressedBecause };

/** A step of a group: its next state (null: unchanged) and the messages to send for it. */
export interface Step {
  state: GroupState | null;
  messages: Alert[];
}

/** ISO time `minutes` later, at second precision like EventBridge's own times when the milliseconds are zero. */
function addMinutes(time: string, minutes: number): string {
  return new Date(Date.parse(time) + minutes * 60_000).toISOString().replace('.000Z', 'Z');
}

function noUnsent(): GroupState['unsent'] {
  return { count: 0, ids: [], firstTime: null, lastTime: null };
}

function idOf(alert: Alert): string | null {
  return lastSegment(alert.facts.taskArn) ?? alert.facts.ec2InstanceId ?? lastSegment(alert.facts.containerInstanceArn);
}

function nouns(alert: Alert, count: number): string {
  if (alert.facts.taskArn === null) return count === 1 ? 'event' : 'events';
  return count === 1 ? 'task' : 'tasks';
}

function plural(count: number, word: string): string {
  return `${count} ${word}${count === 1 ? '' : 's'}`;
}

/** The message that folds in the events of a closed grouping window: "7 more tasks of service api stopped …". */
function followUp(state: GroupState, config: GroupingConfig): Alert {
  const { latest, unsent } = state;
  const subject = subjectOf(latest);
  const what = `${unsent.count} more ${nouns(latest, unsent.count)}`;
  const verb = latest.facts.taskArn !== null && latest.facts.status === 'STOPPED' ? 'stopped' : 'reported the same problem';
  return {
    ...latest,
    id: messageId(state.key, 'follow-up', state.windowEndsAt, null),
    kind: 'follow-up',
    time: state.windowEndsAt,
    title: fitTitle(`${groupLabel(latest)} – ${subject}: ${what} in ${config.windowMinutes} min`),
    summary: `${what} of ${subject} ${verb} within ${plural(config.windowMinutes, 'minute')} of the first alert: ${shortCause(latest)}.`,
    group: { count: unsent.count, ids: unsent.ids, firstTime: unsent.firstTime ?? state.windowEndsAt, lastTime: unsent.lastTime ?? state.windowEndsAt, windowMinutes: config.windowMinutes },
  };
}

/** The reminder that a group still fires after the repeat interval, counting what happened since the last message. */
function repeat(state: GroupState, latest: Alert, count: number, ids: string[], firstTime: string, time: string, config: GroupingConfig): Alert {
  const subject = subjectOf(latest);
  return {
    ...latest,
    id: messageId(state.key, 'repeat', time, null),
    kind: 'repeat',
    time,
    title: fitTitle(`Still firing: ${groupLabel(latest)} – ${subject}`),
    summary: `Still happening since the last notice at ${state.lastAlertAt}: ${count} more ${nouns(latest, count)} of ${subject}. Latest: ${shortCause(latest)}.`,
    group: { count, ids, firstTime, lastTime: time, windowMinutes: config.windowMinutes },
  };
}

/**
 * A waiting group's reminder, due with nothing new: at the end of its grouping window it goes quiet, and at the end of
 * each quiet period its alert is told again ("still waiting"), critical once what it waits for is about to expire.
 */
function remindOf(state: GroupState, now: string, config: GroupingConfig): Step {
  const at = state.windowEndsAt;
  if (state.phase === 'grouping') {
    const quiet: GroupState = { ...state, phase: 'quiet', windowEndsAt: addMinutes(state.lastAlertAt, config.repeatHours * 60), updatedAt: at };
    // The quiet period may be over too (nothing ran in between): its reminder is due in the same step.
    return remindsAt(quiet, quiet.windowEndsAt) && quiet.windowEndsAt <= now ? remindOf(quiet, now, config) : { state: quiet, messages: [] };
  }
  const { latest } = state;
  const reminder = escalated(
    {
      ...latest,
      id: messageId(state.key, 'repeat', at, null),
      kind: 'repeat',
      time: at,
      title: fitTitle(`Still waiting: ${groupLabel(latest)} – ${subjectOf(latest)}`),
      summary: `Still waiting since ${state.openedAt}, nothing has changed. ${latest.summary}`,
      group: { count: 0, ids: [], firstTime: at, lastTime: at, windowMinutes: config.windowMinutes },
    },
    at,
    config,
  );
  // The group keeps the alert it opened with: each reminder is told from it, not from the reminder before.
  return { state: { ...state, lastAlertAt: at, windowEndsAt: addMinutes(at, config.repeatHours * 60), updatedAt: at }, messages: [reminder] };
}

/** An alert with a reminder deadline within one repeat interval of `at` is critical: the next reminder would be too late. */
function escalated(alert: Alert, at: string, config: GroupingConfig): Alert {
  const until = alert.reminder?.until ?? null;
  if (until === null || alert.severity === 'critical') return alert;
  return Date.parse(until) - Date.parse(at) <= config.repeatHours * 3_600_000 ? { ...alert, severity: 'critical' } : alert;
}

/** What ended a group, in words, from the resolving event. */
export interface Resolution {
  /** E.g. "Service orders-api reached steady state" or "Deployment ecs-svc/123 completed". */
  what: string;
  time: string;
  eventId: string | null;
}

function resolvedNotice(state: GroupState, resolution: Resolution): Alert {
  const { latest } = state;
  const subject = subjectOf(latest);
  const label = groupLabel(latest);
  return {
    ...latest,
    id: messageId(state.key, 'resolved', resolution.time, resolution.eventId),
    kind: 'resolved',
    status: 'resolved',
    time: resolution.time,
    title: fitTitle(`Resolved: ${label} – ${subject}`),
    summary: `${resolution.what} at ${resolution.time}. ${label} for ${subject}, firing since ${state.openedAt}, is over (${plural(state.eventCount, 'event')} in all).`,
    group: { ...latest.group, count: state.eventCount, firstTime: state.openedAt, lastTime: resolution.time },
  };
}

/**
 * Sends what is due at `now`: the follow-up of a grouping window that has ended with events folded in, or the
 * repeat of a quiet period that has ended with events counted. With `endOfInput`, a grouping window still open is
 * closed too (the replay's input is over, no later event will close it).
 */
export function advance(state: GroupState, now: string, config: GroupingConfig, endOfInput = false): Step {
  const pending = state.pendingUpdate;
  if (state.status === 'firing' && pending !== undefined && (pending.dueAt <= now || endOfInput)) {
    // The held-back update goes out, then whatever else is due of the group, in one step.
    const told: GroupState = { ...state, latest: pending.message, pendingUpdate: undefined, updatedAt: pending.dueAt };
    const rest = advanceWindow(told, now, config, endOfInput);
    return { state: rest.state ?? told, messages: [pending.message, ...rest.messages] };
  }
  return advanceWindow(state, now, config, endOfInput);
}

function advanceWindow(state: GroupState, now: string, config: GroupingConfig, endOfInput: boolean): Step {
  if (state.status === 'firing' && state.unsent.count === 0 && remindsAt(state, state.windowEndsAt) && state.windowEndsAt <= now) return remindOf(state, now, config);
  if (state.status !== 'firing' || state.unsent.count === 0) return { state: null, messages: [] };
  const due = state.windowEndsAt <= now || (endOfInput && state.phase === 'grouping');
  if (!due) return { state: null, messages: [] };
  // The replay ends its input with no clock (`now` empty): a window it closes is told as of its last event.
  const at = state.windowEndsAt <= now ? state.windowEndsAt : now === '' ? (state.unsent.lastTime ?? state.windowEndsAt) : now;
  if (state.phase === 'grouping') {
    const message = followUp({ ...state, windowEndsAt: at }, config);
    const next: GroupState = { ...state, phase: 'quiet', windowEndsAt: addMinutes(state.lastAlertAt, config.repeatHours * 60), unsent: noUnsent(), updatedAt: at };
    return { state: next, messages: [message] };
  }
  const message = repeat(state, state.latest, state.unsent.count, state.unsent.ids, state.unsent.firstTime ?? at, at, config);
  const next: GroupState = { ...state, lastAlertAt: at, windowEndsAt: addMinutes(at, config.repeatHours * 60), unsent: noUnsent(), updatedAt: at };
  return { state: next, messages: [message] };
}

function remember(ids: readonly string[], eventId: string | null): string[] {
  if (eventId === null) return [...ids];
  return [...ids, eventId].slice(-RECENT_EVENT_IDS);
}

function fold(state: GroupState, alert: Alert, eventId: string | null): GroupState {
  return {
    ...state,
    latest: alert,
    eventCount: state.eventCount + 1,
    unsent: {
      count: state.unsent.count + 1,
      ids: withId(state.unsent.ids, idOf(alert)),
      firstTime: state.unsent.firstTime ?? alert.time,
      lastTime: alert.time,
    },
    recentEventIds: remember(state.recentEventIds, eventId),
    updatedAt: alert.time,
  };
}

/**
 * One alerting event applied to its group: the first event of a group (or of a group that was resolved) alerts at
 * once; later ones within the window are grouped into the follow-up; after it, they are counted quietly until the
 * repeat interval from the last alert has passed, when the next one alerts again. Pure.
 */
export function applyAlert(current: GroupState | null, alert: Alert, scope: string, eventId: string | null, config: GroupingConfig): Step & { outcome: Outcome } {
  if (current !== null && eventId !== null && current.recentEventIds.includes(eventId)) {
    return { state: null, messages: [], outcome: { outcome: 'suppressed', suppressedBecause: 'duplicate' } };
  }
  const t = alert.time;
  const messages: Alert[] = [];
  let state = current;
  if (state !== null) {
    const step = advance(state, t, config);
    if (step.state !== null) state = step.state;
    messages.push(...step.messages);
  }
  if (state !== null && isLate(state, t)) {
    return { state: foldLate(state, eventId), messages, outcome: { outcome: 'suppressed', suppressedBecause: 'late' } };
  }
  if (state === null || state.status === 'resolved') {
    const opened = openGroup(state, alert, scope, eventId, config);
    return { state: opened.state, messages: [...messages, ...opened.messages], outcome: { outcome: 'alert' } };
  }
  if (t < state.windowEndsAt) {
    const outcome: Outcome = state.phase === 'grouping' ? { outcome: 'grouped' } : { outcome: 'suppressed', suppressedBecause: 'repeat-interval' };
    return { state: fold(state, alert, eventId), messages, outcome };
  }
  if (state.phase === 'grouping') {
    // The window closed with nothing folded in: the group goes quiet until the repeat interval has passed.
    const quietUntil = addMinutes(state.lastAlertAt, config.repeatHours * 60);
    if (t < quietUntil) {
      return { state: fold({ ...state, phase: 'quiet', windowEndsAt: quietUntil }, alert, eventId), messages, outcome: { outcome: 'suppressed', suppressedBecause: 'repeat-interval' } };
    }
  }
  // The quiet period is over and the problem is still there: tell again, and open a new grouping window.
  const reminder = repeat(state, alert, 1, withId([], idOf(alert)), t, t, config);
  const next: GroupState = {
    ...state,
    phase: 'grouping',
    latest: alert,
    eventCount: state.eventCount + 1,
    lastAlertAt: t,
    windowEndsAt: addMinutes(t, config.windowMinutes),
    unsent: noUnsent(),
    recentEventIds: remember(state.recentEventIds, eventId),
    updatedAt: t,
  };
  return { state: next, messages: [...messages, reminder], outcome: { outcome: 'alert' } };
}

/** Whether an event at `time` is from before its resolved group was resolved: delivered late, part of what ended. */
export function isLate(state: GroupState, time: string): boolean {
  return state.status === 'resolved' && state.resolvedAt !== undefined && Date.parse(time) < Date.parse(state.resolvedAt);
}

/** A late event counted in the resolved group it belongs to, telling no one. */
function foldLate(state: GroupState, eventId: string | null): GroupState {
  return { ...state, eventCount: state.eventCount + 1, recentEventIds: remember(state.recentEventIds, eventId) };
}

/**
 * A firing group resolved: one notice with the totals, then the group rests until its next first event. A
 * recovery older than the group's latest failure changes nothing. Pure.
 */
export function resolveGroup(current: GroupState, resolution: Resolution): Step {
  if (current.status !== 'firing') return { state: null, messages: [] };
  // Delivery is out of order: a recovery from before the latest failure does not end it.
  if (Date.parse(resolution.time) < Date.parse(current.latest.time)) return { state: null, messages: [] };
  if (resolution.eventId !== null && current.recentEventIds.includes(resolution.eventId)) return { state: null, messages: [] };
  const notice = resolvedNotice(current, resolution);
  const next: GroupState = {
    ...current,
    status: 'resolved',
    unsent: noUnsent(),
    recentEventIds: remember(current.recentEventIds, resolution.eventId),
    updatedAt: resolution.time,
    pendingUpdate: undefined,
    resolvedAt: resolution.time,
  };
  return { state: next, messages: [notice] };
}

/**
 * Opens a group with a message told at once, whatever the group held before (a tracker has decided the problem
 * deserves its own alert: a deployment in trouble, a crash loop). Pure.
 */
export function openGroup(current: GroupState | null, alert: Alert, scope: string, eventId: string | null, config: GroupingConfig): Step {
  if (current !== null && current.status === 'firing') return { state: null, messages: [] };
  if (current !== null && isLate(current, alert.time)) {
    return current.recentEventIds.includes(eventId ?? '') ? { state: null, messages: [] } : { state: foldLate(current, eventId), messages: [] };
  }
  const told = escalated(alert, alert.time, config);
  const opened: GroupState = {
    key: alert.key,
    scope,
    status: 'firing',
    phase: 'grouping',
    // A tracker's alert may stand for several events already (the failed tasks that made a crash loop).
    eventCount: Math.max(1, alert.group.count),
    openedAt: alert.time,
    lastAlertAt: alert.time,
    windowEndsAt: addMinutes(alert.time, config.windowMinutes),
    unsent: noUnsent(),
    latest: told,
    recentEventIds: remember(current?.recentEventIds ?? [], eventId),
    outbox: current?.outbox ?? [],
    updatedAt: alert.time,
    ...(alert.reminder === undefined ? {} : { remind: alert.reminder }),
  };
  return { state: opened, messages: [told] };
}

/** Tells an update of a firing group at once (a rollback has started), keeping it firing. Pure. */
export function announce(current: GroupState | null, update: Alert, eventId: string | null): Step {
  if (current === null || current.status !== 'firing') return { state: null, messages: [] };
  if (eventId !== null && current.recentEventIds.includes(eventId)) return { state: null, messages: [] };
  // The update supersedes one held back (the rollback tells the failure too).
  const next: GroupState = { ...current, latest: update, eventCount: current.eventCount + 1, recentEventIds: remember(current.recentEventIds, eventId), updatedAt: update.time, pendingUpdate: undefined };
  return { state: next, messages: [update] };
}

/**
 * Holds an update of a firing group back until `dueAt` (the flush tells it then), unless an announced update or the
 * resolution supersedes it first. Pure.
 */
export function deferUpdate(current: GroupState | null, update: Alert, eventId: string | null, dueAt: string): Step {
  if (current === null || current.status !== 'firing') return { state: null, messages: [] };
  if (eventId !== null && current.recentEventIds.includes(eventId)) return { state: null, messages: [] };
  const next: GroupState = { ...current, eventCount: current.eventCount + 1, recentEventIds: remember(current.recentEventIds, eventId), updatedAt: update.time, pendingUpdate: { message: update, dueAt } };
  return { state: next, messages: [] };
}

/** Counts an event in a firing group without telling anyone (a deployment's later failed tasks). Pure. */
export function countQuietly(current: GroupState | null, latest: Alert, eventId: string | null): Step {
  if (current === null || current.status !== 'firing') return { state: null, messages: [] };
  if (eventId !== null && current.recentEventIds.includes(eventId)) return { state: null, messages: [] };
  return { state: { ...current, latest, eventCount: current.eventCount + 1, recentEventIds: remember(current.recentEventIds, eventId), updatedAt: latest.time }, messages: [] };
}

/** The group with the events its tally counted since it last looked (`total`: the tally's total now) in its count. Pure. */
export function catchUpTally(state: GroupState, total: number): GroupState {
  if (state.tally === undefined || total <= state.tally.counted) return state;
  return { ...state, eventCount: state.eventCount + total - state.tally.counted, tally: { ...state.tally, counted: total } };
}

/**
 * Ends a group without a notice, because another alert has taken it over (a crash loop covers the service's
 * failure alerts, and its resolved notice ends them too). Pure.
 */
export function closeQuietly(current: GroupState | null, time: string): Step {
  if (current === null || current.status !== 'firing') return { state: null, messages: [] };
  return { state: { ...current, status: 'resolved', unsent: noUnsent(), updatedAt: time, resolvedAt: time }, messages: [] };
}
