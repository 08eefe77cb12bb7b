import { render, screen } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { useState } from 'react';
import { afterEach, describe, expect, it } from 'vitest';
import { setLocale } from '../i18n/i18n';
import { isLocalDateTime, parseDisplayDate, parseTime, shiftIsoDate, shiftTime } from '../lib/dateText';
import { DateField, DateTimeField } from './DateField';

describe('the clinic’s date and time text', () => {
  it.each([
    ['31/12/2026', '2026-12-31'],
    ['1/2/2026', '2026-02-01'],
    ['01-02-2026', '2026-02-01'],
    ['1.2.2026', '2026-02-01'],
    ['01022026', '2026-02-01'],
    [' 2026-02-01 ', '2026-02-01'],
    ['29/02/2028', '2028-02-29'],
  ])('reads %s as %s', (typed, iso) => expect(parseDisplayDate(typed)).toBe(iso));

  it.each(['31/02/2026', '29/02/2027', '12/31/2026', '1/2/26', '2026', '', 'hoy'])('refuses %s', (typed) =>
    expect(parseDisplayDate(typed)).toBeNull(),
  );

  it.each([
    ['9:30', '09:30'],
    ['09.30', '09:30'],
    ['930', '09:30'],
    ['1745', '17:45'],
    ['9h30', '09:30'],
    ['9', '09:00'],
    ['23:59', '23:59'],
  ])('reads the time %s as %s', (typed, time) => expect(parseTime(typed)).toBe(time));

  it.each(['24:00', '9:60', '9:5', 'ab', '', '10:00 pm'])('refuses the time %s', (typed) => expect(parseTime(typed)).toBeNull());

  it('steps days, months (to the month’s last day) and times round the clock', () => {
    expect(shiftIsoDate('2026-12-31', 1)).toBe('2027-01-01');
    expect(shiftIsoDate('2026-03-01', -1)).toBe('2026-02-28');
    expect(shiftIsoDate('2026-01-31', 0, 1)).toBe('2026-02-28');
    expect(shiftTime('23:55', 10)).toBe('00:05');
    expect(shiftTime('00:00', -5)).toBe('23:55');
    expect(isLocalDateTime('2026-12-08T10:00')).toBe(true);
    expect(isLocalDateTime('2026-02-30T10:00')).toBe(false);
    expect(isLocalDateTime('2026-12-08T25:00')).toBe(false);
  });
});

function DateForm({ initial = '', max }: { initial?: string; max?: string }) {
  const [value, setValue] = useState(initial);
  return (
    <>
      <DateField id="birth" label="Fecha de nacimiento" value={value} max={max} onChange={setValue} />
      <output data-testid="value">{value}</output>
      <button type="button" onClick={() => setValue('1980-05-03')}>
        Poner
      </button>
    </>
  );
}

describe('DateField', () => {
  afterEach(async () => setLocale('es'));

  it('shows an ISO value as dd/mm/yyyy and hands back ISO whatever the browser’s language', async () => {
    render(<DateForm initial="2026-12-08" />);
    const field = screen.getByLabelText('Fecha de nacimiento');
    expect(field).toHaveAttribute('type', 'text');
    expect(field).toHaveValue('08/12/2026');
    expect(field).toHaveAttribute('placeholder', 'dd/mm/aaaa');
    expect(field).toHaveAccessibleDescription(/formato día\/mes\/año/);
    const user = userEvent.setup();
    await user.clear(field);
    await user.type(field, '3/5/1980');
    expect(screen.getByTestId('value')).toHaveTextContent('1980-05-03');
    expect(field).toHaveValue('3/5/1980'); // kept as typed while the focus is there…
    await user.tab();
    expect(field).toHaveValue('03/05/1980'); // …and written the clinic's way after
  });

  it('says in the app’s language when the text is not a day, and the form sees it is not one', async () => {
    render(<DateForm />);
    const field = screen.getByLabelText('Fecha de nacimiento');
    const user = userEvent.setup();
    await user.type(field, '31/02/2026');
    expect(field).not.toHaveAttribute('aria-invalid'); // not while typing
    await user.tab();
    expect(field).toHaveAttribute('aria-invalid', 'true');
    expect(field).toHaveAccessibleDescription(/Escribe una fecha que exista con el formato dd\/mm\/aaaa/);
    expect(screen.getByTestId('value')).toHaveTextContent('31/02/2026');
    await user.clear(field);
    await user.type(field, '28/02/2026');
    expect(field).not.toHaveAttribute('aria-invalid');
    expect(screen.getByTestId('value')).toHaveTextContent('2026-02-28');
  });

  it('speaks English in English, in the same dd/mm/yyyy', async () => {
    await setLocale('en');
    render(<DateForm />);
    const field = screen.getByLabelText('Fecha de nacimiento');
    expect(field).toHaveAttribute('placeholder', 'dd/mm/yyyy');
    const user = userEvent.setup();
    await user.type(field, '12/31/2026');
    await user.tab();
    expect(field).toHaveAccessibleDescription(/Type a date that exists as dd\/mm\/yyyy/);
  });

  it('moves a day with the arrow keys and a month with Page Up/Down, not past max', async () => {
    render(<DateForm initial="2026-01-31" max="2026-03-15" />);
    const field = screen.getByLabelText('Fecha de nacimiento');
    const user = userEvent.setup();
    await user.click(field);
    await user.keyboard('{ArrowUp}');
    expect(field).toHaveValue('01/02/2026');
    await user.keyboard('{ArrowDown}{ArrowDown}');
    expect(screen.getByTestId('value')).toHaveTextContent('2026-01-30');
    await user.keyboard('{PageUp}');
    expect(field).toHaveValue('28/02/2026');
    await user.keyboard('{PageUp}');
    expect(field).toHaveValue('15/03/2026');
  });

  it('follows a value the form sets itself', async () => {
    render(<DateForm initial="2026-12-08" />);
    await userEvent.setup().click(screen.getByRole('button', { name: 'Poner' }));
    expect(screen.getByLabelText('Fecha de nacimiento')).toHaveValue('03/05/1980');
  });
});

function DateTimeForm({ initial }: { initial: string }) {
  const [value, setValue] = useState(initial);
  return (
    <>
      <DateTimeField id="start" label="Inicio" value={value} onChange={setValue} />
      <output data-testid="value">{value}</output>
      <button type="button" onClick={() => setValue('2026-12-10T16:15')}>
        Hueco
      </button>
    </>
  );
}

describe('DateTimeField', () => {
  it('is a day and a 24-hour time under one label, handed back as YYYY-MM-DDTHH:MM', async () => {
    render(<DateTimeForm initial="2026-12-08T09:00" />);
    const day = screen.getByLabelText('Inicio');
    const time = screen.getByLabelText('Inicio: hora');
    expect(day).toHaveValue('08/12/2026');
    expect(time).toHaveValue('09:00');
    const user = userEvent.setup();
    await user.clear(time);
    await user.type(time, '1730');
    expect(screen.getByTestId('value')).toHaveTextContent('2026-12-08T17:30');
    await user.tab();
    expect(time).toHaveValue('17:30');
    await user.clear(day);
    await user.type(day, '9/12/2026');
    expect(screen.getByTestId('value')).toHaveTextContent('2026-12-09T17:30');
    await user.click(time);
    await user.keyboard('{ArrowUp}');
    expect(screen.getByTestId('value')).toHaveTextContent('2026-12-09T17:35');
  });

  it('tells a wrong time in the app’s words and keeps it from looking like a date', async () => {
    render(<DateTimeForm initial="2026-12-08T09:00" />);
    const time = screen.getByLabelText('Inicio: hora');
    const user = userEvent.setup();
    await user.clear(time);
    await user.type(time, '25:00');
    await user.tab();
    expect(isLocalDateTime(screen.getByTestId('value').textContent ?? '')).toBe(false);
    expect(time).toHaveAttribute('aria-invalid', 'true');
    expect(time).toHaveAccessibleDescription(/la hora como hh:mm/);
  });

  it('follows a time the form sets (a free slot picked)', async () => {
    render(<DateTimeForm initial="2026-12-08T09:00" />);
    await userEvent.setup().click(screen.getByRole('button', { name: 'Hueco' }));
    expect(screen.getByLabelText('Inicio')).toHaveValue('10/12/2026');
    expect(screen.getByLabelText('Inicio: hora')).toHaveValue('16:15');
  });
});
