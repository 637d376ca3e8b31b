/**
 * ISO 8601 as ECS writes its detail timestamps: `createdAt` with milliseconds (`2026-03-24T12:00:00.000Z`), and the
 * 2026 hook and daemon events' `updatedAt` with nanoseconds (`2026-03-05T15:54:41.618059641Z`, examples of
 * https://docs.aws.amazon.com/AmazonECS/latest/developerguide/ecs_hook_state_change_events.html and
 * https://docs.aws.amazon.com/AmazonECS/latest/developerguide/managed-daemons-events.html). An offset instead of `Z`
 * is read too.
 */
const ISO_TIMESTAMP = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2}):(\d{2})(?:\.(\d{1,9}))?(Z|[+-]\d{2}:\d{2})$/u;

/** `Date.UTC`, without its reading of years 0 to 99 as 1900 to 1999. */
function utc(year: number, monthIndex: number, day: number, hour = 0, minute = 0, second = 0, millis = 0): number {
  const date = new Date(Date.UTC(2000, 0, 1, hour, minute, second, millis));
  date.setUTCFullYear(year, monthIndex, day);
  return date.getTime();
}

function isCalendarDate(year: number, month: number, day: number): boolean {
  if (month < 1 || month > 12 || day < 1) return false;
  // Day 0 of the next month is the last day of this one.
  return day <= new Date(utc(year, month, 0)).getUTCDate();
}

/**
 * Milliseconds since the epoch of an ECS timestamp, or null when it is absent or not an ISO 8601 time (a date parser
 * would read `"1"` as the year 2001 and roll `02-30` over into March; neither is a time ECS sent). Digits past the
 * millisecond are cut, not rounded, so a time never moves later than the event said; keep the text as well where
 * events within one millisecond must be told apart.
 *
 * @example timestampMs('2026-03-05T15:54:41.618059641Z') // 1772726081618
 */
export function timestampMs(text: string | null | undefined): number | null {
  if (text === null || text === undefined) return null;
  const match = ISO_TIMESTAMP.exec(text);
  if (match === null) return null;
  const [, year = '', month = '', day = '', hour = '', minute = '', second = '', fraction = '', zone = 'Z'] = match;
  const [y, mo, d, h, mi, s] = [year, month, day, hour, minute, second].map(Number) as [number, number, number, number, number, number];
  if (!isCalendarDate(y, mo, d) || h > 23 || mi > 59 || s > 59) return null;
  const millis = Number(fraction.padEnd(3, '0').slice(0, 3));
  let offsetMinutes = 0;
  if (zone !== 'Z') {
    const sign = zone.startsWith('-') ? -1 : 1;
    const [offsetHours = 0, offsetMins = 0] = zone.slice(1).split(':').map(Number);
    if (offsetHours > 23 || offsetMins > 59) return null;
    offsetMinutes = sign * (offsetHours * 60 + offsetMins);
  }
  return utc(y, mo - 1, d, h, mi, s, millis) - offsetMinutes * 60_000;
}
