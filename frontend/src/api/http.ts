import axios, { type AxiosResponse } from 'axios';

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

/** A resource and the ETag a later PUT must send in If-Match. */
export interface Versioned<T> {
  data: T;
  etag: string;
}

/** The resource of `response` with its ETag (from its version when the header is missing). */
export function versioned<T extends { version: number }>(response: AxiosResponse<T>): Versioned<T> {
  const header: unknown = response.headers.etag;
  const etag = typeof header === 'string' && header ? header : `"${response.data.version}"`;
  return { data: response.data, etag };
}
