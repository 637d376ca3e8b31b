import type { AlertStore } from '../store/store.ts';

/**
 * Which destinations an alert message already reached, so that a retried delivery (Lambda retries an asynchronous
 * SNS invocation that failed, for one destination or all) posts only to those it missed.
 */
export interface DeliveryLedger {
  delivered(alertId: string, destination: string): Promise<boolean>;
  remember(alertId: string, destination: string): Promise<void>;
}

/** The record kind of the ledger in the alert table. */
export const DELIVERED_KIND = 'delivered';

/** Lambda retries an asynchronous invocation for up to 6 hours; the ledger keeps an entry for a day. */
const KEEP_MS = 86_400_000;

/**
 * The ledger kept in the alert table as records `delivered` / `<alert id>|<destination>`, expiring after a day. Two
 * concurrent deliveries of one message may both post (the record is written after the post, as a post cannot be
 * undone): the ledger removes the duplicates of retries, not of SNS's own rare double delivery.
 *
 * @example const ledger = deliveryLedgerOn(store); if (!(await ledger.delivered(alert.id, 'pager'))) …
 */
export function deliveryLedgerOn(store: Pick<AlertStore, 'getRecord' | 'putRecord'>, now: () => number = Date.now): DeliveryLedger {
  return {
    delivered: async (alertId, destination) => (await store.getRecord(DELIVERED_KIND, `${alertId}|${destination}`)) !== null,
    remember: async (alertId, destination) => {
      // False when another delivery wrote it first: the same fact, nothing to do.
      await store.putRecord(DELIVERED_KIND, `${alertId}|${destination}`, { at: new Date(now()).toISOString() }, null, new Date(now() + KEEP_MS).toISOString());
    },
  };
}
