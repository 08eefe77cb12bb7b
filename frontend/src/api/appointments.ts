import { isAxiosError } from 'axios';
import { type Collection, type Full, http, type Schema, type Versioned, versioned } from './http';
import { idempotencyHeaders } from './idempotency';

/** An appointment, empty slot or block as the scheduling service answers it (times in UTC). */
export type Appointment = Schema<'AppointmentPublic'>;
export type AppointmentKind = Appointment['kind'];
export type AppointmentStatus = Appointment['status'];
/** Why an appointment was cancelled: the patient in time, the clinic, or the patient too late. */
export type CancellationReason = NonNullable<Appointment['cancellationReason']>;
export const CANCELLATION_REASONS: readonly CancellationReason[] = ['patient', 'clinic', 'late'];

/** What counts on a patient: visits missed and cancellations too late to fill. */
export type Attendance = Schema<'AttendancePublic'>;

/** Weekly repetition of a booking: weekdays 0 (Monday) to 6, `count` sessions in all. */
export type Repeat = Schema<'RepeatBody'>;

/** `POST /api/appointments`; `endsAt` defaults from the type's duration. */
export type AppointmentCreate = Schema<'AppointmentCreate'>;

/**
 * `PUT /api/appointments/{id}`: the whole editable state; `allowOutsideHours` only when the user
 * confirmed a move outside the working hours.
 */
export type AppointmentUpdate = Full<Schema<'AppointmentUpdate'>, 'allowOutsideHours'>;

/** A booked series and the dates left out because they clashed. */
export type BookedSeries = Schema<'SeriesPublic'>;

export type AppointmentType = Schema<'AppointmentTypePublic'>;

/** An active practitioner with the colour the calendar draws them in. */
export type Practitioner = Schema<'PractitionerPublic'>;

/** One stretch of a weekday (0 = Monday), wall-clock `HH:MM:SS` in the clinic's time zone. */
export type WorkingPeriod = Schema<'WorkingPeriodBody'>;

export type WorkingHours = Schema<'WorkingHoursPublic'>;

/** `POST /api/appointments/empty-slots`: dates inclusive, `duration` in minutes. */
export type EmptySlotsCreate = Schema<'EmptySlotsCreate'>;

// A 409 is problem+json with members the OpenAPI document does not describe (yet): these two are
// written by hand, after scheduling's `ClashPublic`.

/** Another appointment a booking or move would overlap (from a 409). */
export interface Clash {
  id: string;
  startsAt: string;
  endsAt: string;
  practitionerId: string;
  patientId: string | null;
  kind: AppointmentKind;
}

export interface SeriesClash {
  date: string;
  clashes: Clash[];
}

const path = (id: string) => `/api/appointments/${encodeURIComponent(id)}`;

/** Every appointment starting in [start, end) (at most 62 days), optionally of one practitioner. */
export async function listAppointmentsBetween(
  start: string,
  end: string,
  practitionerId?: string,
): Promise<Appointment[]> {
  const params: Record<string, string> = { start, end };
  if (practitionerId) params.practitionerId = practitionerId;
  const { data } = await http.get<Collection<Appointment>>('/api/appointments', { params });
  return data.member;
}

export interface PatientAppointmentsQuery {
  patientId: string;
  /** Upcoming: starting now or later, soonest first; past: started before now, latest first. */
  when: 'upcoming' | 'past';
  now: Date;
  itemsPerPage: number;
}

/** Page `page` (from 1) of one patient's appointments, before or after `now`. */
export async function listPatientAppointments(
  query: PatientAppointmentsQuery,
  page = 1,
): Promise<Collection<Appointment>> {
  const moment = query.now.toISOString();
  const params =
    query.when === 'upcoming'
      ? { after: moment, order: 'asc' }
      : { before: moment, order: 'desc' };
  const { data } = await http.get<Collection<Appointment>>('/api/appointments', {
    params: { patientId: query.patientId, itemsPerPage: query.itemsPerPage, page, ...params },
  });
  return data;
}

// The creating POSTs take an optional Idempotency-Key (ADR 0008): resent with the same body after
// a lost answer, the server replays the first answer instead of booking or laying slots twice.

/** Book one appointment (409 with `clashes` when the time is taken). */
export async function bookAppointment(
  body: AppointmentCreate,
  idempotencyKey?: string,
): Promise<Appointment> {
  const { data } = await http.post<Appointment>('/api/appointments', body, {
    headers: idempotencyHeaders(idempotencyKey),
  });
  return data;
}

/** Book a weekly series (409 with `seriesClashes` unless `skipClashes`). */
export async function bookSeries(
  body: AppointmentCreate & { repeat: Repeat },
  idempotencyKey?: string,
): Promise<BookedSeries> {
  const { data } = await http.post<BookedSeries>('/api/appointments', body, {
    headers: idempotencyHeaders(idempotencyKey),
  });
  return data;
}

/** Replace an appointment's state if nobody changed it since `etag` (else 412). */
export async function updateAppointment(
  id: string,
  body: AppointmentUpdate,
  etag: string,
): Promise<Versioned<Appointment>> {
  return versioned(await http.put<Appointment>(path(id), body, { headers: { 'If-Match': etag } }));
}

/** Delete an appointment (a completed one cannot be: 409). */
export async function deleteAppointment(id: string): Promise<void> {
  await http.delete(path(id));
}

/** Cancel this session and the later scheduled ones of its series, all for `reason`. */
export async function cancelFollowing(
  id: string,
  etag: string,
  reason: CancellationReason,
): Promise<Appointment[]> {
  const { data } = await http.post<Collection<Appointment>>(
    `${path(id)}/cancel-following`,
    { cancellationReason: reason },
    { headers: { 'If-Match': etag } },
  );
  return data.member;
}

/** The patient's no-shows and late cancellations (scheduling counts them). */
export async function fetchAttendance(patientId: string): Promise<Attendance> {
  const { data } = await http.get<Attendance>('/api/appointments/attendance', { params: { patientId } });
  return data;
}

/** The editable state of `appointment`, to change a field or two and PUT it back. */
export function editable(appointment: Appointment): AppointmentUpdate {
  const { practitionerId, patientId, type, status, startsAt, endsAt, title, notes } = appointment;
  const cancellationReason = appointment.cancellationReason ?? null;
  return { practitionerId, patientId, type, status, cancellationReason, startsAt, endsAt, title, notes };
}

/** `appointment`'s editable state moved to `status` (a reason only with a cancellation). */
export function withStatus(
  appointment: Appointment,
  status: AppointmentStatus,
  reason: CancellationReason | null = null,
): AppointmentUpdate {
  return { ...editable(appointment), status, cancellationReason: status === 'cancelled' ? reason : null };
}

/** Every appointment type (inactive ones too: old appointments still name them). */
export async function listAppointmentTypes(): Promise<AppointmentType[]> {
  const { data } = await http.get<Collection<AppointmentType>>('/api/appointment-types');
  return data.member;
}

/** Active practitioners with their colours (from identity). */
export async function listPractitioners(): Promise<Practitioner[]> {
  const { data } = await http.get<Collection<Practitioner>>('/api/practitioners', {
    params: { itemsPerPage: 100 },
  });
  return data.member;
}

/** A practitioner's weekly template. */
export async function getWorkingHours(practitionerId: string): Promise<WorkingHours> {
  const { data } = await http.get<WorkingHours>(
    `/api/practitioners/${encodeURIComponent(practitionerId)}/working-hours`,
  );
  return data;
}

/** Lay empty slots over a practitioner's free working hours (dates inclusive). */
export async function createEmptySlots(
  body: EmptySlotsCreate,
  idempotencyKey?: string,
): Promise<Appointment[]> {
  const { data } = await http.post<Collection<Appointment>>('/api/appointments/empty-slots', body, {
    headers: idempotencyHeaders(idempotencyKey),
  });
  return data.member;
}

function problemBody(error: unknown, status = 409): Record<string, unknown> {
  if (!isAxiosError(error) || error.response?.status !== status) return {};
  const body: unknown = error.response.data;
  return body !== null && typeof body === 'object' ? (body as Record<string, unknown>) : {};
}

/** The appointments a 409 says the booking or move would overlap. */
export function clashesOf(error: unknown): Clash[] {
  const clashes = problemBody(error).clashes;
  return Array.isArray(clashes) ? (clashes as Clash[]) : [];
}

/** The dates of a series that clash, from a 409. */
export function seriesClashesOf(error: unknown): SeriesClash[] {
  const found = problemBody(error).seriesClashes;
  return Array.isArray(found) ? (found as SeriesClash[]) : [];
}

/** The `code` of scheduling's 422 for a time outside the practitioner's working hours. */
export const OUTSIDE_WORKING_HOURS = 'outside_working_hours';

/** Why a time is outside the working hours: closed then, running past closing, or an absence. */
export type OutsideReason = 'closed' | 'runs_over' | 'absent';

/** A refusal the user may override by sending `allowOutsideHours: true`. */
export interface OutsideHours {
  reason: OutsideReason;
  /** The local dates (`YYYY-MM-DD`) of a series' sessions that are outside; empty for one booking. */
  dates: string[];
}

const REASONS: readonly OutsideReason[] = ['closed', 'runs_over', 'absent'];

/** Whether a 422 says the time is outside the working hours (and why), else null. */
export function outsideHoursOf(error: unknown): OutsideHours | null {
  const body = problemBody(error, 422);
  if (body.code !== OUTSIDE_WORKING_HOURS) return null;
  const reason = REASONS.find((item) => item === body.reason) ?? 'closed';
  const dates = Array.isArray(body.dates) ? body.dates.filter((d): d is string => typeof d === 'string') : [];
  return { reason, dates };
}

/** A free stretch of a practitioner's working time (UTC), as the free-slots API answers it. */
export type FreeSlot = Schema<'SlotPublic'>;

/** Free slots of `duration` minutes inside the working hours, clinic dates `from`–`to` inclusive. */
export async function listFreeSlots(query: {
  practitionerId: string;
  from: string;
  to: string;
  duration: number;
}): Promise<FreeSlot[]> {
  const { data } = await http.get<Collection<FreeSlot>>('/api/appointments/free-slots', { params: query });
  return data.member;
}
