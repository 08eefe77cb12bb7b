import { configure, screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { afterEach, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import type { Appointment } from '../../api/appointments';
import type { SessionUser } from '../../auth/types';
import { setLocale } from '../../i18n/i18n';
import { appointmentRecord, appointmentTypesReply } from '../../test/appointmentFixtures';
import { FakeServer, type FakeReply, problem } from '../../test/fakeServer';
import { practitioner, receptionist, signedIn } from '../../test/fixtures';
import { renderApp } from '../../test/renderApp';
import { inTimeZone } from '../../test/timeZone';

// Pin the browser's time zone and the clock: "today" and the times shown are then known.
inTimeZone('Europe/Madrid');
beforeAll(() => {
  // The lazily loaded page can take over a second to appear on a busy two-core machine.
  configure({ asyncUtilTimeout: 5000 });
});
beforeEach(() => {
  vi.useFakeTimers({ toFake: ['Date'] });
  vi.setSystemTime(new Date('2026-11-27T08:00:00Z'));
});
afterEach(() => {
  vi.useRealTimers();
});

// Given out of order, as nothing promises the API sorts them.
const today: Appointment[] = [
  appointmentRecord({
    id: 'a-noon',
    practitionerId: 'u-pablo',
    practitionerName: 'Pablo Ruiz',
    patientId: 'p-marta',
    patientName: 'Marta Sanz',
    type: 'first_visit',
    startsAt: '2026-11-27T11:00:00Z',
    endsAt: '2026-11-27T12:00:00Z',
  }),
  appointmentRecord({
    id: 'a-cancelled',
    patientName: 'Luis Cancelado',
    status: 'cancelled',
    startsAt: '2026-11-27T08:00:00Z',
    endsAt: '2026-11-27T08:45:00Z',
  }),
  appointmentRecord({
    id: 'a-slot',
    kind: 'empty_slot',
    patientId: null,
    patientName: null,
    type: null,
    startsAt: '2026-11-27T10:00:00Z',
    endsAt: '2026-11-27T10:45:00Z',
  }),
  appointmentRecord({
    id: 'a-first',
    status: 'completed',
    startsAt: '2026-11-27T08:15:00Z',
    endsAt: '2026-11-27T09:00:00Z',
  }),
];

function serverWith(user: SessionUser, reply?: FakeReply) {
  return new FakeServer()
    .on('POST /api/token/refresh', { status: 200, body: signedIn(user) })
    .on('GET /api/dashboard/stats', {
      status: 200,
      body: { totalPatients: 12, appointmentsToday: 3, totalInvoices: 5, degraded: [] },
    })
    .on('GET /api/appointment-types', appointmentTypesReply)
    .on(
      'GET /api/appointments',
      (request) =>
        reply ?? {
          status: 200,
          body: {
            member: today.filter(
              (a) => !request.params.practitionerId || a.practitionerId === request.params.practitionerId,
            ),
          },
        },
    );
}

function rows(): string[][] {
  return screen
    .queryAllByTestId('today-appointment')
    .map((row) => within(row).getAllByRole('cell').map((cell) => cell.textContent ?? ''));
}

describe("dashboard: today's appointments", () => {
  it('lists the whole clinic for reception, by time, without the cancelled ones', async () => {
    const server = serverWith(receptionist);
    await renderApp(server, '/');
    const list = await screen.findByRole('region', { name: 'Citas de hoy' });
    await within(list).findAllByTestId('today-appointment');

    expect(rows()).toEqual([
      ['9:15–10:00', 'José García Núñez', 'Laura Martínez', 'Sesión de fisioterapia', 'Realizada', ''],
      ['11:00–11:45', 'Hueco libre', 'Laura Martínez', '', '', ''],
      ['12:00–13:00', 'Marta Sanz', 'Pablo Ruiz', 'Valoración inicial', 'Programada', ''],
    ]);
    expect(screen.queryByText('Luis Cancelado')).not.toBeInTheDocument();
    expect(within(list).getByRole('link', { name: 'Marta Sanz' })).toHaveAttribute(
      'href',
      '/patients/p-marta',
    );
    // Reception has no "only mine" to choose.
    expect(within(list).queryByRole('checkbox')).not.toBeInTheDocument();
    // Local midnight to local midnight, with the browser's offset spelled out.
    expect(server.calls('GET /api/appointments').map((call) => call.params)).toEqual([
      { start: '2026-11-27T00:00:00+01:00', end: '2026-11-28T00:00:00+01:00' },
    ]);
    expect(screen.getByTestId('appointmentsToday')).toHaveTextContent('3');
  });

  it('reads in English', async () => {
    await setLocale('en');
    await renderApp(serverWith(receptionist), '/');
    const list = await screen.findByRole('region', { name: "Today's appointments" });
    await within(list).findAllByTestId('today-appointment');
    expect(rows()[1]).toEqual(['11:00–11:45', 'Open slot', 'Laura Martínez', '', '', '']);
    expect(rows()[2]).toEqual([
      '12:00–13:00',
      'Marta Sanz',
      'Pablo Ruiz',
      'Initial assessment',
      'Scheduled',
      '',
    ]);
  });

  it("shows a physiotherapist their own day, and everyone's on request", async () => {
    const server = serverWith(practitioner);
    await renderApp(server, '/');
    const list = await screen.findByRole('region', { name: 'Citas de hoy' });
    await within(list).findAllByTestId('today-appointment');
    expect(rows().map((row) => row[1])).toEqual(['José García Núñez', 'Hueco libre']);
    const mine = within(list).getByRole('checkbox', { name: 'Solo mis citas' });
    expect(mine).toBeChecked();

    await userEvent.setup().click(mine);
    expect(await within(list).findByText('Marta Sanz')).toBeInTheDocument();
    expect(rows()).toHaveLength(3);
    expect(server.calls('GET /api/appointments').map((call) => call.params.practitionerId)).toEqual([
      'u-laura',
      undefined,
    ]);
  });

  it('says when the day is empty', async () => {
    await renderApp(serverWith(receptionist, { status: 200, body: { member: [] } }), '/');
    expect(await screen.findByText('No hay citas para hoy.')).toBeInTheDocument();
    expect(screen.queryByRole('table')).not.toBeInTheDocument();
  });

  it('tells a physiotherapist they have nothing today', async () => {
    await renderApp(serverWith(practitioner, { status: 200, body: { member: [] } }), '/');
    expect(await screen.findByText('Hoy no tienes citas.')).toBeInTheDocument();
  });

  it('keeps the rest of the dashboard when scheduling is down', async () => {
    const server = serverWith(receptionist, problem(500));
    await renderApp(server, '/');
    const list = await screen.findByRole('region', { name: 'Citas de hoy' });
    const note = await within(list).findByText(
      'La agenda no responde ahora mismo, así que no se pueden mostrar las citas de hoy.',
    );
    expect(note).toHaveAttribute('role', 'status');
    expect(await screen.findByTestId('appointmentsToday')).toHaveTextContent('3');

    server.on('GET /api/appointments', { status: 200, body: { member: today } });
    await userEvent.setup().click(within(list).getByRole('button', { name: 'Reintentar' }));
    expect(await within(list).findAllByTestId('today-appointment')).toHaveLength(3);
    expect(within(list).queryByText(/La agenda no responde/)).not.toBeInTheDocument();
  });

  it('asks for a whole local day on the day the clocks change', async () => {
    vi.setSystemTime(new Date('2027-03-28T10:00:00Z'));
    const server = serverWith(receptionist, { status: 200, body: { member: [] } });
    await renderApp(server, '/');
    await screen.findByText('No hay citas para hoy.');
    expect(server.calls('GET /api/appointments')[0]!.params).toEqual({
      start: '2027-03-28T00:00:00+01:00',
      end: '2027-03-29T00:00:00+02:00',
    });
  });
});
