import axios from 'axios';

/** The one HTTP client of the app: same origin (the gateway), JSON, a bounded wait. */
export const http = axios.create({
  timeout: 15_000,
  headers: { Accept: 'application/json, application/problem+json' },
});

/** The documents every collection endpoint answers with. */
export interface Collection<T> {
  member: T[];
  view?: { first: string; previous?: string | null; next?: string | null } | null;
}
