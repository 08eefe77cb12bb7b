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
  /** "No acudió", "Cancelada", "Ha llegado": said in words on the event, since colour alone is not seen. */
  statusLabel: string | null;
  /** Whose it is, for the tooltip. */
  practitionerName?: string | null;
}

/** What the calendar writes on its events, in the app's language. */
export interface EventLabels {
  emptySlot: string;
  block: string;
  noShow?: string;
  cancelled?: string;
  arrived?: string;
}

// A cancelled appointment is drawn pale (with dark text, so it stays readable) in every view.
const CANCELLED_BACKGROUND = '#f1f5f9';
const CANCELLED_TEXT = '#334155';

const DARK_TEXT = '#0f172a';

function luminance(hex: string): number | null {
  const match = /^#?([0-9a-f]{6})$/i.exec(hex.trim());
  if (!match?.[1]) return null;
  const value = Number.parseInt(match[1], 16);
  const channels = [(value >> 16) & 255, (value >> 8) & 255, value & 255].map((c) => {
    const s = c / 255;
    return s <= 0.039_28 ? s / 12.92 : ((s + 0.055) / 1.055) ** 2.4;
  });
  const [r = 0, g = 0, b = 0] = channels;
  return 0.2126 * r + 0.7152 * g + 0.0722 * b;
}

/**
 * The text colour on a practitioner's colour: white while it reads at 4.5:1 or more (WCAG AA),
 * else near-black (a light green or yellow would leave white text unreadable).
 */
export function textOn(background: string): string {
  const l = luminance(background);
  if (l === null) return '#ffffff';
  return 1.05 / (l + 0.05) >= 4.5 ? '#ffffff' : DARK_TEXT;
}

/** Only a scheduled appointment, slot or block may be moved (the server refuses the rest). */
export function isMovable(appointment: Appointment): boolean {
  return appointment.status === 'scheduled';
}

/** The label an appointment shows on the calendar. */
export function eventTitle(appointment: Appointment, labels: EventLabels): string {
  if (appointment.kind === 'empty_slot') return labels.emptySlot;
  if (appointment.kind === 'block') return appointment.title ?? labels.block;
  return appointment.patientName ?? appointment.title ?? '';
}

/** The status an event states in words: only those that change what the slot means. */
function statusLabel(appointment: Appointment, labels: EventLabels): string | null {
  if (appointment.status === 'no_show') return labels.noShow ?? null;
  if (appointment.status === 'cancelled') return labels.cancelled ?? null;
  if (appointment.status === 'arrived') return labels.arrived ?? null;
  return null;
}

/**
 * The appointments as FullCalendar events, in their practitioner's colour: empty slots are
 * outlined (free to fill), cancelled ones pale and struck through; no-shows and cancelled ones
 * carry their status as a label (the colour of the practitioner would hide a border alone).
 */
export function toEvents(
  appointments: readonly Appointment[],
  practitioners: readonly Practitioner[],
  types: readonly AppointmentType[],
  locale: Locale,
  labels: EventLabels,
): EventInput[] {
  const colors = new Map(practitioners.map((p) => [p.id, p.color ?? DEFAULT_COLOR]));
  const names = new Map(practitioners.map((p) => [p.id, p.fullName]));
  return appointments.map((appointment) => {
    const color = colors.get(appointment.practitionerId) ?? DEFAULT_COLOR;
    const empty = appointment.kind === 'empty_slot';
    const cancelled = appointment.status === 'cancelled';
    const extendedProps: CalendarEventProps = {
      appointment,
      typeName: typeName(appointment.type, types, locale),
      statusLabel: statusLabel(appointment, labels),
      practitionerName: names.get(appointment.practitionerId) ?? null,
    };
    return {
      id: appointment.id,
      title: eventTitle(appointment, labels),
      start: appointment.startsAt,
      end: appointment.endsAt,
      backgroundColor: empty ? '#ffffff' : cancelled ? CANCELLED_BACKGROUND : color,
      borderColor: color,
      // The same contrast either way round: a colour too light under white text is too light as
      // text on an empty slot's white.
      textColor: empty ? (textOn(color) === '#ffffff' ? color : DARK_TEXT) : cancelled ? CANCELLED_TEXT : textOn(color),
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
