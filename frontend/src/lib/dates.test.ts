import { describe, expect, it } from 'vitest';
import { inTimeZone } from '../test/timeZone';
import {
  addDays,
  addMinutes,
  dayBounds,
  isoWithOffset,
  isRealDate,
  localIsoDate,
  minutesBetween,
  mondayFirstWeekday,
  nextFullHour,
  toLocalInput,
} from './dates';

// Local dates depend on the browser's zone: pin the clinic's (DST on 2026-03-29 and 2026-10-25).
inTimeZone('Europe/Madrid');

describe('local calendar dates', () => {
  it('is the browser calendar day', () => {
    expect(localIsoDate(new Date(2026, 0, 9, 23, 59))).toBe('2026-01-09');
  });

  it('reads the date in the browser’s zone, not UTC', () => {
    expect(localIsoDate(new Date('2026-12-31T23:30:00Z'))).toBe('2027-01-01');
    expect(localIsoDate(new Date('2026-06-01T21:59:00Z'))).toBe('2026-06-01');
  });

  it('tells a real YYYY-MM-DD day from a malformed or impossible one', () => {
    expect(isRealDate('2028-02-29')).toBe(true);
    expect(isRealDate('2026-02-29')).toBe(false);
    expect(isRealDate('2026-13-01')).toBe(false);
    expect(isRealDate('2026-1-01')).toBe(false);
    expect(isRealDate('')).toBe(false);
  });
});

describe('local times', () => {
  it('writes a datetime-local value in local time, to the minute', () => {
    expect(toLocalInput(new Date('2026-12-03T09:05:42Z'))).toBe('2026-12-03T10:05');
    expect(toLocalInput(new Date('2026-07-03T07:00:00Z'))).toBe('2026-07-03T09:00');
  });

  it('writes the wall-clock time with the offset of that day', () => {
    expect(isoWithOffset(new Date(2026, 10, 27))).toBe('2026-11-27T00:00:00+01:00');
    expect(isoWithOffset(new Date(2026, 6, 1, 9, 30, 5))).toBe('2026-07-01T09:30:05+02:00');
  });

  it('bounds a day at local midnights, 23 or 25 hours apart on DST days', () => {
    const spring = dayBounds(new Date(2026, 2, 29, 15));
    expect(isoWithOffset(spring.start)).toBe('2026-03-29T00:00:00+01:00');
    expect(isoWithOffset(spring.end)).toBe('2026-03-30T00:00:00+02:00');
    expect(minutesBetween(spring.start, spring.end)).toBe(23 * 60);
    const autumn = dayBounds(new Date(2026, 9, 25, 8));
    expect(minutesBetween(autumn.start, autumn.end)).toBe(25 * 60);
  });
});

describe('date arithmetic', () => {
  it('adds calendar days keeping the wall-clock time across DST', () => {
    expect(isoWithOffset(addDays(new Date(2026, 2, 28, 9), 1))).toBe('2026-03-29T09:00:00+02:00');
    expect(localIsoDate(addDays(new Date(2026, 2, 30), -1))).toBe('2026-03-29');
    expect(localIsoDate(addDays(new Date(2026, 11, 31), 1))).toBe('2027-01-01');
  });

  it('adds minutes to an instant', () => {
    expect(addMinutes(new Date('2026-12-03T09:00:00Z'), 45).toISOString()).toBe(
      '2026-12-03T09:45:00.000Z',
    );
  });

  it('counts the minutes between two instants', () => {
    expect(minutesBetween(new Date('2026-12-03T09:00:00Z'), new Date('2026-12-03T10:15:00Z'))).toBe(75);
  });

  it('numbers weekdays from Monday, as the scheduling API does', () => {
    expect(mondayFirstWeekday(new Date(2026, 10, 30))).toBe(0); // a Monday
    expect(mondayFirstWeekday(new Date(2026, 11, 6))).toBe(6); // a Sunday
  });

  it('finds the next o’clock', () => {
    expect(toLocalInput(nextFullHour(new Date(2026, 11, 3, 10, 0)))).toBe('2026-12-03T11:00');
    expect(toLocalInput(nextFullHour(new Date(2026, 11, 3, 23, 59)))).toBe('2026-12-04T00:00');
  });
});
