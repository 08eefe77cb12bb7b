// Dates as the clinic's pages need them. The browser is assumed to be in the clinic's time zone,
// so "local" here is the clinic's wall clock; instants travel to the API as ISO strings.

const ISO_DATE = /^\d{4}-\d{2}-\d{2}$/;
const MINUTE_MS = 60_000;

const pad = (value: number) => String(value).padStart(2, '0');

/** `YYYY-MM-DD` of `date` in the browser's calendar, not UTC's (today by default). */
export function localIsoDate(date = new Date()): string {
  return `${date.getFullYear()}-${pad(date.getMonth() + 1)}-${pad(date.getDate())}`;
}

/** Whether `value` is `YYYY-MM-DD` naming a day that exists (no 30 February). */
export function isRealDate(value: string): boolean {
  if (!ISO_DATE.test(value)) return false;
  const date = new Date(`${value}T00:00:00Z`);
  return !Number.isNaN(date.getTime()) && date.toISOString().startsWith(value);
}

/** The value of a `datetime-local` input for `date` (local time, to the minute). */
export function toLocalInput(date: Date): string {
  return `${localIsoDate(date)}T${pad(date.getHours())}:${pad(date.getMinutes())}`;
}

/**
 * `date` as local wall-clock time with the browser's offset, e.g. "2026-11-27T00:00:00+01:00".
 * The scheduling API reads a time without an offset as the clinic's; with one, nothing is
 * left to guess when the browser sits in another time zone.
 */
export function isoWithOffset(date: Date): string {
  const minutes = -date.getTimezoneOffset();
  const sign = minutes < 0 ? '-' : '+';
  const offset = `${sign}${pad(Math.floor(Math.abs(minutes) / 60))}:${pad(Math.abs(minutes) % 60)}`;
  const time = `${pad(date.getHours())}:${pad(date.getMinutes())}:${pad(date.getSeconds())}`;
  return `${localIsoDate(date)}T${time}${offset}`;
}

/** Local midnight of `day` and of the day after (a DST day has 23 or 25 hours). */
export function dayBounds(day: Date): { start: Date; end: Date } {
  return {
    start: new Date(day.getFullYear(), day.getMonth(), day.getDate()),
    end: new Date(day.getFullYear(), day.getMonth(), day.getDate() + 1),
  };
}

/** The same wall-clock time `days` calendar days away (not `days` × 24 hours: DST days differ). */
export function addDays(date: Date, days: number): Date {
  const moved = new Date(date);
  moved.setDate(moved.getDate() + days);
  return moved;
}

/** The instant `minutes` after `date` (an appointment's end from its start and length). */
export function addMinutes(date: Date, minutes: number): Date {
  return new Date(date.getTime() + minutes * MINUTE_MS);
}

/** The weekday of `date` numbered as the scheduling API does: 0 Monday … 6 Sunday. */
export function mondayFirstWeekday(date: Date): number {
  return (date.getDay() + 6) % 7;
}

/** The next o'clock after `now` (10:00 → 11:00, 10:59 → 11:00). */
export function nextFullHour(now: Date): Date {
  const next = new Date(now);
  next.setMinutes(0, 0, 0);
  next.setHours(next.getHours() + 1);
  return next;
}

/** Whole minutes between two instants. */
export function minutesBetween(start: Date, end: Date): number {
  return Math.round((end.getTime() - start.getTime()) / MINUTE_MS);
}
