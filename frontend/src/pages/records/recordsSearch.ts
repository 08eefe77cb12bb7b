import { isRealDate } from '../../lib/dates';

/** Where a new note starts: a patient, and the session (appointment) and day it is about. */
export interface EntryCreateSearch {
  patientId?: string;
  appointmentId?: string;
  date?: string;
  episodeId?: string;
}

/** What the audit view keeps in its URL (dates are calendar days, both included). */
export interface AuditListSearch {
  patientId?: string;
  userId?: string;
  from?: string;
  to?: string;
  page?: number;
}

function text(value: unknown): string | undefined {
  return typeof value === 'string' && value.trim() ? value.trim() : undefined;
}

function dateOf(value: unknown): string | undefined {
  return typeof value === 'string' && isRealDate(value) ? value : undefined;
}

function pageOf(value: unknown): number | undefined {
  const page = Number(value);
  return Number.isInteger(page) && page > 1 ? page : undefined;
}

/** Drop the undefined members, so the URL only says what was chosen. */
function defined<T extends object>(search: T): T {
  return Object.fromEntries(Object.entries(search).filter(([, value]) => value !== undefined)) as T;
}

export function parseEntryCreateSearch(search: Record<string, unknown>): EntryCreateSearch {
  return defined({
    patientId: text(search.patientId),
    appointmentId: text(search.appointmentId),
    date: dateOf(search.date),
    episodeId: text(search.episodeId),
  });
}

export function parseAuditSearch(search: Record<string, unknown>): AuditListSearch {
  return defined({
    patientId: text(search.patientId),
    userId: text(search.userId),
    from: dateOf(search.from),
    to: dateOf(search.to),
    page: pageOf(search.page),
  });
}
