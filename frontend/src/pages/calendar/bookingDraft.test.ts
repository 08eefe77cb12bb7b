import { describe, expect, it } from 'vitest';
import { t } from '../../i18n/i18n';
import { appointmentTypes } from '../../test/appointmentFixtures';
import { type BookingDraft, draftErrors, newDraft, toBooking, toggleWeekday, withStart } from './bookingDraft';
import { inTimeZone } from '../../test/timeZone';

// Selections and `datetime-local` values are local times: pin the clinic's zone.
inTimeZone('Europe/Madrid');

const jose = { id: 'p-jose', fullName: 'José García Núñez' };

/** A selection on the calendar, in Madrid time (Thursday 3 December 2026 unless told). */
function selection(start: string, end: string, allDay = false) {
  return {
    start: new Date(start),
    end: new Date(end),
    allDay,
    practitionerId: 'u-laura',
    patient: null,
    types: appointmentTypes,
  };
}

/** A draft that passes every check, plus `overrides`. */
function draft(overrides: Partial<BookingDraft> = {}): BookingDraft {
  return {
    kind: 'appointment',
    patient: jose,
    practitionerId: 'u-laura',
    type: 'follow_up',
    title: '',
    start: '2026-12-03T10:00',
    duration: 45,
    notes: '',
    repeat: false,
    weekdays: [3],
    weekdaysChosen: false,
    count: 10,
    ...overrides,
  };
}

describe('newDraft', () => {
  it('books the type’s length for a click (one 15-minute slot), the usual type first', () => {
    expect(newDraft(selection('2026-12-03T10:00:00+01:00', '2026-12-03T10:15:00+01:00'))).toEqual({
      kind: 'appointment',
      patient: null,
      practitionerId: 'u-laura',
      type: 'follow_up',
      title: '',
      start: '2026-12-03T10:00',
      duration: 45,
      notes: '',
      repeat: false,
      weekdays: [3],
      weekdaysChosen: false,
      count: 10,
    });
  });

  it('books the dragged length for a longer selection', () => {
    const drawn = newDraft(selection('2026-12-03T10:00:00+01:00', '2026-12-03T11:30:00+01:00'));
    expect(drawn.start).toBe('2026-12-03T10:00');
    expect(drawn.duration).toBe(90);
  });

  it('starts a day picked in the month view at 09:00, for the type’s length', () => {
    const day = newDraft(selection('2026-12-06T00:00:00+01:00', '2026-12-07T00:00:00+01:00', true));
    expect(day.start).toBe('2026-12-06T09:00');
    expect(day.duration).toBe(45);
    // Sunday is the API's weekday 6.
    expect(day.weekdays).toEqual([6]);
  });

  it('preselects the weekday of the start, Monday being 0', () => {
    const monday = newDraft(selection('2026-11-30T09:00:00+01:00', '2026-11-30T09:15:00+01:00'));
    expect(monday.weekdays).toEqual([0]);
  });

  it('keeps the patient being booked for', () => {
    const withPatient = newDraft({ ...selection('2026-12-03T10:00:00+01:00', '2026-12-03T10:15:00+01:00'), patient: jose });
    expect(withPatient.patient).toEqual(jose);
  });

  it('falls back to the first active type when the usual one is retired, or to 45 minutes', () => {
    const [firstVisit, followUp] = appointmentTypes;
    const retired = [firstVisit!, { ...followUp!, active: false }];
    const click = selection('2026-12-03T10:00:00+01:00', '2026-12-03T10:15:00+01:00');
    expect(newDraft({ ...click, types: retired })).toMatchObject({ type: 'first_visit', duration: 60 });
    expect(newDraft({ ...click, types: [] })).toMatchObject({ type: '', duration: 45 });
  });
});

describe('the weekdays of a series', () => {
  it('follow the start until the user ticks them herself', () => {
    // Opened on Thursday 3 December: Thursday ticked. Moved to Tuesday the 8th: Tuesday instead.
    const moved = withStart(draft({ repeat: true }), '2026-12-08T10:00');
    expect(moved).toMatchObject({ start: '2026-12-08T10:00', weekdays: [1], weekdaysChosen: false });
    // Sunday 13 December is weekday 6.
    expect(withStart(moved, '2026-12-13T10:00').weekdays).toEqual([6]);
  });

  it('stay as the user ticked them when the start moves afterwards', () => {
    const ticked = toggleWeekday(toggleWeekday(draft({ repeat: true }), 0), 3);
    expect(ticked).toMatchObject({ weekdays: [0], weekdaysChosen: true });
    expect(withStart(ticked, '2026-12-08T10:00')).toMatchObject({ start: '2026-12-08T10:00', weekdays: [0] });
    expect(toggleWeekday(ticked, 4).weekdays).toEqual([0, 4]);
  });

  it('do not move while the start is half typed', () => {
    expect(withStart(draft(), '')).toMatchObject({ start: '', weekdays: [3] });
    expect(withStart(draft(), '2026-13-45T99:00')).toMatchObject({ weekdays: [3] });
  });
});

/** The errors of a draft with `overrides`, by field. */
const errors = (overrides: Partial<BookingDraft>) => Object.fromEntries(draftErrors(draft(overrides), t));

describe('draftErrors', () => {
  it('passes a complete draft', () => {
    expect(errors({})).toEqual({});
    expect(errors({ repeat: true, weekdays: [0, 3], count: 60 })).toEqual({});
  });

  it('asks for a patient for an appointment, a reason for a block', () => {
    expect(errors({ patient: null })).toEqual({ patientId: 'Elige un paciente.' });
    expect(errors({ kind: 'block', patient: null, title: '   ' })).toEqual({ title: 'Indica el motivo.' });
    expect(errors({ kind: 'block', patient: null, title: 'Formación' })).toEqual({});
  });

  it('asks for a practitioner and a valid start', () => {
    expect(errors({ practitionerId: '' })).toEqual({ practitionerId: 'Elige un fisioterapeuta.' });
    expect(errors({ start: '' })).toEqual({ startsAt: 'Indica fecha y hora de inicio.' });
    expect(errors({ start: '2026-13-45T99:00' })).toEqual({ startsAt: 'Indica fecha y hora de inicio.' });
  });

  it('keeps the duration between 5 and 480 whole minutes', () => {
    const message = { duration: 'Entre 5 y 480 minutos.' };
    expect(errors({ duration: 4 })).toEqual(message);
    expect(errors({ duration: 481 })).toEqual(message);
    expect(errors({ duration: 12.5 })).toEqual(message);
    expect(errors({ duration: Number.NaN })).toEqual(message);
    expect(errors({ duration: 5 })).toEqual({});
    expect(errors({ duration: 480 })).toEqual({});
  });

  it('checks a series: at least one weekday, 2 to 60 sessions', () => {
    expect(errors({ repeat: true, weekdays: [] })).toEqual({ repeat: 'Elige al menos un día.' });
    expect(errors({ repeat: true, count: 1 })).toEqual({ repeat: 'Entre 2 y 60 sesiones.' });
    expect(errors({ repeat: true, count: 61 })).toEqual({ repeat: 'Entre 2 y 60 sesiones.' });
    // Not repeating, or a block: the series fields do not matter.
    expect(errors({ repeat: false, weekdays: [], count: 0 })).toEqual({});
    expect(errors({ kind: 'block', title: 'Formación', repeat: true, weekdays: [] })).toEqual({});
  });

  it('reports every problem at once', () => {
    expect(Object.keys(errors({ patient: null, practitionerId: '', duration: 0 }))).toEqual([
      'patientId',
      'practitionerId',
      'duration',
    ]);
  });
});

describe('toBooking', () => {
  it('sends the start and end in UTC from the local start and the duration', () => {
    expect(toBooking(draft({ notes: '  Trae la resonancia ' }))).toEqual({
      practitionerId: 'u-laura',
      kind: 'appointment',
      patientId: 'p-jose',
      type: 'follow_up',
      startsAt: '2026-12-03T09:00:00.000Z',
      endsAt: '2026-12-03T09:45:00.000Z',
      notes: 'Trae la resonancia',
    });
    // Summer time: two hours ahead of UTC.
    const summer = toBooking(draft({ start: '2026-07-02T10:00', duration: 60 }));
    expect([summer.startsAt, summer.endsAt]).toEqual(['2026-07-02T08:00:00.000Z', '2026-07-02T09:00:00.000Z']);
  });

  it('sends no notes rather than blank ones', () => {
    expect(toBooking(draft({ notes: '   ' })).notes).toBeNull();
  });

  it('repeats weekly only when asked', () => {
    expect(toBooking(draft({ weekdays: [0, 3], count: 8 }))).not.toHaveProperty('repeat');
    expect(toBooking(draft({ repeat: true, weekdays: [0, 3], count: 8 })).repeat).toEqual({
      every: 'week',
      weekdays: [0, 3],
      count: 8,
    });
  });

  it('sends a block with its reason and no patient, type or series', () => {
    const block = toBooking(
      draft({ kind: 'block', title: '  Formación ', repeat: true, duration: 120, start: '2026-12-03T15:00' }),
    );
    expect(block).toEqual({
      practitionerId: 'u-laura',
      kind: 'block',
      title: 'Formación',
      startsAt: '2026-12-03T14:00:00.000Z',
      endsAt: '2026-12-03T16:00:00.000Z',
      notes: null,
    });
  });
});
