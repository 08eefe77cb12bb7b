import { act, screen, waitFor, within } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import { appointmentRecord, appointmentTypes, appointmentTypesReply } from '../../test/appointmentFixtures';
import { FakeServer } from '../../test/fakeServer';
import { admin, practitioner, receptionist, signedIn } from '../../test/fixtures';
import { isRecordsUrl, recordsServer } from '../../test/recordsFixtures';
import { renderApp } from '../../test/renderApp';
import { renderDialog } from '../../test/renderDialog';
import { AppointmentDialog } from '../calendar/AppointmentDialog';

const stats = { appointmentsToday: 7, appointmentsThisWeek: 20, newPatientsThisMonth: 10, degraded: [] };

describe('who sees clinical records', () => {
  it('a receptionist sees no clinical history on the patient page, and nothing is asked', async () => {
    const server = recordsServer(receptionist);
    await renderApp(server, '/patients/p-jose');
    expect(await screen.findByRole('heading', { level: 1, name: /José García Núñez/ })).toBeInTheDocument();
    await screen.findByRole('region', { name: 'Citas' });
    expect(screen.queryByRole('region', { name: 'Historia clínica' })).not.toBeInTheDocument();
    expect(screen.queryByRole('link', { name: 'Nueva nota' })).not.toBeInTheDocument();
    expect(server.requests.filter((request) => isRecordsUrl(request.url))).toEqual([]);
  });

  it.each([
    ['a physiotherapist', practitioner],
    ['an admin', admin],
  ])('%s sees the clinical history on the patient page', async (_who, user) => {
    const server = recordsServer(user);
    await renderApp(server, '/patients/p-jose');
    const history = await screen.findByRole('region', { name: 'Historia clínica' });
    expect(within(history).getByRole('link', { name: 'Nueva nota' })).toHaveAttribute(
      'href',
      '/records/new?patientId=p-jose',
    );
    expect(await within(history).findByText('Todavía no hay notas clínicas.')).toBeInTheDocument();
    expect(server.calls('GET /api/records')[0]!.params).toMatchObject({ patientId: 'p-jose', page: 1 });
  });

  it('a receptionist is refused every records page without a request, and has no audit link', async () => {
    const server = recordsServer(receptionist);
    const { router } = await renderApp(server, '/records/new?patientId=p-jose');
    expect(await screen.findByRole('heading', { name: 'Acceso no permitido' })).toBeInTheDocument();
    const nav = screen.getByRole('navigation', { name: 'Menú' });
    expect(within(nav).queryByRole('link', { name: 'Auditoría clínica' })).not.toBeInTheDocument();
    // One after the other: each visit must end on the refusal before the next starts.
    await ['/records/e-1/edit', '/records/audit'].reduce(async (previous, path) => {
      await previous;
      await act(() => router.navigate({ href: path }));
      await waitFor(() => expect(router.state.location.href).toBe(path));
      expect(await screen.findByRole('heading', { name: 'Acceso no permitido' })).toBeInTheDocument();
    }, Promise.resolve());
    expect(server.requests.filter((request) => isRecordsUrl(request.url))).toEqual([]);
  });

  it('a receptionist’s dashboard has no sessions without a note and asks records nothing', async () => {
    const server = new FakeServer()
      .on('POST /api/token/refresh', { status: 200, body: signedIn(receptionist) })
      .on('GET /api/dashboard/stats', { status: 200, body: stats })
      .on('GET /api/appointment-types', appointmentTypesReply)
      .on('GET /api/appointments', { status: 200, body: { member: [] } });
    await renderApp(server, '/');
    expect(await screen.findByTestId('newPatientsThisMonth')).toHaveTextContent('10');
    expect(screen.queryByRole('heading', { name: 'Sesiones sin nota' })).not.toBeInTheDocument();
    expect(screen.queryByTestId('sessionsWithoutNote')).not.toBeInTheDocument();
    expect(server.requests.filter((request) => isRecordsUrl(request.url))).toEqual([]);
  });

  it('only an admin has the audit in the navigation', async () => {
    const server = new FakeServer()
      .on('POST /api/token/refresh', { status: 200, body: signedIn(admin) })
      .on('GET /api/dashboard/stats', { status: 200, body: stats })
      .on('GET /api/appointment-types', appointmentTypesReply)
      .on('GET /api/appointments', { status: 200, body: { member: [] } });
    await renderApp(server, '/');
    const nav = await screen.findByRole('navigation', { name: 'Menú' });
    expect(within(nav).getByRole('link', { name: 'Auditoría clínica' })).toHaveAttribute('href', '/records/audit');
  });

  it('the calendar offers "write the note" on a completed session only to who writes notes', async () => {
    const completed = appointmentRecord({ status: 'completed' });
    const dialog = (canWriteNote: boolean) => (
      <AppointmentDialog
        appointment={completed}
        practitioners={[]}
        types={appointmentTypes}
        loaded={[completed]}
        now={new Date('2026-12-03T12:00:00Z')}
        onClose={() => {}}
        onChanged={() => {}}
        canWriteNote={canWriteNote}
      />
    );
    const { unmount } = await renderDialog(new FakeServer(), dialog(true));
    expect(screen.getByRole('link', { name: 'Escribir la nota' })).toHaveAttribute(
      'href',
      '/records/new?patientId=p-jose&appointmentId=a-1&date=2026-12-03',
    );
    unmount();
    await renderDialog(new FakeServer(), dialog(false));
    expect(screen.queryByRole('link', { name: 'Escribir la nota' })).not.toBeInTheDocument();
  });
});
