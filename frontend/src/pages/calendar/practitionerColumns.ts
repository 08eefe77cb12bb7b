import type { WorkingHours } from '../../api/appointments';
import { mondayFirstWeekday, nextFullHour } from '../../lib/dates';

/** When nobody's hours say otherwise, a day's booking starts at nine. */
const OPENING_HOUR = 9;

/**
 * The time "Reservar con …" of a column starts the booking at: the physiotherapist's first
 * working hour that day (nine without hours), or the next full hour when that has gone by today.
 */
export function bookingStartFor(day: Date, hours: WorkingHours | undefined, now: Date): Date {
  const weekday = mondayFirstWeekday(day);
  const first = hours?.periods
    .filter((period) => period.weekday === weekday)
    .map((period) => period.start)
    .toSorted()[0];
  const start = new Date(day);
  const [hour, minute] = first ? first.split(':').map(Number) : [OPENING_HOUR, 0];
  start.setHours(hour ?? OPENING_HOUR, minute ?? 0, 0, 0);
  if (start.getTime() < now.getTime()) {
    const next = nextFullHour(now);
    const sameDay = next.toDateString() === start.toDateString();
    if (sameDay) return next;
  }
  return start;
}

/**
 * The weekdays (FullCalendar's: 0 = Sunday) to leave out of the grid: Saturday and Sunday when
 * none of the physiotherapists shown works then and nothing loaded falls on them. Until the
 * hours are in, nothing is hidden.
 */
export function hiddenWeekendDays(
  hours: readonly WorkingHours[] | null,
  appointmentStarts: readonly string[],
): number[] {
  if (!hours || hours.length === 0) return [];
  const worked = new Set(hours.flatMap((h) => h.periods.map((period) => period.weekday)));
  const booked = new Set(appointmentStarts.map((start) => new Date(start).getDay()));
  // The API's weekday 5 is Saturday (FullCalendar's 6), its 6 Sunday (FullCalendar's 0).
  const hidden: number[] = [];
  if (!worked.has(5) && !booked.has(6)) hidden.push(6);
  if (!worked.has(6) && !booked.has(0)) hidden.push(0);
  return hidden;
}
