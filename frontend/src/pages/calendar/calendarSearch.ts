import { localIsoDate } from '../../lib/dates';

// Kept apart from CalendarView so the router can read the URL without loading FullCalendar.
export const CALENDAR_VIEWS = ['timeGridWeek', 'timeGridDay', 'practitionerDay', 'dayGridMonth', 'listDay'] as const;
export type CalendarViewName = (typeof CALENDAR_VIEWS)[number];

/** `/calendar?date=&view=&practitionerId=&patientId=`: what to show, and whom to book. */
export interface CalendarSearch {
  date?: string;
  view?: CalendarViewName;
  practitionerId?: string;
  patientId?: string;
}

const ISO_DATE = /^\d{4}-\d{2}-\d{2}$/;

/** The calendar's search params, dropping anything malformed. */
export function parseCalendarSearch(search: Record<string, unknown>): CalendarSearch {
  const parsed: CalendarSearch = {};
  if (typeof search.date === 'string' && ISO_DATE.test(search.date)) parsed.date = search.date;
  if (typeof search.view === 'string' && (CALENDAR_VIEWS as readonly string[]).includes(search.view)) {
    parsed.view = search.view as CalendarViewName;
  }
  for (const key of ['practitionerId', 'patientId'] as const) {
    const value = search[key];
    if (typeof value === 'string' && value.length > 0 && value.length <= 64) parsed[key] = value;
  }
  return parsed;
}

/** The calendar's search params that open it on the local day of `moment`. */
export function calendarDay(moment: string | Date): { date: string } {
  return { date: localIsoDate(new Date(moment)) };
}
