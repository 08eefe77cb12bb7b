import { isAxiosError } from 'axios';
import type { Locale } from '../i18n/catalogs';
import { type Collection, http, type Versioned, versioned } from './http';

export const PATIENTS_PER_PAGE = 15;

export type Sex = 'female' | 'male' | 'other';
export type PatientStatus = 'active' | 'inactive';

export interface Address {
  street: string | null;
  city: string | null;
  postalCode: string | null;
  province: string | null;
  country: string | null;
}

export interface EmergencyContact {
  name: string | null;
  phone: string | null;
}

/** What staff may type about a patient: the body of `POST /api/patients`. */
export interface PatientCreate {
  firstName: string;
  lastName: string;
  taxId: string | null;
  birthDate: string | null;
  sex: Sex | null;
  email: string | null;
  phone: string | null;
  address: Address | null;
  occupation: string | null;
  referralSource: string | null;
  emergencyContact: EmergencyContact | null;
  notes: string | null;
  preferredLocale: Locale;
  dataConsentAt: string | null;
  status?: PatientStatus;
}

/** `PUT /api/patients/{id}`: a full replacement, status included. */
export interface PatientUpdate extends PatientCreate {
  status: PatientStatus;
}

/** A patient as every page sees it. */
export interface Patient extends PatientUpdate {
  id: string;
  fullName: string;
  lastVisitAt: string | null;
  nextAppointmentAt: string | null;
  createdAt: string;
  updatedAt: string;
  version: number;
}

/** Another patient the new data may describe (`reason` only from the duplicate check). */
export interface DuplicateCandidate {
  id: string;
  fullName: string;
  birthDate: string | null;
  taxId: string | null;
  reason?: 'taxId' | 'similarName';
}

/** `POST /api/patients` answers the new patient and any look-alikes already registered. */
export interface RegisteredPatient extends Patient {
  possibleDuplicates: DuplicateCandidate[];
}

export interface PatientSearch {
  search?: string;
  fuzzy?: boolean;
  status?: PatientStatus;
  page: number;
}

export interface DuplicateQuery {
  firstName: string;
  lastName: string;
  birthDate?: string;
  taxId?: string;
  excludeId?: string;
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

/** Register a patient (409 when the tax id is already registered). */
export async function createPatient(body: PatientCreate): Promise<RegisteredPatient> {
  const { data } = await http.post<RegisteredPatient>('/api/patients', body);
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
