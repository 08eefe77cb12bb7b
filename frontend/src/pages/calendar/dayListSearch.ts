import { isRealDate } from '../../lib/dates';

// Kept apart from the page so the router can read the URL without loading the page's chunk.

/** `/calendar/day-list?date=&practitionerId=`: whose day, and which; the page asks for what is missing. */
export interface DayListSearch {
  date?: string;
  practitionerId?: string;
}

/** The day list's search params, dropping anything malformed. */
export function parseDayListSearch(search: Record<string, unknown>): DayListSearch {
  const parsed: DayListSearch = {};
  if (typeof search.date === 'string' && isRealDate(search.date)) parsed.date = search.date;
  const id = search.practitionerId;
  if (typeof id === 'string' && id.length > 0 && id.length <= 64) parsed.practitionerId = id;
  return parsed;
}
