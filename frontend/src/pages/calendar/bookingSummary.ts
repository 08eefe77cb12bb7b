import type { Locale } from '../../i18n/catalogs';
import { formatDate, formatTime } from '../../i18n/format';
import type { Translate } from '../../i18n/i18n';
import { addDays, mondayFirstWeekday } from '../../lib/dates';
import { type BookingDraft, MAX_SESSIONS } from './bookingDraft';

/**
 * The local start of every session `draft` books, as the scheduling API lays them out: the first
 * start, then the same wall-clock time on each later day whose weekday is ticked (the start's own
 * weekday always counts), until `count` sessions. Empty while the draft cannot be booked as is.
 */
export function sessionStarts(draft: BookingDraft): Date[] {
  const first = new Date(draft.start);
  if (!draft.start || Number.isNaN(first.getTime())) return [];
  if (!draft.repeat || draft.kind !== 'appointment') return [first];
  if (draft.weekdays.length === 0) return [];
  if (!Number.isInteger(draft.count) || draft.count < 2 || draft.count > MAX_SESSIONS) return [];
  const days = new Set([...draft.weekdays, mondayFirstWeekday(first)]);
  const starts = [first];
  for (let day = addDays(first, 1); starts.length < draft.count; day = addDays(day, 1)) {
    if (days.has(mondayFirstWeekday(day))) starts.push(day);
  }
  return starts;
}

function weekdayName(date: Date, t: Translate): string {
  return t(`calendar.weekdayName${mondayFirstWeekday(date)}` as 'calendar.weekdayName0');
}

/** "lunes", "lunes y jueves", "lunes, miércoles y viernes". */
function listed(names: readonly string[], t: Translate): string {
  if (names.length < 2) return names.join('');
  return t('calendar.listAnd', { first: names.slice(0, -1).join(', '), last: names.at(-1)! });
}

/**
 * What is (to be) booked, in words: "martes 8 dic 2026, 10:00" for one session, "10 sesiones,
 * martes 10:00, 8 dic 2026 → 9 feb 2027" for a series (its weekdays Monday first).
 */
export function describeSessions(starts: readonly Date[], t: Translate, locale: Locale): string {
  const first = starts[0];
  const last = starts.at(-1);
  if (!first || !last) return '';
  const time = formatTime(first, locale);
  if (starts.length === 1) {
    return t('calendar.summary.one', { weekday: weekdayName(first, t), date: formatDate(first, locale), time });
  }
  const byWeekday = new Map(starts.map((start) => [mondayFirstWeekday(start), start]));
  const weekdays = [...byWeekday.keys()].toSorted((a, b) => a - b).map((day) => weekdayName(byWeekday.get(day)!, t));
  return t('calendar.summary.series', {
    count: starts.length,
    weekdays: listed(weekdays, t),
    time,
    first: formatDate(first, locale),
    last: formatDate(last, locale),
  });
}
