import type { Alert, Reminder } from './alert.ts';

/**
 * What is remembered of one alert group (one key) between events: whether it fires, its grouping window, what
 * was folded in since the last message, and the messages decided but not yet confirmed published (the outbox).
 * Plain JSON, so every store can keep it as it is.
 */
export interface GroupState {
  key: string;
  /** `account|region|cluster|service:NAME` (or `instance:ID`…): what a resolving event (steady state) clears. */
  scope: string;
  status: 'firing' | 'resolved';
  /** When the group started firing this time. */
  openedAt: string;
  /**
   * `grouping`: the window after an alert, when further events are folded into one follow-up sent at its end;
   * `quiet`: after that, until the repeat interval from the last alert has passed, when events are only counted.
   */
  phase: 'grouping' | 'quiet';
  /** Events in the group since it opened, for the resolved notice. */
  eventCount: number;
  /** When the last new or repeat alert went out; a repeat waits for the repeat interval from here. */
  lastAlertAt: string;
  /** End of the current phase: the follow-up (grouping) or the repeat (quiet) for what was folded in is due then. */
  windowEndsAt: string;
  /** Events folded in since the last message, not yet told; due at windowEndsAt. */
  unsent: { count: number; ids: string[]; firstTime: string | null; lastTime: string | null };
  /** The alert built from the latest event of the group: the facts a follow-up, repeat or resolved notice repeats. */
  latest: Alert;
  /** Ids of the latest events applied, so that a duplicate delivery racing the first is recognised atomically. */
  recentEventIds: string[];
  /** Messages decided with this state and not yet confirmed published (see OutboxEntry). */
  outbox: OutboxEntry[];
  /** When the group was last changed (ISO); stores derive its expiry from it. */
  updatedAt: string;
  /**
   * A tally of the store whose members are events of this group counted without writing it (a deployment's failed
   * tasks in a burst), and how many of them `eventCount` already holds; the group catches up when it next changes.
   */
  tally?: { kind: string; id: string; counted: number };
  /**
   * An update told at `dueAt` unless something supersedes it first: a deployment's FAILED, which the rollback ECS
   * starts a second later would make noise, is held back a minute and dropped when the rollback update goes out.
   */
  pendingUpdate?: { message: Alert; dueAt: string };
  /**
   * When the group was resolved (or closed by an alert that took it over): an event of the group from before then,
   * delivered late, is part of what was resolved and folds into it; it does not open the group again.
   */
  resolvedAt?: string;
  /** The reminder of the alert that opened the group (`Alert.reminder`): told again every repeat interval while firing. */
  remind?: Reminder;
}

/** The earliest time a group has work due (every ISO time sorts after `now` for an outbox), or null when it has none. */
export function workDueAt(state: GroupState, now = '0000-01-01T00:00:00.000Z'): string | null {
  if (state.outbox.length > 0) return now;
  const times = [
    state.unsent.count > 0 || remindsAt(state, state.windowEndsAt) ? state.windowEndsAt : null,
    state.status === 'firing' ? (state.pendingUpdate?.dueAt ?? null) : null,
  ].filter((time): time is string => time !== null);
  return times.sort()[0] ?? null;
}

/** Whether a firing group with a reminder has one (or the end of its grouping window) due at `time`. */
export function remindsAt(state: GroupState, time: string): boolean {
  return state.status === 'firing' && state.remind !== undefined && (state.remind.until === null || Date.parse(time) <= Date.parse(state.remind.until));
}

/**
 * A message written with the group state before it is published, and removed once it is. An entry older than the
 * outbox lease was left by an invocation that failed or died while publishing; whoever touches the group next
 * publishes it, so no alert is lost.
 */
export interface OutboxEntry {
  message: Alert;
  /** Wall-clock time (ISO) the entry was written or last claimed for publishing. */
  queuedAt: string;
}

/** How many recent event ids a group keeps to recognise duplicates racing each other. */
export const RECENT_EVENT_IDS = 50;
