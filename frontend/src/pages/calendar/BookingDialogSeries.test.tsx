import { fireEvent, screen, waitFor, within } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import type { Appointment } from '../../api/appointments';
import { appointmentRecord } from '../../test/appointmentFixtures';
import { FakeServer } from '../../test/fakeServer';
import { inTimeZone } from '../../test/timeZone';
import { bookingDraft, jose, laura, openBookingDialog } from './bookingDialogFixture';
import type { BookingDraft } from './bookingDraft';

// Issue 14, defect 1: a series meant for Tuesdays also ran on the weekday the dialog opened on.
inTimeZone('Europe/Madrid');

/** Opened on Thursday 3 December 2026 at 10:00 for José (a click on the calendar). */
const draft = (overrides: Partial<BookingDraft> = {}) => bookingDraft({ patient: jose, ...overrides });

/** The sessions the server books for a repeat body (Tuesdays at 10:00 Madrid from the 8th). */
function tuesdays(count: number): Appointment[] {
  return Array.from({ length: count }, (_, week) => {
    const start = new Date(Date.UTC(2026, 11, 8 + 7 * week, 9));
    return appointmentRecord({
      id: `a-${week}`,
      seriesId: 's-1',
      startsAt: start.toISOString(),
      endsAt: new Date(start.getTime() + 45 * 60_000).toISOString(),
    });
  });
}

const open = (server: FakeServer, initial: BookingDraft) =>
  openBookingDialog(server, initial, { practitioners: [laura] });

const weekdays = () => screen.getByRole('group', { name: 'Días de la semana' });
const ticked = () =>
  within(weekdays())
    .getAllByRole('checkbox')
    .filter((box) => (box as HTMLInputElement).checked)
    .map((box) => box.parentElement?.textContent);
/** A new start typed in the day and time boxes (`YYYY-MM-DDTHH:MM`). */
const setStart = (value: string) => {
  const [date = '', time = ''] = value.split('T');
  fireEvent.change(screen.getByLabelText('Inicio'), { target: { value: date } });
  fireEvent.change(screen.getByLabelText('Inicio: hora'), { target: { value: time } });
};

describe('a weekly series in the booking dialog', () => {
  it('ticks the weekday of the start as it changes, states the dates and books them', async () => {
    const server = new FakeServer().on('POST /api/appointments', {
      status: 201,
      body: { seriesId: 's-1', member: tuesdays(10), skipped: [] },
    });
    const { onBooked, user } = await open(server, draft());
    await user.click(screen.getByRole('checkbox', { name: 'Repetir cada semana (tratamiento)' }));
    expect(ticked()).toEqual(['jue']);

    // The patient wants Tuesdays: the start moves to Tuesday the 8th, and so does the weekday.
    setStart('2026-12-08T10:00');
    expect(ticked()).toEqual(['mar']);
    const summary = screen.getByTestId('booking-summary');
    expect(summary).toHaveTextContent('Se reservará: 10 sesiones, martes 10:00, 8 dic 2026 → 9 feb 2027');
    // Read with the button, so a screen reader hears what it will book.
    expect(screen.getByRole('button', { name: 'Reservar' })).toHaveAccessibleDescription(summary.textContent!);

    await user.click(screen.getByRole('button', { name: 'Reservar' }));
    await waitFor(() =>
      expect(onBooked).toHaveBeenCalledWith('Reserva hecha: 10 sesiones, martes 10:00, 8 dic 2026 → 9 feb 2027.', jose),
    );
    expect(server.calls('POST /api/appointments')[0]?.body).toMatchObject({
      startsAt: '2026-12-08T09:00:00.000Z',
      repeat: { every: 'week', weekdays: [1], count: 10 },
    });
  });

  it('keeps the weekdays the user ticked herself when the start moves afterwards', async () => {
    const { user } = await open(new FakeServer(), draft());
    await user.click(screen.getByRole('checkbox', { name: 'Repetir cada semana (tratamiento)' }));
    await user.click(within(weekdays()).getByRole('checkbox', { name: 'lun' }));
    setStart('2026-12-08T10:00');
    // Monday and Thursday as ticked; the first session's Tuesday is booked too, and the summary says so.
    expect(ticked()).toEqual(['lun', 'jue']);
    await user.clear(screen.getByLabelText('Número de sesiones'));
    await user.type(screen.getByLabelText('Número de sesiones'), '4');
    expect(screen.getByTestId('booking-summary')).toHaveTextContent(
      'Se reservará: 4 sesiones, lunes, martes y jueves 10:00, 8 dic 2026 → 15 dic 2026',
    );
  });

  it('states a single booking’s day and time, and nothing while the form cannot be booked', async () => {
    const { user } = await open(new FakeServer(), draft());
    expect(screen.getByTestId('booking-summary')).toHaveTextContent('Se reservará: jueves 3 dic 2026, 10:00');
    setStart('');
    expect(screen.queryByTestId('booking-summary')).not.toBeInTheDocument();
    expect(screen.getByRole('button', { name: 'Reservar' })).not.toHaveAttribute('aria-describedby');
    setStart('2026-12-03T10:00');
    await user.click(screen.getByRole('checkbox', { name: 'Repetir cada semana (tratamiento)' }));
    await user.click(within(weekdays()).getByRole('checkbox', { name: 'jue' }));
    expect(screen.queryByTestId('booking-summary')).not.toBeInTheDocument();
  });
});
