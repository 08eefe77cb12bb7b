import { screen } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import { setLocale } from '../i18n/i18n';
import { FakeServer } from '../test/fakeServer';
import { appointmentTypesReply } from '../test/appointmentFixtures';
import { receptionist, signedIn } from '../test/fixtures';
import { renderApp } from '../test/renderApp';

function serverWith(stats: object): FakeServer {
  return new FakeServer()
    .on('POST /api/token/refresh', { status: 200, body: signedIn(receptionist) })
    .on('GET /api/dashboard/stats', { status: 200, body: stats })
    .on('GET /api/appointment-types', appointmentTypesReply)
    .on('GET /api/appointments', { status: 200, body: { member: [] } });
}

describe('DashboardPage', () => {
  it('shows the counters in the locale', async () => {
    await setLocale('en');
    await renderApp(
      serverWith({ totalPatients: 1234, totalAppointments: 56, totalInvoices: 7, degraded: [] }),
      '/',
    );
    expect(await screen.findByTestId('totalPatients')).toHaveTextContent('1,234');
    expect(screen.getByTestId('totalAppointments')).toHaveTextContent('56');
    expect(await screen.findByText('No appointments today.')).toBeInTheDocument();
    expect(screen.queryByRole('status')).not.toBeInTheDocument();
    // The patients' extra counters appear only when patients sent them.
    expect(screen.queryByTestId('activePatients')).not.toBeInTheDocument();
  });

  it('adds the active and new patients when the patients context sends them', async () => {
    await renderApp(
      serverWith({
        totalPatients: 1234,
        activePatients: 1200,
        newPatientsThisMonth: 17,
        totalAppointments: 56,
        totalInvoices: 7,
        degraded: [],
      }),
      '/',
    );
    expect(await screen.findByTestId('activePatients')).toHaveTextContent('1200');
    expect(screen.getByText('Pacientes activos')).toBeInTheDocument();
    expect(screen.getByTestId('newPatientsThisMonth')).toHaveTextContent('17');
    expect(screen.getByText('Pacientes nuevos este mes')).toBeInTheDocument();
  });

  it('names the parts that are not answering instead of breaking', async () => {
    await renderApp(
      serverWith({
        totalPatients: null,
        totalAppointments: null,
        totalInvoices: 7,
        degraded: ['patients', 'scheduling'],
      }),
      '/',
    );
    const note = await screen.findByText(/Algunos datos no están disponibles/);
    expect(note).toHaveAttribute('role', 'status');
    expect(note).toHaveTextContent('Algunos datos no están disponibles ahora mismo: pacientes, agenda.');
    expect(screen.getByTestId('totalPatients')).toHaveTextContent('No disponible');
    expect(screen.getByTestId('totalInvoices')).toHaveTextContent('7');
  });
});
