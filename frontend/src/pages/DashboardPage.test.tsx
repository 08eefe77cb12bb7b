import { screen } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import { setLocale } from '../i18n/i18n';
import { FakeServer } from '../test/fakeServer';
import { appointmentTypesReply } from '../test/appointmentFixtures';
import { practitioner, receptionist, signedIn } from '../test/fixtures';
import { renderApp } from '../test/renderApp';

function serverWith(stats: object): FakeServer {
  return new FakeServer()
    .on('POST /api/token/refresh', { status: 200, body: signedIn(receptionist) })
    .on('GET /api/dashboard/stats', { status: 200, body: stats })
    .on('GET /api/appointment-types', appointmentTypesReply)
    .on('GET /api/appointments', { status: 200, body: { member: [] } });
}

describe('DashboardPage', () => {
  it("shows the day's and the week's counters in the locale, not all-time totals", async () => {
    await setLocale('en');
    await renderApp(
      serverWith({
        totalPatients: 1234,
        totalAppointments: 5600,
        totalInvoices: 7,
        appointmentsToday: 1234,
        appointmentsThisWeek: 56,
        noShows30d: 3,
        practitionerId: null,
        degraded: [],
      }),
      '/',
    );
    expect(await screen.findByTestId('appointmentsToday')).toHaveTextContent('1,234');
    expect(screen.getByTestId('appointmentsThisWeek')).toHaveTextContent('56');
    expect(screen.getByTestId('noShows30d')).toHaveTextContent('3');
    expect(screen.getByText('No-shows (30 days)')).toBeInTheDocument();
    for (const total of ['totalPatients', 'totalAppointments', 'totalInvoices']) {
      expect(screen.queryByTestId(total)).not.toBeInTheDocument();
    }
    expect(await screen.findByText('No appointments today.')).toBeInTheDocument();
    expect(screen.queryByRole('status')).not.toBeInTheDocument();
    expect(screen.queryByText('Figures for your appointments.')).not.toBeInTheDocument();
  });

  it("adds the month's new patients when the patients context sends them", async () => {
    await renderApp(
      serverWith({ totalPatients: 1234, activePatients: 1200, newPatientsThisMonth: 17, degraded: [] }),
      '/',
    );
    expect(await screen.findByTestId('newPatientsThisMonth')).toHaveTextContent('17');
    expect(screen.getByText('Pacientes nuevos este mes')).toBeInTheDocument();
    expect(screen.queryByTestId('activePatients')).not.toBeInTheDocument();
  });

  it('names the parts that are not answering instead of breaking', async () => {
    await renderApp(
      serverWith({
        totalPatients: null,
        totalAppointments: null,
        totalInvoices: 7,
        issuedThisMonth: 4,
        degraded: ['patients', 'scheduling'],
      }),
      '/',
    );
    const note = await screen.findByText(/Algunos datos no están disponibles/);
    expect(note).toHaveAttribute('role', 'status');
    expect(note).toHaveTextContent('Algunos datos no están disponibles ahora mismo: pacientes, agenda.');
    expect(screen.getByTestId('appointmentsToday')).toHaveTextContent('No disponible');
    expect(screen.getByTestId('newPatientsThisMonth')).toHaveTextContent('No disponible');
    expect(screen.getByTestId('issuedThisMonth')).toHaveTextContent('4');
  });

  it('says nothing about a context that is not deployed', async () => {
    await renderApp(
      serverWith({ appointmentsToday: 2, degraded: [], notDeployed: ['records', 'billing'] }),
      '/',
    );
    expect(await screen.findByTestId('appointmentsToday')).toHaveTextContent('2');
    expect(screen.queryByText(/Algunos datos no están disponibles/)).not.toBeInTheDocument();
    expect(screen.queryByTestId('issuedThisMonth')).not.toBeInTheDocument();
    expect(screen.queryByTestId('sessionsWithoutNote')).not.toBeInTheDocument();
  });

  it("puts a physiotherapist's day first, with their own figures and no front-desk ones", async () => {
    const server = serverWith({
      appointmentsToday: 5,
      noShows30d: 1,
      newPatientsThisMonth: 9,
      practitionerId: practitioner.id,
      degraded: [],
    }).on('POST /api/token/refresh', { status: 200, body: signedIn(practitioner) });
    await renderApp(server, '/');
    expect(await screen.findByTestId('appointmentsToday')).toHaveTextContent('5');
    expect(screen.getByText('Cifras de tus citas.')).toBeInTheDocument();
    expect(screen.queryByTestId('newPatientsThisMonth')).not.toBeInTheDocument();
    const headings = screen.getAllByRole('heading', { level: 2 }).map((h) => h.textContent);
    expect(headings[0]).toBe('Citas de hoy');
  });
});
