import { describe, expect, it } from 'vitest';
import { parseCalendarSearch } from './calendarSearch';

describe('parseCalendarSearch', () => {
  it('keeps well-formed values', () => {
    expect(
      parseCalendarSearch({
        date: '2026-12-03',
        view: 'dayGridMonth',
        practitionerId: 'u-laura',
        patientId: 'p-jose',
      }),
    ).toEqual({ date: '2026-12-03', view: 'dayGridMonth', practitionerId: 'u-laura', patientId: 'p-jose' });
    expect(parseCalendarSearch({ view: 'timeGridDay' })).toEqual({ view: 'timeGridDay' });
    expect(parseCalendarSearch({ view: 'timeGridWeek' })).toEqual({ view: 'timeGridWeek' });
    expect(parseCalendarSearch({ view: 'practitionerDay' })).toEqual({ view: 'practitionerDay' });
    expect(parseCalendarSearch({ view: 'listDay' })).toEqual({ view: 'listDay' });
  });

  it('starts empty without params', () => {
    expect(parseCalendarSearch({})).toEqual({});
  });

  it('drops a date that is not YYYY-MM-DD', () => {
    for (const date of ['3/12/2026', '2026-12-3', '2026-12-03T10:00', '', 20261203, null]) {
      expect(parseCalendarSearch({ date })).toEqual({});
    }
  });

  it('drops a view FullCalendar is not set up for', () => {
    for (const view of ['listWeek', 'month', '', 1]) {
      expect(parseCalendarSearch({ view })).toEqual({});
    }
  });

  it('drops empty, over-long or non-string ids', () => {
    expect(parseCalendarSearch({ practitionerId: '', patientId: 'p'.repeat(65) })).toEqual({});
    expect(parseCalendarSearch({ practitionerId: 42, patientId: ['p-jose'] })).toEqual({});
    expect(parseCalendarSearch({ patientId: 'p'.repeat(64) })).toEqual({ patientId: 'p'.repeat(64) });
  });

  it('keeps the good values beside bad ones, and ignores unknown params', () => {
    expect(parseCalendarSearch({ date: 'tomorrow', view: 'timeGridDay', practitionerId: 'u-laura', page: 2 })).toEqual({
      view: 'timeGridDay',
      practitionerId: 'u-laura',
    });
  });
});
