import { isAxiosError } from 'axios';
import { type Collection, http, type Schema, type Versioned, versioned } from './http';
import { idempotencyHeaders } from './idempotency';

// The records service's API (issue 13): a patient's clinical history (entries in SOAP form,
// signed and amended, never deleted), episodes of care, templates, the sessions still without a
// note, the read audit and the series of pain. Typed by hand where the app knows more than the
// OpenAPI document says (an instrument is one of six codes, not any string); fields added since,
// and the pain series, come from schema.d.ts (`make api-types`) through `Schema<…>`.
// Practitioners and admins only: receptionists get 403 everywhere, and the app never asks on
// their behalf.

/** A calendar date, "2026-03-02". */
export type IsoDate = string;

export const ENTRY_TYPES = ['assessment', 'treatment', 'evolution', 'discharge', 'note'] as const;
export type EntryType = (typeof ENTRY_TYPES)[number];
export type EntryStatus = 'draft' | 'signed';

export const SOAP_SECTIONS = ['subjective', 'objective', 'assessment', 'plan'] as const;
export type SoapSection = (typeof SOAP_SECTIONS)[number];

export const ENTRIES_PER_PAGE = 10;
export const AUDIT_PER_PAGE = 25;
export const SESSIONS_PER_PAGE = 20;
/** The longest text of one SOAP section (the API's limit). */
export const SECTION_MAX = 20_000;
export const PAIN_MAX = 10;

/** A signed correction of a signed entry: its author and time are its signature. */
export interface Amendment {
  id: string;
  authorId: string;
  text: string;
  signedAt: string;
}

/** One entry of the clinical history, with its amendments (oldest first). */
export interface Entry {
  id: string;
  patientId: string;
  episodeId: string | null;
  appointmentId: string | null;
  type: EntryType;
  date: IsoDate;
  status: EntryStatus;
  authorId: string;
  subjective: string | null;
  objective: string | null;
  assessment: string | null;
  plan: string | null;
  painVas: number | null;
  signedBy: string | null;
  signedAt: string | null;
  version: number;
  amendments: Amendment[];
}

/** `PUT /api/records/{id}` (a draft, whole). */
export interface EntryBody {
  type: EntryType;
  date: IsoDate;
  appointmentId: string | null;
  episodeId: string | null;
  subjective: string | null;
  objective: string | null;
  assessment: string | null;
  plan: string | null;
  painVas: number | null;
}

/** `POST /api/records`: a new draft for a patient. */
export interface EntryCreate extends EntryBody {
  patientId: string;
}

/** An episode of care: why the patient came, from when, and when and why it ended. */
export interface Episode {
  id: string;
  patientId: string;
  practitionerId: string;
  reason: string;
  bodyRegion: string | null;
  openedOn: IsoDate;
  dischargedOn: IsoDate | null;
  dischargeReason: string | null;
  /** Kept at least until this day (discharge + 5 years, Ley 41/2002 art. 17); null while open. */
  retainUntil: Schema<'EpisodePublic'>['retainUntil'];
  version: number;
  entries: Entry[];
}

/** `POST /api/episodes` (practised by the caller, opened today, unless said). */
export interface EpisodeCreate {
  patientId: string;
  reason: string;
  bodyRegion: string | null;
  openedOn: IsoDate | null;
}

/** The prefilled SOAP sections of an entry type in one language. */
export interface RecordTemplate {
  type: EntryType;
  lang: 'es' | 'en';
  subjective: string | null;
  objective: string | null;
  assessment: string | null;
  plan: string | null;
}

/** A completed session whose note is not signed yet. */
export interface SessionWithoutNote {
  appointmentId: string;
  practitionerId: string;
  patientId: string | null;
  patientName: string | null;
  startsAt: string;
}

/** One audited read of clinical content. */
export interface AuditRow {
  id: number;
  userId: string;
  roles: string;
  patientId: string | null;
  action: string;
  resourceId: string | null;
  readAt: string;
  requestId: string | null;
}

export interface AuditSearch {
  patientId?: string;
  userId?: string;
  /** ISO instants. */
  from?: string;
  to?: string;
  page: number;
}

/**
 * records' counter on the dashboard (`GET /api/dashboard/stats`, when records answered: it
 * refuses receptionists, and then sends none).
 */
export interface RecordsStats {
  sessionsWithoutNote?: number;
}

// ---------------------------------------------------------------- requests

const entryPath = (id: string) => `/api/records/${encodeURIComponent(id)}`;
const episodePath = (id: string) => `/api/episodes/${encodeURIComponent(id)}`;
const ifMatch = (etag: string) => ({ 'If-Match': etag });

function params(search: object): Record<string, string | number> {
  const entries = Object.entries(search).filter(([, value]) => value !== undefined && value !== null && value !== '');
  return Object.fromEntries(entries) as Record<string, string | number>;
}

/** The largest page any service serves (`itemsPerPage` ≤ 100; more is a 422). */
const MAX_PER_PAGE = 100;

/**
 * Every row of a collection the app shows whole (a patient's measures, their episodes), a page
 * at a time: the API serves at most 100 rows a page, and a list cut at the first page would hide
 * rows without saying so. The services say another page exists with a `next` link in `view` (no count).
 */
async function allPages<T>(path: string, query: Record<string, string>, page = 1): Promise<T[]> {
  const { data } = await http.get<Collection<T>>(path, { params: { ...query, page, itemsPerPage: MAX_PER_PAGE } });
  if (!data.view?.next || data.member.length === 0) return data.member;
  // One page after another: the next exists only once this one says so.
  return [...data.member, ...(await allPages<T>(path, query, page + 1))];
}

/** One page of a patient's clinical history, newest first (signed entries and your drafts). */
export async function listEntries(patientId: string, page: number): Promise<Collection<Entry>> {
  const { data } = await http.get<Collection<Entry>>('/api/records', {
    params: { patientId, page, itemsPerPage: ENTRIES_PER_PAGE },
  });
  return data;
}

/** One entry with its amendments and its ETag. */
export async function getEntry(id: string): Promise<Versioned<Entry>> {
  return versioned(await http.get<Entry>(entryPath(id)));
}

/** Write a new draft (only its author may edit and sign it). */
export async function createEntry(body: EntryCreate, idempotencyKey?: string): Promise<Versioned<Entry>> {
  return versioned(await http.post<Entry>('/api/records', body, { headers: idempotencyHeaders(idempotencyKey) }));
}

/** Replace your draft if unchanged since `etag` (412 otherwise; 409 once it is signed). */
export async function updateEntry(id: string, body: EntryBody, etag: string): Promise<Versioned<Entry>> {
  return versioned(await http.put<Entry>(entryPath(id), body, { headers: ifMatch(etag) }));
}

/** Sign your draft: it can never change afterwards (403 on someone else's). */
export async function signEntry(id: string, etag: string): Promise<Versioned<Entry>> {
  return versioned(await http.post<Entry>(`${entryPath(id)}/sign`, null, { headers: ifMatch(etag) }));
}

/** Attach a signed amendment to a signed entry; answers the entry with all its amendments. */
export async function amendEntry(id: string, text: string, idempotencyKey?: string): Promise<Entry> {
  const { data } = await http.post<Entry>(
    `${entryPath(id)}/amendments`,
    { text },
    { headers: idempotencyHeaders(idempotencyKey) },
  );
  return data;
}

/** All of a patient's episodes of care, the latest opened first. */
export function listEpisodes(patientId: string): Promise<Episode[]> {
  return allPages<Episode>('/api/episodes', { patientId });
}

export async function openEpisode(body: EpisodeCreate, idempotencyKey?: string): Promise<Episode> {
  const { data } = await http.post<Episode>('/api/episodes', body, { headers: idempotencyHeaders(idempotencyKey) });
  return data;
}

/** Discharge an open episode today with its reason (If-Match: 412 when stale). */
export async function dischargeEpisode(id: string, reason: string, etag: string): Promise<Episode> {
  const { data } = await http.post<Episode>(`${episodePath(id)}/discharge`, { reason }, { headers: ifMatch(etag) });
  return data;
}

/** Every entry type's template in `lang`. */
export async function listTemplates(lang: 'es' | 'en'): Promise<RecordTemplate[]> {
  const { data } = await http.get<RecordTemplate[]>('/api/record-templates', { params: { lang } });
  return data;
}

/** The caller's completed sessions still without a signed note, a page at a time. */
export async function listSessionsWithoutNote(page: number): Promise<Collection<SessionWithoutNote>> {
  const { data } = await http.get<Collection<SessionWithoutNote>>('/api/records/sessions-without-note', {
    params: { page, itemsPerPage: SESSIONS_PER_PAGE },
  });
  return data;
}

/** One page of the read audit, newest first (admins). */
export async function listAudit(search: AuditSearch): Promise<Collection<AuditRow>> {
  const { data } = await http.get<Collection<AuditRow>>('/api/records/audit', {
    params: params({ ...search, itemsPerPage: AUDIT_PER_PAGE }),
  });
  return data;
}

/** A member of staff as the audit's user filter lists them (admins read the accounts). */
export interface StaffMember {
  id: string;
  fullName: string;
}

/** Every staff account, for naming who read what in the audit (a clinic has tens). */
export function listStaff(): Promise<StaffMember[]> {
  return allPages<StaffMember>('/api/users', {});
}

// ---------------------------------------------------------------- outcome measures

export const INSTRUMENTS = ['ODI', 'NDI', 'QuickDASH', 'PSFS', 'VAS', 'NPRS'] as const;
export type InstrumentCode = (typeof INSTRUMENTS)[number];
export type Direction = 'lower_is_better' | 'higher_is_better';

/** One questionnaire or scale taken, scored by the server (score is a JSON number). */
export interface Measure {
  id: string;
  patientId: string;
  episodeId: string | null;
  instrument: InstrumentCode;
  name: string;
  /** The items in the instrument's order (null = not answered). */
  answers: (number | null)[];
  /** PSFS: the activity each answer rates, in order; null for the other instruments. */
  activities: Schema<'MeasurePublic'>['activities'];
  score: number;
  /** ODI and NDI: the 0–100 % form. */
  percent: number | null;
  scoreMax: number;
  unit: string;
  answered: number;
  missing: number;
  takenOn: IsoDate;
  takenBy: string;
  direction: Direction;
  mcid: number;
  createdAt: string;
}

/** `POST /api/measures` (taken today unless said). */
export interface MeasureCreate {
  patientId: string;
  episodeId: string | null;
  instrument: InstrumentCode;
  answers: (number | null)[];
  takenOn: IsoDate | null;
  /** PSFS only, and required there: one name per answer sent (1–100 characters); omitted otherwise. */
  activities?: string[];
}

export interface OutcomePoint {
  measureId: string;
  takenOn: IsoDate;
  score: number;
}

/** Baseline vs latest (vs discharge) of one instrument in an episode; `change` > 0 is better. */
export interface InstrumentOutcome {
  instrument: InstrumentCode;
  name: string;
  direction: Direction;
  unit: string;
  count: number;
  baseline: OutcomePoint;
  latest: OutcomePoint;
  discharge: OutcomePoint | null;
  change: number;
  mcid: number;
  mcidSource: string;
  reachesMcid: boolean;
}

export interface EpisodeOutcomes {
  episodeId: string;
  patientId: string;
  openedOn: IsoDate;
  dischargedOn: IsoDate | null;
  outcomes: InstrumentOutcome[];
}

/** One pain rating 0–10: a note's painVas (`source` `entry`) or a VAS/NPRS measure's score. */
export type PainPoint = Schema<'PainPointPublic'>;
/** A patient's pain over time, oldest first. */
export type PainSeries = Schema<'PainSeriesPublic'>;
export type PainSource = PainPoint['source'];

/** A file the API sent (the clinical history as a PDF) with the name it suggested. */
export interface RecordsFile {
  blob: Blob;
  filename: string;
  /** How many parts the history comes in (a very long one: 200 signed entries each). */
  parts: number;
}

/**
 * All of a patient's measures, oldest first (every instrument, every episode). The API has no
 * newest-first order, so a single page would lose the newest: exactly the ones that matter.
 */
export function listMeasures(patientId: string): Promise<Measure[]> {
  return allPages<Measure>('/api/measures', { patientId });
}

/** The patient's pain over time (signed notes, your drafts, VAS and NPRS measures), oldest first. */
export async function getPainSeries(patientId: string): Promise<PainSeries> {
  const { data } = await http.get<PainSeries>('/api/records/pain', { params: { patientId } });
  return data;
}

/** Record a measure; the server checks the answers by the instrument's rules (422 `answers.3`). */
export async function recordMeasure(body: MeasureCreate, idempotencyKey?: string): Promise<Measure> {
  const { data } = await http.post<Measure>('/api/measures', body, { headers: idempotencyHeaders(idempotencyKey) });
  return data;
}

/** Each instrument's baseline, latest and discharge score in an episode, and whether the MCID is reached. */
export async function getEpisodeOutcomes(episodeId: string): Promise<EpisodeOutcomes> {
  const { data } = await http.get<EpisodeOutcomes>(`${episodePath(episodeId)}/outcomes`);
  return data;
}

/** The name of a `Content-Disposition` header (`filename*=UTF-8''…` or `filename="…"`). */
function filenameOf(header: unknown): string | null {
  if (typeof header !== 'string') return null;
  const extended = /filename\*\s*=\s*(?:UTF-8|utf-8)''([^;]+)/.exec(header);
  if (extended?.[1]) {
    try {
      return decodeURIComponent(extended[1].trim());
    } catch {
      // fall through to the plain name
    }
  }
  const plain = /filename\s*=\s*"([^"]+)"|filename\s*=\s*([^;\s]+)/.exec(header);
  return plain?.[1] ?? plain?.[2] ?? null;
}

/**
 * The patient's clinical history as a PDF in `lang` (part `part` of a very long one), fetched
 * through the shared client so it carries the Bearer token (a plain link could not). A failed
 * download's body is a Blob: it is read back into the problem document so `toApiError` sees the
 * status.
 */
export async function downloadClinicalHistoryPdf(patientId: string, lang: 'es' | 'en', part = 1): Promise<RecordsFile> {
  try {
    const response = await http.get<Blob>(`/api/patients/${encodeURIComponent(patientId)}/clinical-history.pdf`, {
      params: part === 1 ? { lang } : { lang, part },
      responseType: 'blob',
      headers: { Accept: 'application/pdf, application/problem+json' },
      timeout: 60_000,
    });
    const blob =
      response.data instanceof Blob ? response.data : new Blob([response.data], { type: 'application/pdf' });
    return {
      blob,
      filename: filenameOf(response.headers['content-disposition']) ?? `clinical-history-${patientId.slice(0, 8)}.pdf`,
      parts: Math.max(1, Number(response.headers['clinical-history-parts']) || 1),
    };
  } catch (error) {
    if (isAxiosError(error) && error.response?.data instanceof Blob) {
      try {
        error.response.data = JSON.parse(await error.response.data.text()) as unknown;
      } catch {
        error.response.data = {};
      }
    }
    throw error;
  }
}
