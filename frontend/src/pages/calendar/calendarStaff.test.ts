import { describe, expect, it } from 'vitest';
import type { WorkingHours } from '../../api/appointments';
import { appointmentRecord } from '../../test/appointmentFixtures';
import { textOn } from './calendarEvents';
import { nextSlots, searchStart } from './NextFreeSlots';
import { bookingStartFor, hiddenWeekendDays } from './practitionerColumns';
import { movesFar } from './useAppointmentMove';

// Issue 14, "the calendar staff expect": the pure parts of the day by columns, the next free
// times, the weekends left out, the question before a far move and readable event text.

const weekdays = (practitionerId: string, days: number[]): WorkingHours => ({
  practitionerId,
  timeZone: 'Europe/Madrid',
  periods: days.map((weekday) => ({ weekday, start: '09:00:00', end: '14:00:00' })),
});

const slot = (startsAt: string) => ({ startsAt, endsAt: startsAt });
const at = (iso: string) => ({ start: new Date(iso), end: new Date(iso) });
describe('hiddenWeekendDays', () => {
  it('leaves out Saturday and Sunday when nobody shown works then', () => {
    expect(hiddenWeekendDays([weekdays('a', [0, 1, 2, 3, 4])], [])).toEqual([6, 0]);
  });
  it('keeps a weekend day somebody works, or one with an appointment on it', () => {
    expect(hiddenWeekendDays([weekdays('a', [0]), weekdays('b', [5])], [])).toEqual([0]);
    // Saturday 5 December 2026, 10:00 in Madrid.
    expect(hiddenWeekendDays([weekdays('a', [0])], ['2026-12-05T09:00:00Z'])).toEqual([0]);
  });
  it('hides nothing until the hours are in', () => {
    expect(hiddenWeekendDays(null, [])).toEqual([]);
  });
});

describe('bookingStartFor', () => {
  const monday = new Date(2026, 11, 7);
  it('starts at the physiotherapist’s first hour that day', () => {
    const hours: WorkingHours = {
      practitionerId: 'a',
      timeZone: 'Europe/Madrid',
      periods: [
        { weekday: 0, start: '15:00:00', end: '19:00:00' },
        { weekday: 0, start: '10:30:00', end: '14:00:00' },
      ],
    };
    expect(bookingStartFor(monday, hours, new Date(2026, 11, 1))).toEqual(new Date(2026, 11, 7, 10, 30));
  });
  it('starts at nine without hours, and at the next full hour later today', () => {
    expect(bookingStartFor(monday, undefined, new Date(2026, 11, 1))).toEqual(new Date(2026, 11, 7, 9, 0));
    expect(bookingStartFor(monday, undefined, new Date(2026, 11, 7, 11, 20))).toEqual(new Date(2026, 11, 7, 12, 0));
  });
});

describe('nextSlots', () => {
  it('merges everyone’s free times, soonest first, none before the start, at most six', () => {
    const lists = [
      { practitionerId: 'laura', slots: [slot('2026-12-07T09:00:00Z'), slot('2026-12-07T11:00:00Z')] },
      { practitionerId: 'jordi', slots: [slot('2026-12-07T10:00:00Z')] },
    ];
    const offered = nextSlots(lists, new Date('2026-12-07T09:30:00Z'));
    expect(offered.map((s) => [s.practitionerId, s.startsAt])).toEqual([
      ['jordi', '2026-12-07T10:00:00Z'],
      ['laura', '2026-12-07T11:00:00Z'],
    ]);
    const many = [{ practitionerId: 'a', slots: Array.from({ length: 9 }, (_, i) => slot(`2026-12-0${i + 1}T09:00:00Z`)) }];
    expect(nextSlots(many, new Date('2026-11-01T00:00:00Z'))).toHaveLength(6);
  });
  it('searches from the form’s start, never from the past', () => {
    const now = new Date('2026-12-07T09:00:00Z');
    expect(searchStart('', now)).toBe(now);
    expect(searchStart('nonsense', now)).toBe(now);
    expect(searchStart('2026-12-01T10:00', now)).toBe(now);
    expect(searchStart('2026-12-09T10:00', now)).toEqual(new Date('2026-12-09T10:00'));
  });
});

describe('movesFar', () => {
  const appointment = appointmentRecord({ startsAt: '2026-12-03T09:00:00Z', practitionerId: 'u-laura' });
  it('asks for another day or another physiotherapist, not for another time the same day', () => {
    expect(movesFar(appointment, at('2026-12-03T12:00:00Z'))).toBe(false);
    expect(movesFar(appointment, { ...at('2026-12-03T12:00:00Z'), practitionerId: 'u-laura' })).toBe(false);
    expect(movesFar(appointment, at('2026-12-04T09:00:00Z'))).toBe(true);
    expect(movesFar(appointment, { ...at('2026-12-03T09:00:00Z'), practitionerId: 'u-jordi' })).toBe(true);
  });
});

describe('textOn', () => {
  it('keeps white on a dark colour and turns dark on a light one (WCAG AA 4.5:1)', () => {
    expect(textOn('#2563eb')).toBe('#ffffff');
    expect(textOn('#0f766e')).toBe('#ffffff');
    expect(textOn('#16a34a')).toBe('#0f172a');
    expect(textOn('#facc15')).toBe('#0f172a');
    expect(textOn('not a colour')).toBe('#ffffff');
  });
});
