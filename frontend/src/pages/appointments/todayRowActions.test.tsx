import { configure, screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { afterEach, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import type { Appointment } from '../../api/appointments';
import { appointmentRecord, appointmentTypesReply } from '../../test/appointmentFixtures';
import { FakeServer, problem } from '../../test/fakeServer';
import { practitioner, signedIn } from '../../test/fixtures';
import { renderApp } from '../../test/renderApp';
import { inTimeZone } from '../../test/timeZone';
import { rowActions } from './statusActions';

inTimeZone('Europe/Madrid');
beforeAll(() => {
  configure({ asyncUtilTimeout: 5000 });
});
// 12:10 in Madrid on Friday 27 November 2026.
const NOW = new Date('2026-11-27T11:10:00Z');
beforeEach(() => {
  vi.useFakeTimers({ toFake: ['Date'] });
  vi.setSystemTime(NOW);
});
afterEach(() => {
  vi.useRealTimers();
});

const started = appointmentRecord({
  id: 'a-started',
  patientName: 'Marta Sanz',
  startsAt: '2026-11-27T11:00:00Z',
  endsAt: '2026-11-27T11:45:00Z',
  version: 3,
});
const waiting = appointmentRecord({
  id: 'a-waiting',
  patientId: 'p-ana',
  patientName: 'Ana Ruiz',
  status: 'arrived',
  startsAt: '2026-11-27T10:00:00Z',
  endsAt: '2026-11-27T10:45:00Z',
  version: 2,
});
const soon = appointmentRecord({
  id: 'a-soon',
  patientId: 'p-luis',
  patientName: 'Luis Gil',
  startsAt: '2026-11-27T12:00:00Z',
  endsAt: '2026-11-27T12:45:00Z',
});
const later = appointmentRecord({
  id: 'a-later',
  patientId: 'p-eva',
  patientName: 'Eva Mora',
  startsAt: '2026-11-27T16:00:00Z',
  endsAt: '2026-11-27T16:45:00Z',
});
const day: Appointment[] = [started, waiting, soon, later];

function dayServer(): FakeServer {
  return new FakeServer()
    .on('POST /api/token/refresh', { status: 200, body: signedIn(practitioner) })
    .on('GET /api/dashboard/stats', { status: 200, body: { appointmentsToday: 4, degraded: [] } })
    .on('GET /api/appointment-types', appointmentTypesReply)
    .on('GET /api/appointments', { status: 200, body: { member: day } })
    .on('GET /api/records/sessions-without-note', { status: 200, body: { member: [], view: {} } });
}

function buttonsOf(row: HTMLElement): string[] {
  return within(row)
    .queryAllByRole('button')
    .map((button) => button.textContent ?? '');
}

async function openDashboard(server: FakeServer) {
  await renderApp(server, '/');
  const list = await screen.findByRole('region', { name: 'Citas de hoy' });
  return { list, rows: await within(list).findAllByTestId('today-appointment') };
}

describe("today's list: a row's actions", () => {
  it('offers what scheduling would accept now, row by row', async () => {
    const { rows } = await openDashboard(dayServer());
    expect(rows.map(buttonsOf)).toEqual([
      ['Marcar realizada'], // Ana is in the waiting room since 11:00
      ['Ha llegado', 'Marcar realizada', 'No acudió'], // Marta's 12:00 has started
      ['Ha llegado'], // Luis at 13:00: within the hour before
      [], // Eva at 17:00: nothing yet
    ]);
    expect(within(rows[1]!).getByRole('button', { name: 'Ha llegado: Marta Sanz, 12:00–12:45' })).toBeVisible();
  });

  it('marks a patient arrived with the keyboard, sending the version, and says so', async () => {
    const server = dayServer().on('PUT /api/appointments/a-started', (request) => ({
      status: 200,
      body: { ...started, ...(request.body as object), version: 4 },
      headers: { etag: '"4"' },
    }));
    const { list } = await openDashboard(server);
    const arrived = within(list).getByRole('button', { name: 'Ha llegado: Marta Sanz, 12:00–12:45' });
    arrived.focus();
    await userEvent.setup().keyboard('{Enter}');
    await waitFor(() => expect(server.calls('PUT /api/appointments/a-started')).toHaveLength(1));
    const [put] = server.calls('PUT /api/appointments/a-started');
    expect(put?.headers.get('If-Match')).toBe('"3"');
    expect(put?.body).toMatchObject({ status: 'arrived', cancellationReason: null, startsAt: started.startsAt });
    expect(await within(list).findByText('Paciente marcado como llegado.')).toBeInTheDocument();
    // The day is asked again, so the row shows the new state.
    await waitFor(() => expect(server.calls('GET /api/appointments').length).toBeGreaterThan(1));
  });

  it('says when someone else changed the appointment meanwhile', async () => {
    const server = dayServer().on('PUT /api/appointments/a-waiting', problem(412));
    const { list } = await openDashboard(server);
    await userEvent
      .setup()
      .click(within(list).getByRole('button', { name: 'Marcar realizada: Ana Ruiz, 11:00–11:45' }));
    expect(await within(list).findByText(/Alguien ha cambiado esta cita/)).toBeInTheDocument();
  });
});

describe("today's list on a phone", () => {
  const wide = window.innerWidth;
  afterEach(() => {
    window.innerWidth = wide;
  });

  it('is a card per appointment, time and status on top, the actions side by side', async () => {
    window.innerWidth = 390;
    const { list, rows } = await openDashboard(dayServer());
    expect(within(list).queryByRole('table')).not.toBeInTheDocument();
    expect(rows.map((card) => card.tagName)).toEqual(['LI', 'LI', 'LI', 'LI']);
    expect(rows[0]).toHaveTextContent('11:00–11:45Ha llegadoAna RuizSesión de fisioterapia');
    expect(rows.map(buttonsOf)).toEqual([['Marcar realizada'], ['Ha llegado', 'Marcar realizada', 'No acudió'], ['Ha llegado'], []]);
  });
});

describe('rowActions', () => {
  it('follows the transition table and the clock', () => {
    expect(rowActions(appointmentRecord({ status: 'no_show', startsAt: '2026-11-27T09:00:00Z' }), NOW)).toEqual([
      'arrived',
    ]);
    expect(rowActions(appointmentRecord({ status: 'completed' }), NOW)).toEqual([]);
    expect(rowActions(appointmentRecord({ kind: 'block', startsAt: '2026-11-27T09:00:00Z' }), NOW)).toEqual([]);
    // Arrived early: the session is completed only once it has started.
    expect(rowActions({ ...waiting, startsAt: '2026-11-27T11:30:00Z' }, NOW)).toEqual([]);
  });
});
