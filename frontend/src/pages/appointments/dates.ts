import { localIsoDate } from '../patients/patientChecks';

const pad = (value: number) => String(value).padStart(2, '0');

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

/** The calendar's search params that open it on the local day of `moment`. */
export function calendarDay(moment: string | Date): { date: string } {
  return { date: localIsoDate(new Date(moment)) };
}
