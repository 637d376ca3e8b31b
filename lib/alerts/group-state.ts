import type { Alert } from './alert.ts';

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
  /** When the last new or repeat alert went out; a repeat waits for the repeat interval from here. */
  lastAlertAt: string;
  /** End of the current grouping window: the follow-up for what was folded in goes out then. */
  windowEndsAt: string;
  /** Events folded in since the last message, not yet told. */
  unsent: { count: number; ids: string[]; firstTime: string | null; lastTime: string | null };
  /** The alert built from the latest event of the group: the facts a follow-up, repeat or resolved notice repeats. */
  latest: Alert;
  /** Ids of the latest events applied, so that a duplicate delivery racing the first is recognised atomically. */
  recentEventIds: string[];
  /** Messages decided with this state but not yet confirmed published; published first whenever the group is touched. */
  outbox: Alert[];
  /** When the group was last changed (ISO); stores derive its expiry from it. */
  updatedAt: string;
}

/** How many recent event ids a group keeps to recognise duplicates racing each other. */
export const RECENT_EVENT_IDS = 50;
