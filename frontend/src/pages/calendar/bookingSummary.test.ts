import { describe, expect, it } from 'vitest';
import { setLocale, t } from '../../i18n/i18n';
import { inTimeZone } from '../../test/timeZone';
import type { BookingDraft } from './bookingDraft';
import { describeSessions, sessionStarts } from './bookingSummary';

// The sessions are the clinic's wall-clock times: pin its zone.
inTimeZone('Europe/Madrid');

/** A series from Tuesday 8 December 2026 at 10:00, unless told. */
function draft(overrides: Partial<BookingDraft> = {}): BookingDraft {
  return {
    kind: 'appointment',
    patient: { id: 'p-jose', fullName: 'José García Núñez' },
    practitionerId: 'u-laura',
    type: 'follow_up',
    title: '',
    start: '2026-12-08T10:00',
    duration: 45,
    notes: '',
    repeat: true,
    weekdays: [1],
    weekdaysChosen: false,
    count: 10,
    ...overrides,
  };
}

const isoDays = (starts: Date[]) => starts.map((start) => start.toLocaleDateString('sv-SE'));

describe('sessionStarts', () => {
  it('lays a weekly series out as the server does, at the same local time', () => {
    const starts = sessionStarts(draft());
    expect(starts).toHaveLength(10);
    expect(isoDays(starts).at(0)).toBe('2026-12-08');
    expect(isoDays(starts).at(-1)).toBe('2027-02-09');
    expect(starts.every((start) => start.getDay() === 2 && start.getHours() === 10)).toBe(true);
  });

  it('always counts the start’s own weekday, then the ticked ones', () => {
    // Starting on a Thursday with only Monday ticked: Thursday 10, Monday 14, Thursday 17.
    const starts = sessionStarts(draft({ start: '2026-12-10T10:00', weekdays: [0], count: 3 }));
    expect(isoDays(starts)).toEqual(['2026-12-10', '2026-12-14', '2026-12-17']);
  });

  it('keeps 09:00 across the change to summer time', () => {
    const starts = sessionStarts(draft({ start: '2027-03-23T09:00', count: 3 }));
    expect(starts.map((start) => start.toISOString())).toEqual([
      '2027-03-23T08:00:00.000Z',
      '2027-03-30T07:00:00.000Z',
      '2027-04-06T07:00:00.000Z',
    ]);
  });

  it('is one session without a repeat, and nothing for a draft that cannot be booked', () => {
    expect(sessionStarts(draft({ repeat: false }))).toHaveLength(1);
    expect(sessionStarts(draft({ kind: 'block', title: 'Formación' }))).toHaveLength(1);
    expect(sessionStarts(draft({ start: '' }))).toEqual([]);
    expect(sessionStarts(draft({ weekdays: [] }))).toEqual([]);
    expect(sessionStarts(draft({ count: 61 }))).toEqual([]);
  });
});

describe('describeSessions', () => {
  it('states the sessions, their weekday and time, and the first and last dates', () => {
    expect(describeSessions(sessionStarts(draft()), t, 'es')).toBe('10 sesiones, martes 10:00, 8 dic 2026 → 9 feb 2027');
    const twice = sessionStarts(draft({ weekdays: [1, 3], count: 4 }));
    expect(describeSessions(twice, t, 'es')).toBe('4 sesiones, martes y jueves 10:00, 8 dic 2026 → 17 dic 2026');
    const thrice = sessionStarts(draft({ weekdays: [0, 2, 4], start: '2026-12-07T10:00', count: 6 }));
    expect(describeSessions(thrice, t, 'es')).toBe(
      '6 sesiones, lunes, miércoles y viernes 10:00, 7 dic 2026 → 18 dic 2026',
    );
  });

  it('names the day of a single booking', () => {
    expect(describeSessions(sessionStarts(draft({ repeat: false })), t, 'es')).toBe('martes 8 dic 2026, 10:00');
    expect(describeSessions([], t, 'es')).toBe('');
  });

  it('speaks English', async () => {
    await setLocale('en');
    expect(describeSessions(sessionStarts(draft()), t, 'en')).toBe('10 sessions, Tuesday 10:00, 8 Dec 2026 → 9 Feb 2027');
    expect(describeSessions(sessionStarts(draft({ repeat: false })), t, 'en')).toBe('Tuesday 8 Dec 2026, 10:00');
  });
});
