import { screen, waitFor, within } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import { appointmentRecord } from '../../test/appointmentFixtures';
import { type FakeRequest, FakeServer, problem } from '../../test/fakeServer';
import { inTimeZone } from '../../test/timeZone';
import { bookingDraft, jose, laura, openBookingDialog } from './bookingDialogFixture';
import type { BookingDraft } from './bookingDraft';

// Issue 14, defect 2: a time outside the physiotherapist's hours is refused unless deliberate.
inTimeZone('Europe/Madrid');

/** Saturday 12 December 2026 at 10:00 for José. */
const draft = (overrides: Partial<BookingDraft> = {}) =>
  bookingDraft({ patient: jose, start: '2026-12-12T10:00', weekdays: [5], ...overrides });

const outsideHours = (extra: Record<string, unknown> = {}) =>
  problem(422, {
    detail: "startsAt: outside the practitioner's working hours",
    errors: [{ field: 'startsAt', message: "outside the practitioner's working hours" }],
    code: 'outside_working_hours',
    reason: 'closed',
    ...extra,
  });

const isDeliberate = (request: FakeRequest) => (request.body as { allowOutsideHours?: boolean }).allowOutsideHours;

/** Refuses what does not say `allowOutsideHours`, books what does. */
function strictServer(refusal = outsideHours()) {
  return new FakeServer().on('POST /api/appointments', (request) =>
    isDeliberate(request)
      ? { status: 201, body: appointmentRecord({ startsAt: '2026-12-12T09:00:00Z', endsAt: '2026-12-12T09:45:00Z' }) }
      : refusal,
  );
}

const open = (server: FakeServer, initial: BookingDraft) =>
  openBookingDialog(server, initial, { practitioners: [laura] });

const question = () => screen.findByRole('group', { name: 'Fuera del horario de trabajo: ¿reservar igualmente?' });

describe('booking outside working hours', () => {
  it('asks before booking anyway, keeping what was typed, and resends saying it is deliberate', async () => {
    const server = strictServer();
    const { onBooked, user } = await open(server, draft());
    await user.type(screen.getByLabelText('Notas'), 'Sábado, a petición del titular');
    await user.click(screen.getByRole('button', { name: 'Reservar' }));

    const confirm = await question();
    expect(confirm).toHaveAccessibleDescription('Esa hora queda fuera del horario de trabajo del fisioterapeuta.');
    // Not an English server message beside the field, nor the generic "check the form".
    expect(screen.getByLabelText('Inicio')).not.toHaveAccessibleDescription(/outside/);
    expect(screen.queryByRole('alert')).not.toBeInTheDocument();
    // Focus is on the answer: Enter books anyway.
    const anyway = within(confirm).getByRole('button', { name: 'Reservar igualmente' });
    expect(anyway).toHaveFocus();
    expect(screen.getByLabelText('Notas')).toHaveValue('Sábado, a petición del titular');
    expect(screen.getByTestId('picked-patient')).toHaveTextContent('José García Núñez');
    await user.keyboard('{Enter}');

    await waitFor(() => expect(onBooked).toHaveBeenCalledWith('Reserva hecha: sábado 12 dic 2026, 10:00.', jose));
    const [refused, deliberate] = server.calls('POST /api/appointments').map((call) => call.body);
    expect(refused).not.toHaveProperty('allowOutsideHours');
    expect(deliberate).toEqual({ ...(refused as object), allowOutsideHours: true });
    // Another request, another Idempotency-Key.
    const [first, second] = server.headerOf('POST /api/appointments', 'Idempotency-Key');
    expect(second).not.toBe(first);
  });

  it('goes back to the start time on request, and a change of the form asks again', async () => {
    const server = strictServer();
    const { onBooked, user } = await open(server, draft());
    await user.click(screen.getByRole('button', { name: 'Reservar' }));
    await user.click(within(await question()).getByRole('button', { name: 'Cambiar la hora' }));
    expect(screen.queryByTestId('outside-hours')).not.toBeInTheDocument();
    expect(screen.getByLabelText('Inicio')).toHaveFocus();

    await user.click(screen.getByRole('button', { name: 'Reservar' }));
    await question();
    await user.type(screen.getByLabelText('Notas'), 'x');
    // The question was about the form as it was.
    expect(screen.queryByTestId('outside-hours')).not.toBeInTheDocument();
    expect(server.calls('POST /api/appointments')).toHaveLength(2);
    expect(onBooked).not.toHaveBeenCalled();
  });

  it('lists the dates of a series that fall outside, and books the whole series on request', async () => {
    const refusal = outsideHours({ dates: ['2026-12-13', '2026-12-20'], errors: [{ field: 'repeat.weekdays', message: 'x' }] });
    const server = new FakeServer().on('POST /api/appointments', (request) =>
      isDeliberate(request)
        ? { status: 201, body: { seriesId: 's-1', member: [appointmentRecord()], skipped: [] } }
        : refusal,
    );
    const { onBooked, user } = await open(server, draft({ start: '2026-12-08T10:00', repeat: true, weekdays: [1, 6], weekdaysChosen: true, count: 4 }));
    await user.click(screen.getByRole('button', { name: 'Reservar' }));
    expect(await question()).toHaveAccessibleDescription(
      'Sesiones fuera del horario de trabajo del fisioterapeuta o en una ausencia: 13 dic 2026, 20 dic 2026.',
    );
    await user.click(screen.getByRole('button', { name: 'Reservar igualmente' }));
    await waitFor(() => expect(onBooked).toHaveBeenCalledOnce());
    expect(server.calls('POST /api/appointments').at(-1)?.body).toMatchObject({
      repeat: { weekdays: [1, 6], count: 4 },
      skipClashes: false,
      allowOutsideHours: true,
    });
  });
});
