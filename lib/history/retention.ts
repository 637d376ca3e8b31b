import { ConfigError } from '../errors.ts';

/** Days a stopped task stays in the history when HISTORY_RETENTION_DAYS is not set. */
export const DEFAULT_HISTORY_RETENTION_DAYS = 14;
export const MAX_HISTORY_RETENTION_DAYS = 365;

/**
 * `HISTORY_RETENTION_DAYS` (optional, a whole number from 1 to 365, default 14): how long the history keeps a stopped
 * task after it stopped. ECS itself forgets stopped tasks after about an hour; two weeks covers a "what happened last
 * week" question without making the table grow for ever. Kept apart from lib/env.ts only because it belongs to the
 * history alone; it follows the same rules (read once at cold start, a ConfigError naming the variable).
 *
 * @example historyRetentionDays({ HISTORY_RETENTION_DAYS: '30' }) // 30
 */
export function historyRetentionDays(env: Readonly<Record<string, string | undefined>> = process.env): number {
  const value = env.HISTORY_RETENTION_DAYS?.trim() ?? '';
  if (value === '') return DEFAULT_HISTORY_RETENTION_DAYS;
  const days = Number(value);
  if (!/^\d+$/.test(value) || days < 1 || days > MAX_HISTORY_RETENTION_DAYS) {
    throw new ConfigError('HISTORY_RETENTION_DAYS', `must be a whole number of days from 1 to ${MAX_HISTORY_RETENTION_DAYS}, got ${JSON.stringify(value)}`);
  }
  return days;
}
