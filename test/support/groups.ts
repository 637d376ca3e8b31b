import type { Alert } from '../../lib/alerts/alert.ts';
import type { GroupState, OutboxEntry } from '../../lib/alerts/group-state.ts';
import { sampleAlert } from './alerts.ts';

export const SCOPE = '111122223333|us-west-2|prod|service:orders-api';

/**
 * A firing group of `SCOPE`, in its grouping window, with nothing to do: no outbox, nothing unsent, its window ended at 09:31:51. `latest` is
 * `sampleAlert()` re-keyed to the group. Tests change what they need through `overrides` (shallow) and get a fresh
 * copy each call; `scope` follows the key's scope part unless given.
 */
export function sampleGroup(overrides: Partial<GroupState> = {}): GroupState {
  const key = overrides.key ?? `${SCOPE}|oom`;
  const scope = overrides.scope ?? key.slice(0, key.lastIndexOf('|'));
  return {
    key,
    scope,
    status: 'firing',
    openedAt: '2025-03-14T09:26:51Z',
    phase: 'grouping',
    eventCount: 1,
    lastAlertAt: '2025-03-14T09:26:51Z',
    windowEndsAt: '2025-03-14T09:31:51Z',
    unsent: { count: 0, ids: [], firstTime: null, lastTime: null },
    latest: sampleAlert({ key }),
    recentEventIds: ['6f2c1d0e-3a4b-4c5d-8e9f-0a1b2c3d4e5f'],
    outbox: [],
    updatedAt: '2025-03-14T09:26:52Z',
    ...overrides,
  };
}

/** A group with events folded in since the last message, told when its window ends at `windowEndsAt`. */
export function groupWithUnsent(key: string, windowEndsAt: string): GroupState {
  return sampleGroup({
    key,
    windowEndsAt,
    unsent: { count: 2, ids: ['77ea7336e48e3a4e63c55244182d37c0', '668907325845bef3136ec2da66db18c7'], firstTime: '2025-03-14T09:27:40Z', lastTime: '2025-03-14T09:29:05Z' },
  });
}

/** An outbox entry for `message`, queued at 09:26:52. */
export function queued(message: Alert, queuedAt = '2025-03-14T09:26:52.000Z'): OutboxEntry {
  return { message, queuedAt };
}

/** A group with a message decided but not yet confirmed published, its window still open. */
export function groupWithOutbox(key: string): GroupState {
  return sampleGroup({ key, windowEndsAt: '2099-01-01T00:00:00Z', outbox: [queued(sampleAlert({ key, kind: 'new' }))] });
}
