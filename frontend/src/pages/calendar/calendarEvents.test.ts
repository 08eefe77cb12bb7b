import { describe, expect, it } from 'vitest';
import type { Appointment, Clash, Practitioner, WorkingHours } from '../../api/appointments';
import { appointmentRecord, appointmentTypes } from '../../test/appointmentFixtures';
import {
  businessHours,
  DEFAULT_COLOR,
  describeClashes,
  initiallyShown,
  toEvents,
  visibleAppointments,
} from './calendarEvents';

const laura: Practitioner = { id: 'u-laura', fullName: 'Laura Martínez', color: '#2563eb' };
const pablo: Practitioner = { id: 'u-pablo', fullName: 'Pablo Ruiz', color: null };
const labels = { emptySlot: 'Hueco libre', block: 'Bloqueo' };

/** The events for appointments with `overrides`, Laura and Pablo being the practitioners. */
const events = (...overrides: Partial<Appointment>[]) =>
  toEvents(overrides.map((a) => appointmentRecord(a)), [laura, pablo], appointmentTypes, 'es', labels);

describe('toEvents', () => {
  it('draws an appointment in its practitioner’s colour, titled with the patient, movable', () => {
    const [event] = events({});
    expect(event).toMatchObject({
      id: 'a-1',
      title: 'José García Núñez',
      start: '2026-12-03T09:00:00Z',
      end: '2026-12-03T09:45:00Z',
      backgroundColor: '#2563eb',
      borderColor: '#2563eb',
      textColor: '#ffffff',
      editable: true,
      classNames: ['appointment-appointment', 'appointment-status-scheduled'],
      extendedProps: { appointment: appointmentRecord(), typeName: 'Sesión de fisioterapia' },
    });
  });

  it('uses the default colour for a practitioner without one, or one not listed', () => {
    const [own, unknown] = events({ practitionerId: 'u-pablo' }, { practitionerId: 'u-gone' });
    expect(own?.backgroundColor).toBe(DEFAULT_COLOR);
    expect(unknown?.borderColor).toBe(DEFAULT_COLOR);
  });

  it('outlines an empty slot: white inside, the colour on the border and text', () => {
    const [slot] = events({ kind: 'empty_slot', patientId: null, patientName: null, type: null });
    expect(slot).toMatchObject({
      title: 'Hueco libre',
      backgroundColor: '#ffffff',
      borderColor: '#2563eb',
      textColor: '#2563eb',
      classNames: ['appointment-empty_slot', 'appointment-status-scheduled'],
      extendedProps: { typeName: null },
    });
  });

  it('titles a block with its reason, or “Bloqueo” without one', () => {
    const [titled, untitled] = events(
      { kind: 'block', patientId: null, patientName: null, type: null, title: 'Formación' },
      { kind: 'block', patientId: null, patientName: null, type: null },
    );
    expect(titled?.title).toBe('Formación');
    expect(untitled?.title).toBe('Bloqueo');
    expect(titled?.classNames).toEqual(['appointment-block', 'appointment-status-scheduled']);
  });

  it('lets only scheduled ones move, and marks the status in a class', () => {
    const shown = events({ status: 'completed' }, { status: 'cancelled' }, { status: 'no_show' });
    expect(shown.map((e) => e.editable)).toEqual([false, false, false]);
    expect(shown.map((e) => (e.classNames as string[])[1])).toEqual([
      'appointment-status-completed',
      'appointment-status-cancelled',
      'appointment-status-no_show',
    ]);
  });

  it('labels an arrived patient in words too', () => {
    const [shown] = toEvents([appointmentRecord({ status: 'arrived' })], [laura], appointmentTypes, 'es', {
      ...labels,
      arrived: 'Ha llegado',
    });
    expect(shown).toBeDefined();
    expect((shown!.extendedProps as { statusLabel: string | null }).statusLabel).toBe('Ha llegado');
    expect(shown!.classNames).toContain('appointment-status-arrived');
  });

  it('labels a no-show and a cancelled one in words, a cancelled one pale with dark text', () => {
    const worded = { ...labels, noShow: 'No acudió', cancelled: 'Cancelada' };
    const shown = toEvents(
      [{ status: 'scheduled' }, { status: 'completed' }, { status: 'no_show' }, { status: 'cancelled' }].map((a) =>
        appointmentRecord(a as Partial<Appointment>),
      ),
      [laura],
      appointmentTypes,
      'es',
      worded,
    );
    expect(shown.map((e) => (e.extendedProps as { statusLabel: string | null }).statusLabel)).toEqual([
      null,
      null,
      'No acudió',
      'Cancelada',
    ]);
    // The no-show keeps its practitioner's colour (the label tells it apart, not the colour).
    expect(shown[2]).toMatchObject({ backgroundColor: '#2563eb', textColor: '#ffffff' });
    expect(shown[3]).toMatchObject({ backgroundColor: '#f1f5f9', textColor: '#334155', borderColor: '#2563eb' });
  });

  it('names the type in the user’s language, or by its code when unknown', () => {
    const english = toEvents(
      [appointmentRecord({ type: 'first_visit' }), appointmentRecord({ id: 'a-2', type: 'retired' })],
      [laura],
      appointmentTypes,
      'en',
      labels,
    );
    expect(english.map((e) => (e.extendedProps as { typeName: string }).typeName)).toEqual([
      'Initial assessment',
      'retired',
    ]);
  });
});

describe('visibleAppointments', () => {
  const all = [
    appointmentRecord({ id: 'laura-1' }),
    appointmentRecord({ id: 'laura-cancelled', status: 'cancelled' }),
    appointmentRecord({ id: 'pablo-1', practitionerId: 'u-pablo' }),
  ];

  it('keeps the practitioners shown, hiding cancelled ones', () => {
    const ids = visibleAppointments(all, new Set(['u-laura']), false).map((a) => a.id);
    expect(ids).toEqual(['laura-1']);
  });

  it('shows cancelled ones when asked', () => {
    const ids = visibleAppointments(all, new Set(['u-laura', 'u-pablo']), true).map((a) => a.id);
    expect(ids).toEqual(['laura-1', 'laura-cancelled', 'pablo-1']);
  });

  it('shows nothing when nobody is shown', () => {
    expect(visibleAppointments(all, new Set(), true)).toEqual([]);
  });
});

const hours = (practitionerId: string, periods: WorkingHours['periods']): WorkingHours => ({
  practitionerId,
  timeZone: 'Europe/Madrid',
  periods,
});

describe('businessHours', () => {
  it('maps the API’s Monday-first weekdays to FullCalendar’s Sunday-first ones, HH:MM', () => {
    expect(
      businessHours([
        hours('u-laura', [
          { weekday: 0, start: '09:00:00', end: '14:00:00' },
          { weekday: 0, start: '15:00:00', end: '19:00:00' },
          { weekday: 5, start: '10:00:00', end: '13:30:00' },
          { weekday: 6, start: '10:00:00', end: '12:00:00' },
        ]),
      ]),
    ).toEqual([
      { daysOfWeek: [1], startTime: '09:00', endTime: '14:00' },
      { daysOfWeek: [1], startTime: '15:00', endTime: '19:00' },
      { daysOfWeek: [6], startTime: '10:00', endTime: '13:30' },
      { daysOfWeek: [0], startTime: '10:00', endTime: '12:00' },
    ]);
  });

  it('joins the hours of several practitioners', () => {
    expect(
      businessHours([
        hours('u-laura', [{ weekday: 1, start: '09:00:00', end: '14:00:00' }]),
        hours('u-pablo', [{ weekday: 3, start: '16:00:00', end: '20:00:00' }]),
      ]),
    ).toEqual([
      { daysOfWeek: [2], startTime: '09:00', endTime: '14:00' },
      { daysOfWeek: [4], startTime: '16:00', endTime: '20:00' },
    ]);
  });

  it('shades nothing when nobody has hours', () => {
    expect(businessHours([])).toBe(false);
    expect(businessHours([hours('u-laura', []), hours('u-pablo', [])])).toBe(false);
  });
});

describe('initiallyShown', () => {
  const everyone = [laura, pablo];

  it('shows the practitioner asked for in the URL, even to another physiotherapist', () => {
    expect(initiallyShown(everyone, { requested: 'u-pablo', ownId: 'u-laura' })).toEqual(new Set(['u-pablo']));
  });

  it('shows a physiotherapist their own column', () => {
    expect(initiallyShown(everyone, { ownId: 'u-laura' })).toEqual(new Set(['u-laura']));
  });

  it('shows everyone to the front desk', () => {
    expect(initiallyShown(everyone, {})).toEqual(new Set(['u-laura', 'u-pablo']));
  });

  it('ignores ids that are not practitioners', () => {
    expect(initiallyShown(everyone, { requested: 'u-gone', ownId: 'u-laura' })).toEqual(new Set(['u-laura']));
    expect(initiallyShown(everyone, { requested: 'u-gone', ownId: 'u-admin' })).toEqual(
      new Set(['u-laura', 'u-pablo']),
    );
  });

  it('shows nobody before the practitioners are known', () => {
    expect(initiallyShown([], { requested: 'u-laura' })).toEqual(new Set());
  });
});

const clash = (id: string): Clash => ({
  id,
  startsAt: '2026-12-03T11:00:00Z',
  endsAt: '2026-12-03T11:45:00Z',
  practitionerId: 'u-laura',
  patientId: null,
  kind: 'appointment',
});

describe('describeClashes', () => {
  it('matches each clash with the appointment on screen, if loaded', () => {
    const lucia = appointmentRecord({ id: 'a-lucia', patientName: 'Lucía Fernández Martínez' });
    expect(describeClashes([clash('a-lucia'), clash('a-elsewhere')], [appointmentRecord(), lucia])).toEqual([
      { clash: clash('a-lucia'), known: lucia },
      { clash: clash('a-elsewhere'), known: undefined },
    ]);
  });
});
