import { isAxiosError } from 'axios';
import { type Collection, type Full, http, type Schema, type Versioned, versioned } from './http';
import { idempotencyHeaders } from './idempotency';

export const PATIENTS_PER_PAGE = 15;

/** A patient as every page sees it. */
export type Patient = Schema<'PatientPublic'>;
export type Sex = NonNullable<Patient['sex']>;
export type PatientStatus = Patient['status'];

/** What staff may type about a patient: `POST /api/patients` (the server sets the status). */
export type PatientCreate = Full<Schema<'PatientCreate'>, 'status'>;

/** `PUT /api/patients/{id}`: a full replacement, status included. */
export type PatientUpdate = Full<Schema<'PatientUpdate'>>;

/** Another patient the new data may describe (`reason` only from the duplicate check). */
export type DuplicateCandidate = Schema<'DuplicatePublic'> & {
  reason?: Schema<'DuplicateMatch'>['reason'];
};

/** `POST /api/patients` answers the new patient and any look-alikes already registered. */
export type RegisteredPatient = Schema<'PatientSaved'>;

/** `POST /api/patients/duplicate-check`. */
export type DuplicateQuery = Schema<'DuplicateCheck'>;

/** The list's criteria, sent as query parameters. */
export interface PatientSearch {
  search?: string;
  fuzzy?: boolean;
  status?: PatientStatus;
  page: number;
}

const path = (id: string) => `/api/patients/${encodeURIComponent(id)}`;

/** One page of patients matching `query` (no total: the view says whether a next page exists). */
export async function listPatients(query: PatientSearch): Promise<Collection<Patient>> {
  const params: Record<string, string | number | boolean> = {
    page: query.page,
    itemsPerPage: PATIENTS_PER_PAGE,
  };
  if (query.search) params.search = query.search;
  if (query.search && query.fuzzy) params.fuzzy = true;
  if (query.status) params.status = query.status;
  const { data } = await http.get<Collection<Patient>>('/api/patients', { params });
  return data;
}

/** One patient with the ETag a later PUT must send in If-Match. */
export async function getPatient(id: string): Promise<Versioned<Patient>> {
  return versioned(await http.get<Patient>(path(id)));
}

/**
 * Register a patient (409 when the tax id is already registered). With `idempotencyKey`, a retry
 * of the same body gets the first answer back instead of registering the patient twice.
 */
export async function createPatient(
  body: PatientCreate,
  idempotencyKey?: string,
): Promise<RegisteredPatient> {
  const { data } = await http.post<RegisteredPatient>('/api/patients', body, {
    headers: idempotencyHeaders(idempotencyKey),
  });
  return data;
}

/** Replace a patient's fields, if nobody changed them since `etag` (else 412). */
export async function updatePatient(
  id: string,
  body: PatientUpdate,
  etag: string,
): Promise<Versioned<Patient>> {
  return versioned(await http.put<Patient>(path(id), body, { headers: { 'If-Match': etag } }));
}

/** Registered patients the typed data may describe: same tax id, or a similar name and birth date. */
export async function checkDuplicates(query: DuplicateQuery): Promise<DuplicateCandidate[]> {
  const { data } = await http.post<Collection<DuplicateCandidate>>(
    '/api/patients/duplicate-check',
    query,
  );
  return data.member;
}

/** The patient a 409 on the tax id names as already registered with it. */
export function existingPatientId(error: unknown): string | null {
  if (!isAxiosError(error)) return null;
  const body: unknown = error.response?.data;
  if (body === null || typeof body !== 'object') return null;
  const id = (body as Record<string, unknown>).existingPatientId;
  return typeof id === 'string' && id ? id : null;
}
