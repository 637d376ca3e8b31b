import { describe, expect, it } from 'vitest';
import { expirySeconds, historyBounds, historySortKey } from '../../../lib/history/query.ts';
import { sampleStoppedTask } from '../../support/store-contract.ts';

describe('historyBounds', () => {
  it('puts the times in the form entries are keyed by, and judges expiry by the clock when no `now` is given', () => {
    expect(historyBounds({ cluster: 'prod', since: '2025-03-14T09:00:00Z', until: '2025-03-14T11:00:00+01:00', limit: 5 }, () => Date.parse('2025-03-14T10:00:00.900Z'))).toEqual({
      since: '2025-03-14T09:00:00.000Z',
      until: '2025-03-14T10:00:00.000Z',
      limit: 5,
      nowSeconds: Date.parse('2025-03-14T10:00:00Z') / 1000,
      empty: false,
    });
    expect(historyBounds({ cluster: 'prod', since: '2025-03-14T09:00:00Z', now: '2025-03-20T00:00:00Z' }, () => 0)).toMatchObject({ until: null, limit: null, nowSeconds: Date.parse('2025-03-20T00:00:00Z') / 1000 });
  });

  it('marks a window whose end is not after its start as empty', () => {
    expect(historyBounds({ cluster: 'prod', since: '2025-03-14T09:00:00Z', until: '2025-03-14T09:00:00.000Z' }).empty).toBe(true);
  });

  it('names the field that is wrong', () => {
    expect(() => historyBounds({ cluster: 'prod', since: 'soon' })).toThrow('stopped-task query: since is not a time: "soon"');
    expect(() => historyBounds({ cluster: 'prod', since: '2025-03-14', until: 'later' })).toThrow('until is not a time');
    expect(() => historyBounds({ cluster: 'prod', since: '2025-03-14', now: 'now' })).toThrow('now is not a time');
    expect(() => historyBounds({ cluster: 'prod', since: '2025-03-14', limit: -1 })).toThrow('limit must be a whole number of at least 1, got -1');
  });
});

describe('historySortKey', () => {
  it('sorts by time, then task, and never equals a bare time', () => {
    const early = historySortKey(sampleStoppedTask({ time: '2025-03-14T09:00:00.000Z', task: 'z' }));
    const late = historySortKey(sampleStoppedTask({ time: '2025-03-14T09:00:00.001Z', task: 'a' }));

    expect(early < late).toBe(true);
    expect(early > '2025-03-14T09:00:00.000Z').toBe(true);
    expect(early < '2025-03-14T09:00:00.001Z').toBe(true);
  });
});

describe('expirySeconds', () => {
  it('is the epoch seconds TTL compares, and refuses what is not a time', () => {
    expect(expirySeconds('2025-03-28T09:26:51.999Z')).toBe(Date.parse('2025-03-28T09:26:51Z') / 1000);
    expect(() => expirySeconds('never')).toThrow(RangeError);
  });
});
