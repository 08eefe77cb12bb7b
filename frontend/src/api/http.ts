import axios, { type AxiosResponse } from 'axios';
import type { components } from './schema';

/** The one HTTP client of the app: same origin (the gateway), JSON, a bounded wait. */
export const http = axios.create({
  timeout: 15_000,
  headers: { Accept: 'application/json, application/problem+json' },
});

/** A schema of the gateway's merged OpenAPI, generated into schema.d.ts by `make api-types`. */
export type Schema<Name extends keyof components['schemas']> = components['schemas'][Name];

/**
 * `T` with every field required but those named: the app always states the whole resource it
 * sends (a PUT replaces it), so forgetting a field is a type error, not a silent server default.
 */
export type Full<T, Optional extends keyof T = never> = Required<Omit<T, Optional>> &
  Pick<T, Optional>;

/** The documents every collection endpoint answers with. */
export interface Collection<T> {
  member: T[];
  view?: Schema<'CollectionView'> | null;
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
