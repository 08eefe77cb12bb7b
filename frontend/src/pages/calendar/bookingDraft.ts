import type { AppointmentCreate, AppointmentType } from '../../api/appointments';
import type { Translate } from '../../i18n/i18n';
import { addMinutes, minutesBetween, mondayFirstWeekday, toLocalInput } from '../../lib/dates';
import { isLocalDateTime } from '../../lib/dateText';
import type { PickedPatient } from './PatientPicker';

/** Monday (0) to Sunday (6), as the scheduling API numbers weekdays. */
export const WEEKDAYS = [0, 1, 2, 3, 4, 5, 6] as const;

export const MIN_DURATION = 5;
export const MAX_DURATION = 480;
export const MAX_SESSIONS = 60;

/** What the booking form holds while the user types. */
export interface BookingDraft {
  kind: 'appointment' | 'block';
  patient: PickedPatient | null;
  practitionerId: string;
  type: string;
  title: string;
  /** `datetime-local` value, the browser's local time. */
  start: string;
  duration: number;
  notes: string;
  repeat: boolean;
  weekdays: number[];
  /** Whether the user ticked the weekdays herself; until then they follow the start. */
  weekdaysChosen: boolean;
  count: number;
}

/** The booking form for a selection on the calendar. */
export function newDraft(options: {
  start: Date;
  end: Date;
  allDay: boolean;
  practitionerId: string;
  patient: PickedPatient | null;
  types: readonly AppointmentType[];
}): BookingDraft {
  const firstType = options.types.find((type) => type.code === 'follow_up' && type.active)
    ?? options.types.find((type) => type.active);
  const start = new Date(options.start);
  // A day picked in the month view: start at the usual opening time.
  if (options.allDay) start.setHours(9, 0, 0, 0);
  const selected = minutesBetween(options.start, options.end);
  // A click selects one 15-minute slot: the type decides. A longer drag means that length.
  const duration = !options.allDay && selected > 15 ? selected : (firstType?.durationMinutes ?? 45);
  return {
    kind: 'appointment',
    patient: options.patient,
    practitionerId: options.practitionerId,
    type: firstType?.code ?? '',
    title: '',
    start: toLocalInput(start),
    duration,
    notes: '',
    repeat: false,
    weekdays: [mondayFirstWeekday(start)],
    weekdaysChosen: false,
    count: 10,
  };
}

/**
 * The draft with another start (`YYYY-MM-DDTHH:MM`, or the text typed while it is not one). Until the user picks the weekdays
 * herself, the series runs on the start's weekday: moving a Thursday start to a Tuesday books
 * Tuesdays, not Tuesday and then Thursdays.
 */
export function withStart(draft: BookingDraft, start: string): BookingDraft {
  if (draft.weekdaysChosen || !isLocalDateTime(start)) return { ...draft, start };
  return { ...draft, start, weekdays: [mondayFirstWeekday(new Date(start))] };
}

/** The draft with `day` ticked or unticked: from now on the weekdays are the user's. */
export function toggleWeekday(draft: BookingDraft, day: number): BookingDraft {
  const weekdays = draft.weekdays.includes(day)
    ? draft.weekdays.filter((d) => d !== day)
    : [...draft.weekdays, day].toSorted((a, b) => a - b);
  return { ...draft, weekdays, weekdaysChosen: true };
}

/** What is wrong with the draft before asking the server (the server checks again). */
export function draftErrors(draft: BookingDraft, t: Translate): Map<string, string> {
  const errors = new Map<string, string>();
  if (draft.kind === 'appointment' && !draft.patient) errors.set('patientId', t('calendar.errors.patient'));
  if (draft.kind === 'block' && !draft.title.trim()) errors.set('title', t('calendar.errors.blockTitle'));
  if (!draft.practitionerId) errors.set('practitionerId', t('calendar.errors.practitioner'));
  if (!isLocalDateTime(draft.start)) {
    errors.set('startsAt', t('calendar.errors.start'));
  }
  if (!Number.isInteger(draft.duration) || draft.duration < MIN_DURATION || draft.duration > MAX_DURATION) {
    errors.set('duration', t('calendar.errors.duration', { min: MIN_DURATION, max: MAX_DURATION }));
  }
  if (draft.repeat && draft.kind === 'appointment') {
    if (draft.weekdays.length === 0) errors.set('repeat', t('calendar.errors.weekdays'));
    else if (!Number.isInteger(draft.count) || draft.count < 2 || draft.count > MAX_SESSIONS) {
      errors.set('repeat', t('calendar.errors.count', { max: MAX_SESSIONS }));
    }
  }
  return errors;
}

/** The body of `POST /api/appointments` for a checked draft. */
export function toBooking(draft: BookingDraft): AppointmentCreate {
  const start = new Date(draft.start);
  const end = addMinutes(start, draft.duration);
  const body: AppointmentCreate = {
    practitionerId: draft.practitionerId,
    kind: draft.kind,
    startsAt: start.toISOString(),
    endsAt: end.toISOString(),
    notes: draft.notes.trim() || null,
  };
  if (draft.kind === 'appointment') {
    body.patientId = draft.patient?.id ?? null;
    body.type = draft.type || null;
    if (draft.repeat) body.repeat = { every: 'week', weekdays: draft.weekdays, count: draft.count };
  } else {
    body.title = draft.title.trim();
  }
  return body;
}
