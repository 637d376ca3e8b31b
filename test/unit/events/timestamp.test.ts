import { describe, expect, it } from 'vitest';
import { timestampMs } from '../../../lib/events/timestamp.ts';

describe('timestampMs', () => {
  it('reads the nanoseconds of hook and daemon events down to the millisecond, cutting rather than rounding', () => {
    expect(timestampMs('2026-03-05T15:54:41.618059641Z')).toBe(Date.UTC(2026, 2, 5, 15, 54, 41, 618));
    expect(timestampMs('2026-03-05T15:54:41.999999999Z')).toBe(Date.UTC(2026, 2, 5, 15, 54, 41, 999));
  });

  it.each([
    ['2026-03-24T12:00:00.000Z', Date.UTC(2026, 2, 24, 12)],
    ['2026-03-05T16:04:41Z', Date.UTC(2026, 2, 5, 16, 4, 41)],
    ['2026-03-05T15:54:41.6Z', Date.UTC(2026, 2, 5, 15, 54, 41, 600)],
    ['2026-03-05T17:54:41.618+02:00', Date.UTC(2026, 2, 5, 15, 54, 41, 618)],
    ['2026-03-05T10:24:41-05:30', Date.UTC(2026, 2, 5, 15, 54, 41)],
    ['2024-02-29T00:00:00Z', Date.UTC(2024, 1, 29)],
  ])('reads %s', (text, ms) => {
    expect(timestampMs(text)).toBe(ms);
  });

  it('keeps a two-digit year as that year, not as 19xx', () => {
    expect(new Date(timestampMs('0050-01-01T00:00:00Z') ?? Number.NaN).getUTCFullYear()).toBe(50);
  });

  it.each([
    [undefined],
    [null],
    [''],
    ['1'],
    ['2026-03-05'],
    ['2026-03-05 15:54:41Z'],
    ['2026-02-29T00:00:00Z'],
    ['2026-13-01T00:00:00Z'],
    ['2026-03-05T24:00:00Z'],
    ['2026-03-05T15:60:00Z'],
    ['2026-03-05T15:54:41.1234567890Z'],
    ['2026-03-05T15:54:41+24:00'],
    ['Wed, 05 Mar 2026 15:54:41 GMT'],
  ])('gives null for %j, which is no ECS timestamp', (text) => {
    expect(timestampMs(text)).toBeNull();
  });
});
