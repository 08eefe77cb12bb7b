import type { PatientStatus } from '../../api/patients';

/** What the patient list keeps in its URL, so a search survives reloads and the back button. */
export interface PatientListSearch {
  q?: string;
  fuzzy?: boolean;
  status?: PatientStatus;
  page?: number;
}

/** The list's URL search parameters, with anything unexpected dropped. */
export function parsePatientListSearch(search: Record<string, unknown>): PatientListSearch {
  const result: PatientListSearch = {};
  // A query of digits (a phone number) comes back from the URL as a number.
  const q = typeof search.q === 'number' ? String(search.q) : search.q;
  if (typeof q === 'string' && q.trim()) result.q = q;
  if (search.fuzzy === true || search.fuzzy === 'true') result.fuzzy = true;
  if (search.status === 'active' || search.status === 'inactive') result.status = search.status;
  const page = Number(search.page);
  if (Number.isInteger(page) && page > 1) result.page = page;
  return result;
}
