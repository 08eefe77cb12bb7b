// Dates and times as the clinic writes them, whatever the browser's language: 31/12/2026 and
// 24-hour 09:30. The rest of the app speaks ISO (`2026-12-31`, `09:30`, `2026-12-31T09:30`).

import { isRealDate, localIsoDate } from './dates';

const pad = (value: number) => String(value).padStart(2, '0');

/** `2026-12-31` → `31/12/2026`; anything else is given back as it is (half-typed text). */
export function isoToDisplayDate(value: string): string {
  const match = /^(\d{4})-(\d{2})-(\d{2})$/.exec(value);
  return match ? `${match[3]}/${match[2]}/${match[1]}` : value;
}

/**
 * What was typed as an ISO date, or null when it is not a real day: `31/12/2026`, `1/2/2026`,
 * `1-2-2026`, `1.2.2026`, `31122026`, and a pasted `2026-12-31`. The year has four digits.
 */
export function parseDisplayDate(text: string): string | null {
  const typed = text.trim();
  const iso = /^(\d{4})-(\d{1,2})-(\d{1,2})$/.exec(typed);
  const parts = iso
    ? [iso[3], iso[2], iso[1]]
    : (/^(\d{1,2})[/.\-\s](\d{1,2})[/.\-\s](\d{4})$/.exec(typed) ?? /^(\d{2})(\d{2})(\d{4})$/.exec(typed))?.slice(1, 4);
  if (!parts) return null;
  const [day, month, year] = parts.map(Number) as [number, number, number];
  const value = `${year}-${pad(month)}-${pad(day)}`;
  return isRealDate(value) ? value : null;
}

/** The ISO day `days` after `value` (before, when negative); today when `value` is not a day. */
export function shiftIsoDate(value: string, days: number, months = 0): string {
  if (!isRealDate(value)) return localIsoDate();
  const [year, month, day] = value.split('-').map(Number) as [number, number, number];
  const target = new Date(Date.UTC(year, month - 1 + months, 1));
  // A month later than 31 January is the last of February, not 3 March.
  const lastDay = new Date(Date.UTC(target.getUTCFullYear(), target.getUTCMonth() + 1, 0)).getUTCDate();
  target.setUTCDate(Math.min(day, lastDay) + days);
  return target.toISOString().slice(0, 10);
}

/** Whether `value` is a 24-hour `HH:MM`. */
export function isTime(value: string): boolean {
  return /^([01]\d|2[0-3]):[0-5]\d$/.test(value);
}

/** What was typed as `HH:MM` (24-hour), or null: `9:30`, `09.30`, `930`, `0930`, `9h30`, `9`. */
export function parseTime(text: string): string | null {
  const typed = text.trim().toLowerCase();
  const match =
    /^(\d{1,2})(?:[:.h\s](\d{2}))?$/.exec(typed) ?? /^(\d{1,2})(\d{2})$/.exec(typed);
  if (!match) return null;
  const hours = Number(match[1]);
  const minutes = Number(match[2] ?? '0');
  if (hours > 23 || minutes > 59) return null;
  return `${pad(hours)}:${pad(minutes)}`;
}

/** `HH:MM` moved by `minutes`, round the clock; `value` when it is not a time. */
export function shiftTime(value: string, minutes: number): string {
  if (!isTime(value)) return value;
  const [hours, mins] = value.split(':').map(Number) as [number, number];
  const total = (((hours * 60 + mins + minutes) % 1440) + 1440) % 1440;
  return `${pad(Math.floor(total / 60))}:${pad(total % 60)}`;
}

/** Whether `value` is `YYYY-MM-DDTHH:MM` naming a real day and time (the clinic's wall clock). */
export function isLocalDateTime(value: string): boolean {
  const [date = '', time = '', ...rest] = value.split('T');
  return rest.length === 0 && isRealDate(date) && isTime(time);
}
