import { AxiosHeaders, isAxiosError } from 'axios';
import type { TranslationKey } from '../i18n/catalogs';
import type { Translate } from '../i18n/i18n';

/** One bad field named by the server (`errors[]` of a problem+json document). */
export interface FieldError {
  field: string;
  message: string;
}

export type ApiErrorKind = 'http' | 'network' | 'timeout';

/** A failed API call, whatever failed: the server's problem document or no answer at all. */
export class ApiError extends Error {
  readonly kind: ApiErrorKind;
  readonly status: number | null;
  readonly title: string | null;
  readonly detail: string | null;
  readonly fieldErrors: readonly FieldError[];
  /** Seconds to wait before trying again (429), from the body or the Retry-After header. */
  readonly retryAfter: number | null;
  /** A machine-readable reason some problems carry (`settings_incomplete`), to pick a message. */
  readonly code: string | null;

  constructor(init: {
    kind: ApiErrorKind;
    status?: number | null;
    title?: string | null;
    detail?: string | null;
    fieldErrors?: readonly FieldError[];
    retryAfter?: number | null;
    code?: string | null;
  }) {
    super(init.detail ?? init.title ?? init.kind);
    this.name = 'ApiError';
    this.kind = init.kind;
    this.status = init.status ?? null;
    this.title = init.title ?? null;
    this.detail = init.detail ?? null;
    this.fieldErrors = init.fieldErrors ?? [];
    this.retryAfter = init.retryAfter ?? null;
    this.code = init.code ?? null;
  }

  /** Whether the server (or the gateway) could not be reached or could not answer. */
  get unreachable(): boolean {
    return this.kind !== 'http' || this.status === 502 || this.status === 503 || this.status === 504;
  }
}

function asRecord(value: unknown): Record<string, unknown> {
  return value !== null && typeof value === 'object' ? (value as Record<string, unknown>) : {};
}

function text(value: unknown): string | null {
  return typeof value === 'string' && value.trim() ? value : null;
}

function parseFieldErrors(value: unknown): FieldError[] {
  if (!Array.isArray(value)) return [];
  return value.flatMap((item) => {
    const record = asRecord(item);
    const field = text(record.field);
    return field ? [{ field, message: text(record.message) ?? '' }] : [];
  });
}

function parseRetryAfter(body: unknown, header: unknown): number | null {
  const fromBody = asRecord(body).retryAfter;
  if (typeof fromBody === 'number' && Number.isFinite(fromBody) && fromBody >= 0) {
    return Math.ceil(fromBody);
  }
  if (typeof header === 'string' && /^\d+$/.test(header.trim())) return Number(header.trim());
  if (typeof header === 'string') {
    const date = Date.parse(header); // Retry-After may also be an HTTP date
    if (!Number.isNaN(date)) return Math.max(0, Math.ceil((date - Date.now()) / 1000));
  }
  return null;
}

function retryAfterHeader(headers: unknown): unknown {
  return AxiosHeaders.from(headers as Record<string, string>).get('retry-after');
}

/** Turn anything a request threw into an ApiError (problem+json when the server sent one). */
export function toApiError(error: unknown): ApiError {
  if (error instanceof ApiError) return error;
  if (!isAxiosError(error)) return new ApiError({ kind: 'network', detail: String(error) });
  if (error.code === 'ECONNABORTED' || error.code === 'ETIMEDOUT') {
    return new ApiError({ kind: 'timeout' });
  }
  const response = error.response;
  if (!response) return new ApiError({ kind: 'network' });
  const body = asRecord(response.data);
  return new ApiError({
    kind: 'http',
    status: response.status,
    title: text(body.title),
    detail: text(body.detail),
    fieldErrors: parseFieldErrors(body.errors),
    retryAfter: parseRetryAfter(body, retryAfterHeader(response.headers)),
    code: text(body.code),
  });
}

/**
 * Whether `error` is the 409 of a retried create whose first request (same Idempotency-Key) is
 * still running on the server: nothing is wrong, the answer is just not there yet.
 */
export function isStillProcessing(error: ApiError): boolean {
  return error.status === 409 && /still being processed/i.test(error.detail ?? '');
}

/** The translation key of a readable message for `error` (not about any one field). */
export function errorMessageKey(error: ApiError): TranslationKey {
  if (error.kind === 'timeout') return 'errors.timeout';
  if (error.kind === 'network') return 'errors.serverUnreachable';
  switch (error.status) {
    case 400:
    case 422:
      return 'errors.validation';
    case 401:
      return 'session.expired';
    case 403:
      return 'errors.forbidden';
    case 404:
      return 'errors.notFound';
    case 409:
      return isStillProcessing(error) ? 'errors.stillProcessing' : 'errors.conflict';
    case 412:
      return 'errors.staleEdit';
    case 429:
      return 'errors.tooManyRequests';
    case 502:
    case 503:
    case 504:
      return 'errors.serviceUnavailable';
    default:
      return 'errors.generic';
  }
}

/** A readable, translated message for `error`. */
export function errorMessage(error: unknown, t: Translate): string {
  const apiError = toApiError(error);
  return t(errorMessageKey(apiError), { seconds: apiError.retryAfter ?? 60 });
}

/** The server's field errors keyed by top-level field (`roles.0` counts as `roles`). */
export function fieldErrorsByName(error: ApiError): Map<string, FieldError> {
  const byName = new Map<string, FieldError>();
  for (const item of error.fieldErrors) {
    const name = item.field.split('.')[0] ?? item.field;
    if (!byName.has(name)) byName.set(name, item);
  }
  return byName;
}
