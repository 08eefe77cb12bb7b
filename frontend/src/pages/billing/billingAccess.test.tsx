import { act, screen, waitFor, within } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import { appointmentRecord, appointmentTypes, appointmentTypesReply } from '../../test/appointmentFixtures';
import { billingServer, collectionPage } from '../../test/billingFixtures';
import { FakeServer } from '../../test/fakeServer';
import { admin, patientPage, patientRecord, practitioner, receptionist, signedIn } from '../../test/fixtures';
import { renderApp } from '../../test/renderApp';
import { renderDialog } from '../../test/renderDialog';
import type { SessionUser } from '../../auth/types';
import { AppointmentDialog } from '../calendar/AppointmentDialog';
import { setLocale } from '../../i18n/i18n';

function dashboardServer(user: SessionUser, stats: object) {
  return new FakeServer()
    .on('POST /api/token/refresh', { status: 200, body: signedIn(user) })
    .on('GET /api/dashboard/stats', { status: 200, body: stats })
    .on('GET /api/appointment-types', appointmentTypesReply)
    .on('GET /api/appointments', { status: 200, body: { member: [] } });
}

const billingStats = {
  totalPatients: 10,
  totalAppointments: 20,
  totalInvoices: 120,
  issuedThisMonth: 14,
  outstandingAmount: '1380.50',
  degraded: [],
};

describe('who sees billing', () => {
  it.each([
    ['the front desk', receptionist],
    ['an admin', admin],
  ])('%s has Invoices and Customers in the navigation', async (_who, user) => {
    await renderApp(dashboardServer(user, billingStats), '/');
    const nav = await screen.findByRole('navigation', { name: 'Menú' });
    expect(within(nav).getByRole('link', { name: 'Facturas' })).toHaveAttribute('href', '/invoices');
    expect(within(nav).getByRole('link', { name: 'Clientes' })).toHaveAttribute('href', '/customers');
  });

  it('a physiotherapist has no billing in the navigation and is refused every billing page', async () => {
    const server = billingServer(practitioner)
      .on('GET /api/invoices', collectionPage([]))
      .on('GET /api/customers', collectionPage([]));
    const { router } = await renderApp(server, '/invoices');
    expect(await screen.findByRole('heading', { name: 'Acceso no permitido' })).toBeInTheDocument();
    const nav = screen.getByRole('navigation', { name: 'Menú' });
    expect(within(nav).queryByRole('link', { name: 'Facturas' })).not.toBeInTheDocument();
    expect(within(nav).queryByRole('link', { name: 'Clientes' })).not.toBeInTheDocument();

    const paths = ['/invoices/new?patientId=p-jose', '/invoices/i-1', '/customers', '/customers/c-jose', '/settings/billing'];
    // One after the other: each visit must end on the refusal before the next starts.
    await paths.reduce(async (previous, path) => {
      await previous;
      await act(() => router.navigate({ href: path }));
      await waitFor(() => expect(router.state.location.href).toBe(path));
      expect(await screen.findByRole('heading', { name: 'Acceso no permitido' })).toBeInTheDocument();
    }, Promise.resolve());
    expect(server.requests.filter((request) => request.url !== '/api/token/refresh')).toEqual([]);
  });
});

describe('the dashboard’s billing counters', () => {
  it('show the front desk the invoices, those issued this month and what is owed', async () => {
    await renderApp(dashboardServer(receptionist, billingStats), '/');
    expect(await screen.findByTestId('issuedThisMonth')).toHaveTextContent('14');
    expect(screen.getByText('Facturas emitidas este mes')).toBeInTheDocument();
    // An all-time total is not what the desk needs each morning.
    expect(screen.queryByTestId('totalInvoices')).not.toBeInTheDocument();
    expect(screen.getByText('Pendiente de cobro')).toBeInTheDocument();
    expect(screen.getByTestId('outstandingAmount')).toHaveTextContent('1380,50 €');
  });

  it('in English too', async () => {
    await setLocale('en');
    await renderApp(dashboardServer(admin, billingStats), '/');
    expect(await screen.findByTestId('outstandingAmount')).toHaveTextContent('€1,380.50');
    expect(screen.getByText('Invoices issued this month')).toBeInTheDocument();
  });

  it('are not shown to a physiotherapist (billing answers them nothing)', async () => {
    const stats = { appointmentsToday: 10, totalInvoices: null, degraded: [] };
    await renderApp(dashboardServer(practitioner, stats), '/');
    expect(await screen.findByTestId('appointmentsToday')).toHaveTextContent('10');
    expect(screen.queryByTestId('issuedThisMonth')).not.toBeInTheDocument();
    expect(screen.queryByTestId('outstandingAmount')).not.toBeInTheDocument();
  });
});

describe('invoicing from elsewhere', () => {
  it('the patients list offers the front desk "Facturar" per patient', async () => {
    const server = new FakeServer()
      .on('POST /api/token/refresh', { status: 200, body: signedIn(receptionist) })
      .on('GET /api/patients', patientPage([patientRecord()]));
    await renderApp(server, '/patients');
    expect(await screen.findByRole('link', { name: 'Facturar José García Núñez' })).toHaveAttribute(
      'href',
      '/invoices/new?patientId=p-jose',
    );
  });

  it('but not a physiotherapist', async () => {
    const server = new FakeServer()
      .on('POST /api/token/refresh', { status: 200, body: signedIn(practitioner) })
      .on('GET /api/patients', patientPage([patientRecord()]));
    await renderApp(server, '/patients');
    await screen.findByRole('link', { name: 'Editar José García Núñez' });
    expect(screen.queryByRole('link', { name: /^Facturar/ })).not.toBeInTheDocument();
  });

  it('a completed appointment offers "Facturar" with its session', async () => {
    const completed = appointmentRecord({ status: 'completed' });
    await renderDialog(
      new FakeServer(),
      <AppointmentDialog
        appointment={completed}
        practitioners={[]}
        types={appointmentTypes}
        loaded={[completed]}
        now={new Date('2026-12-03T12:00:00Z')}
        onClose={() => {}}
        onChanged={() => {}}
        canInvoice
      />,
    );
    expect(screen.getByRole('link', { name: 'Facturar' })).toHaveAttribute(
      'href',
      '/invoices/new?patientId=p-jose&sessionId=a-1',
    );
  });

  it('but not a scheduled one, nor for someone who does not bill', async () => {
    const scheduled = appointmentRecord();
    const { unmount } = await renderDialog(
      new FakeServer(),
      <AppointmentDialog
        appointment={scheduled}
        practitioners={[]}
        types={appointmentTypes}
        loaded={[scheduled]}
        now={new Date('2026-12-03T12:00:00Z')}
        onClose={() => {}}
        onChanged={() => {}}
        canInvoice
      />,
    );
    expect(screen.queryByRole('link', { name: 'Facturar' })).not.toBeInTheDocument();
    unmount();
    const completed = appointmentRecord({ status: 'completed' });
    await renderDialog(
      new FakeServer(),
      <AppointmentDialog
        appointment={completed}
        practitioners={[]}
        types={appointmentTypes}
        loaded={[completed]}
        now={new Date('2026-12-03T12:00:00Z')}
        onClose={() => {}}
        onChanged={() => {}}
      />,
    );
    expect(screen.queryByRole('link', { name: 'Facturar' })).not.toBeInTheDocument();
  });
});
