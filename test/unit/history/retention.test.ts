import { describe, expect, it, vi } from 'vitest';
import { ConfigError } from '../../../lib/errors.ts';
import { DEFAULT_HISTORY_RETENTION_DAYS, historyRetentionDays } from '../../../lib/history/retention.ts';

describe('historyRetentionDays', () => {
  it('is 14 days when HISTORY_RETENTION_DAYS is unset or blank', () => {
    expect(DEFAULT_HISTORY_RETENTION_DAYS).toBe(14);
    expect(historyRetentionDays({})).toBe(14);
    expect(historyRetentionDays({ HISTORY_RETENTION_DAYS: '  ' })).toBe(14);
  });

  it('reads a whole number of days from 1 to 365', () => {
    expect(historyRetentionDays({ HISTORY_RETENTION_DAYS: '1' })).toBe(1);
    expect(historyRetentionDays({ HISTORY_RETENTION_DAYS: ' 90 ' })).toBe(90);
    expect(historyRetentionDays({ HISTORY_RETENTION_DAYS: '365' })).toBe(365);
  });

  it('fails naming the variable for anything else', () => {
    for (const value of ['0', '366', '7.5', '-3', '2w', 'ten', '1e2']) {
      const error: unknown = (() => {
        try {
          return historyRetentionDays({ HISTORY_RETENTION_DAYS: value });
        } catch (thrown) {
          return thrown;
        }
      })();
      expect(error, value).toBeInstanceOf(ConfigError);
      expect(error, value).toHaveProperty('variable', 'HISTORY_RETENTION_DAYS');
      expect(error, value).toHaveProperty('message', `environment variable HISTORY_RETENTION_DAYS must be a whole number of days from 1 to 365, got ${JSON.stringify(value)}`);
    }
  });

  it('reads process.env by default', () => {
    vi.stubEnv('HISTORY_RETENTION_DAYS', '30');
    expect(historyRetentionDays()).toBe(30);
  });
});
