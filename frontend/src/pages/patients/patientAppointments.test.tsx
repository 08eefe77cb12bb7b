import { configure, screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { afterEach, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import type { Appointment } from '../../api/appointments';
import { setLocale } from '../../i18n/i18n';
import {
  appointmentPage,
  appointmentRecord,
  appointmentTypesReply,
} from '../../test/appointmentFixtures';
import { FakeServer, type FakeReply, type FakeRequest, problem } from '../../test/fakeServer';
import { patientRecord, receptionist, signedIn } from '../../test/fixtures';
import { renderApp } from '../../test/renderApp';
import { inTimeZone } from '../../test/timeZone';

// The browser's time zone decides how times read: pin it (and the clock) so the strings are known.
const NOW = new Date('2026-11-27T08:00:00Z');
inTimeZone('Europe/Madrid');
beforeAll(() => {
  // The lazily loaded page can take over a second to appear on a busy two-core machine.
  configure({ asyncUtilTimeout: 5000 });
});
beforeEach(() => {
  vi.useFakeTimers({ toFake: ['Date'] });
  vi.setSystemTime(NOW);
});
afterEach(() => {
  vi.useRealTimers();
});

const upcoming = [
  appointmentRecord({ id: 'a-next', startsAt: '2026-12-03T09:00:00Z', endsAt: '2026-12-03T09:45:00Z' }),
  appointmentRecord({
    id: 'a-cancelled',
    startsAt: '2026-12-10T16:30:00Z',
    endsAt: '2026-12-10T17:15:00Z',
    status: 'cancelled',
    practitionerName: 'Pablo Ruiz',
  }),
];
const past = [
  appointmentRecord({
    id: 'a-last',
    startsAt: '2026-11-20T08:00:00Z',
    endsAt: '2026-11-20T09:00:00Z',
    type: 'first_visit',
    status: 'completed',
  }),
  appointmentRecord({
    id: 'a-missed',
    startsAt: '2026-11-13T08:00:00Z',
    endsAt: '2026-11-13T08:45:00Z',
    status: 'no_show',
  }),
];

const none = () => appointmentPage([]);

/** An upcoming appointment on day `n` of December. */
const onDecember = (n: number): Appointment =>
  appointmentRecord({
    id: `a-${n}`,
    startsAt: `2026-12-${String(n).padStart(2, '0')}T09:00:00Z`,
    endsAt: `2026-12-${String(n).padStart(2, '0')}T09:45:00Z`,
  });

type Lists = Partial<Record<'upcoming' | 'past', (request: FakeRequest) => FakeReply>>;

function serverWith(lists: Lists = {}, patient = patientRecord()) {
  const answer = (request: FakeRequest): FakeReply => {
    const when = 'after' in request.params ? 'upcoming' : 'past';
    const reply = lists[when];
    if (reply) return reply(request);
    return appointmentPage(when === 'upcoming' ? upcoming : past);
  };
  return new FakeServer()
    .on('POST /api/token/refresh', { status: 200, body: signedIn(receptionist) })
    .on('GET /api/patients/p-jose', {
      status: 200,
      body: patient,
      headers: { etag: `"${patient.version}"` },
    })
    .on('GET /api/appointment-types', appointmentTypesReply)
    .on('GET /api/appointments', answer);
}

/** The rows of one list, each as its cells' text. */
function rowsOf(list: HTMLElement): string[][] {
  return within(list)
    .queryAllByTestId('patient-appointment')
    .map((row) => within(row).getAllByRole('cell').map((cell) => cell.textContent ?? ''));
}

describe('patient appointments', () => {
  it('lists upcoming soonest first and past latest first, in Spanish and local time', async () => {
    const server = serverWith();
    await renderApp(server, '/patients/p-jose');
    const next = await screen.findByRole('region', { name: 'Próximas citas' });
    const before = screen.getByRole('region', { name: 'Citas anteriores' });
    await within(before).findAllByTestId('patient-appointment');

    expect(rowsOf(next)).toEqual([
      ['3 dic 2026, 10:00', 'Sesión de fisioterapia', 'Laura Martínez', 'Programada', 'Ver en la agenda'],
      ['10 dic 2026, 17:30', 'Sesión de fisioterapia', 'Pablo Ruiz', 'Cancelada', 'Ver en la agenda'],
    ]);
    expect(rowsOf(before)).toEqual([
      ['20 nov 2026, 9:00', 'Valoración inicial', 'Laura Martínez', 'Realizada', 'Ver en la agenda'],
      ['13 nov 2026, 9:00', 'Sesión de fisioterapia', 'Laura Martínez', 'No acudió', 'Ver en la agenda'],
    ]);
    // A cancelled upcoming one stays in the list, greyed.
    const [, cancelled] = within(next).getAllByTestId('patient-appointment');
    expect(cancelled).toHaveClass('text-slate-500');

    const calls = server.calls('GET /api/appointments').map((call) => call.params);
    expect(calls).toContainEqual({
      patientId: 'p-jose',
      after: NOW.toISOString(),
      order: 'asc',
      itemsPerPage: 5,
      page: 1,
    });
    expect(calls).toContainEqual({
      patientId: 'p-jose',
      before: NOW.toISOString(),
      order: 'desc',
      itemsPerPage: 5,
      page: 1,
    });
  });

  it('speaks English: English type names and dates', async () => {
    await setLocale('en');
    await renderApp(serverWith(), '/patients/p-jose');
    const next = await screen.findByRole('region', { name: 'Upcoming appointments' });
    await within(next).findAllByTestId('patient-appointment');
    expect(rowsOf(next)[0]).toEqual([
      '3 Dec 2026, 10:00',
      'Physiotherapy session',
      'Laura Martínez',
      'Scheduled',
      'View in calendar',
    ]);
    const before = screen.getByRole('region', { name: 'Past appointments' });
    expect(rowsOf(before).map((row) => row[3])).toEqual(['Completed', 'No-show']);
  });

  it('links each appointment to its day in the calendar, and books from the patient', async () => {
    await renderApp(serverWith(), '/patients/p-jose');
    const next = await screen.findByRole('region', { name: 'Próximas citas' });
    expect(
      await within(next).findByRole('link', { name: 'Ver en la agenda 3 dic 2026, 10:00' }),
    ).toHaveAttribute('href', '/calendar?date=2026-12-03');
    expect(screen.getByRole('link', { name: 'Pedir cita' })).toHaveAttribute(
      'href',
      '/calendar?patientId=p-jose',
    );
  });

  it('offers no booking for an inactive patient', async () => {
    await renderApp(serverWith({}, patientRecord({ status: 'inactive' })), '/patients/p-jose');
    await screen.findByRole('region', { name: 'Próximas citas' });
    expect(screen.queryByRole('link', { name: 'Pedir cita' })).not.toBeInTheDocument();
  });

  it('says when there are none', async () => {
    await renderApp(serverWith({ upcoming: none, past: none }), '/patients/p-jose');
    expect(await screen.findByText('No tiene citas próximas.')).toBeInTheDocument();
    expect(await screen.findByText('No tiene citas anteriores.')).toBeInTheDocument();
    expect(screen.queryByRole('table')).not.toBeInTheDocument();
  });

  it('shows an error in one list while the other still works, and retries', async () => {
    let failing = true;
    const server = serverWith({
      upcoming: () => (failing ? problem(500) : appointmentPage(upcoming)),
    });
    await renderApp(server, '/patients/p-jose');
    const next = await screen.findByRole('region', { name: 'Próximas citas' });
    expect(await within(next).findByRole('alert')).toBeInTheDocument();
    const before = screen.getByRole('region', { name: 'Citas anteriores' });
    expect(await within(before).findAllByTestId('patient-appointment')).toHaveLength(2);
    // The patient's own data is untouched by scheduling's trouble.
    expect(screen.getByRole('region', { name: 'Datos personales' })).toBeInTheDocument();

    failing = false;
    await userEvent.setup().click(within(next).getByRole('button', { name: 'Reintentar' }));
    expect(await within(next).findAllByTestId('patient-appointment')).toHaveLength(2);
    expect(within(next).queryByRole('alert')).not.toBeInTheDocument();
  });

  it('shows five at first and more on request until there are no more', async () => {
    const all = Array.from({ length: 7 }, (_, i) => onDecember(i + 1));
    const server = serverWith({
      upcoming: (request) =>
        request.params.page === 1
          ? appointmentPage(all.slice(0, 5), true)
          : appointmentPage(all.slice(5)),
    });
    await renderApp(server, '/patients/p-jose');
    const next = await screen.findByRole('region', { name: 'Próximas citas' });
    expect(await within(next).findAllByTestId('patient-appointment')).toHaveLength(5);
    // Only the list with more to show offers "more".
    const before = screen.getByRole('region', { name: 'Citas anteriores' });
    await within(before).findAllByTestId('patient-appointment');
    expect(within(before).queryByRole('button', { name: 'Ver más' })).not.toBeInTheDocument();

    await userEvent.setup().click(within(next).getByRole('button', { name: 'Ver más' }));
    expect(await within(next).findAllByTestId('patient-appointment')).toHaveLength(7);
    expect(rowsOf(next).map((row) => row[0])).toEqual([
      '1 dic 2026, 10:00',
      '2 dic 2026, 10:00',
      '3 dic 2026, 10:00',
      '4 dic 2026, 10:00',
      '5 dic 2026, 10:00',
      '6 dic 2026, 10:00',
      '7 dic 2026, 10:00',
    ]);
    expect(within(next).queryByRole('button', { name: 'Ver más' })).not.toBeInTheDocument();
    const pages = server
      .calls('GET /api/appointments')
      .filter((call) => 'after' in call.params)
      .map((call) => call.params.page);
    expect(pages).toEqual([1, 2]);
  });
});
