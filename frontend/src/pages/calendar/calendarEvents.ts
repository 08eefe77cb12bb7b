import type { BusinessHoursInput, EventInput } from '@fullcalendar/core';
import type { Appointment, AppointmentType, Clash, Practitioner, WorkingHours } from '../../api/appointments';
import type { Locale } from '../../i18n/catalogs';
import { typeName } from '../appointments/appointmentTypes';

/** The colour of a practitioner without one of their own. */
export const DEFAULT_COLOR = '#0f766e';

/** What the calendar needs to draw and act on one appointment. */
export interface CalendarEventProps {
  appointment: Appointment;
  typeName: string | null;
}

/** Only a scheduled appointment, slot or block may be moved (the server refuses the rest). */
export function isMovable(appointment: Appointment): boolean {
  return appointment.status === 'scheduled';
}

/** The label an appointment shows on the calendar. */
export function eventTitle(
  appointment: Appointment,
  labels: { emptySlot: string; block: string },
): string {
  if (appointment.kind === 'empty_slot') return labels.emptySlot;
  if (appointment.kind === 'block') return appointment.title ?? labels.block;
  return appointment.patientName ?? appointment.title ?? '';
}

/**
 * The appointments as FullCalendar events, in their practitioner's colour: empty slots are
 * outlined (free to fill), cancelled ones are faded and struck through, no-shows marked.
 */
export function toEvents(
  appointments: readonly Appointment[],
  practitioners: readonly Practitioner[],
  types: readonly AppointmentType[],
  locale: Locale,
  labels: { emptySlot: string; block: string },
): EventInput[] {
  const colors = new Map(practitioners.map((p) => [p.id, p.color ?? DEFAULT_COLOR]));
  return appointments.map((appointment) => {
    const color = colors.get(appointment.practitionerId) ?? DEFAULT_COLOR;
    const empty = appointment.kind === 'empty_slot';
    const extendedProps: CalendarEventProps = {
      appointment,
      typeName: typeName(appointment.type, types, locale),
    };
    return {
      id: appointment.id,
      title: eventTitle(appointment, labels),
      start: appointment.startsAt,
      end: appointment.endsAt,
      backgroundColor: empty ? '#ffffff' : color,
      borderColor: color,
      textColor: empty ? color : '#ffffff',
      editable: isMovable(appointment),
      classNames: [
        `appointment-${appointment.kind}`,
        `appointment-status-${appointment.status}`,
      ],
      extendedProps,
    };
  });
}

/** The appointments of the practitioners shown, cancelled ones only when asked for. */
export function visibleAppointments(
  appointments: readonly Appointment[],
  shown: ReadonlySet<string>,
  showCancelled: boolean,
): Appointment[] {
  return appointments.filter(
    (a) => shown.has(a.practitionerId) && (showCancelled || a.status !== 'cancelled'),
  );
}

/**
 * The working hours of the practitioners shown, for FullCalendar to shade the rest: the union
 * of their weekly templates (the API's weekday 0 is Monday, FullCalendar's is Sunday). The hours
 * are wall-clock times of the clinic, so the calendar shows them right in the clinic's zone.
 */
export function businessHours(hours: readonly WorkingHours[]): BusinessHoursInput {
  const periods = hours.flatMap((h) =>
    h.periods.map((period) => ({
      daysOfWeek: [(period.weekday + 1) % 7],
      startTime: period.start.slice(0, 5),
      endTime: period.end.slice(0, 5),
    })),
  );
  // Nobody has hours: shade nothing rather than the whole week.
  return periods.length > 0 ? periods : false;
}

/** The practitioners a user sees at first: a physiotherapist their own column, others everyone. */
export function initiallyShown(
  practitioners: readonly Practitioner[],
  options: { requested?: string | undefined; ownId?: string | undefined },
): Set<string> {
  const ids = practitioners.map((p) => p.id);
  if (options.requested && ids.includes(options.requested)) return new Set([options.requested]);
  if (options.ownId && ids.includes(options.ownId)) return new Set([options.ownId]);
  return new Set(ids);
}

/** Another appointment named by a 409, with what is known of it from the loaded calendar. */
export interface DescribedClash {
  clash: Clash;
  known: Appointment | undefined;
}

/** The clashes of a 409, matched with the appointments already on screen. */
export function describeClashes(
  clashes: readonly Clash[],
  loaded: readonly Appointment[],
): DescribedClash[] {
  const byId = new Map(loaded.map((a) => [a.id, a]));
  return clashes.map((clash) => ({ clash, known: byId.get(clash.id) }));
}
