import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it } from 'vitest';
import type { AuditRow } from '../../api/records';
import { setLocale } from '../../i18n/i18n';
import { appointmentTypesReply } from '../../test/appointmentFixtures';
import { FakeServer } from '../../test/fakeServer';
import { admin, practitioner, signedIn } from '../../test/fixtures';
import { page, paged, sessionWithoutNote } from '../../test/recordsFixtures';
import { renderApp } from '../../test/renderApp';
import type { SessionUser } from '../../auth/types';

function dashboardServer(user: SessionUser, stats: object) {
  return new FakeServer()
    .on('POST /api/token/refresh', { status: 200, body: signedIn(user) })
    .on('GET /api/dashboard/stats', { status: 200, body: stats })
    .on('GET /api/appointment-types', appointmentTypesReply)
    .on('GET /api/appointments', { status: 200, body: { member: [] } })
    .on('GET /api/records/sessions-without-note', page([sessionWithoutNote()], false, '/api/records/sessions-without-note'));
}

const stats = { totalPatients: 10, totalAppointments: 20, totalInvoices: null, sessionsWithoutNote: 3, degraded: [] };

describe('the dashboard for practitioners', () => {
  it('counts today’s sessions without a note and lists them with "write the note"', async () => {
    const server = dashboardServer(practitioner, stats);
    await renderApp(server, '/');
    expect(await screen.findByTestId('sessionsWithoutNote')).toHaveTextContent('3');
    expect(screen.getByText('Sesiones de hoy sin nota')).toBeInTheDocument();
    const list = screen.getByRole('region', { name: 'Sesiones sin nota' });
    const [row] = await within(list).findAllByTestId('session-without-note');
    expect(within(row!).getByRole('link', { name: 'José García Núñez' })).toHaveAttribute('href', '/patients/p-jose');
    expect(within(row!).getByRole('link', { name: /^Escribir la nota de José García Núñez/ })).toHaveAttribute(
      'href',
      '/records/new?patientId=p-jose&appointmentId=a-7&date=2026-12-03',
    );
  });

  it('says when every session has its note, in English too', async () => {
    await setLocale('en');
    const server = dashboardServer(practitioner, { ...stats, sessionsWithoutNote: 0 }).on(
      'GET /api/records/sessions-without-note',
      page([]),
    );
    await renderApp(server, '/');
    expect(await screen.findByText('All your completed sessions have a signed note.')).toBeInTheDocument();
    expect(screen.getByTestId('sessionsWithoutNote')).toHaveTextContent('0');
  });

  it('an admin gets the clinic’s counter but no list of their own', async () => {
    const server = dashboardServer(admin, stats);
    await renderApp(server, '/');
    expect(await screen.findByTestId('sessionsWithoutNote')).toHaveTextContent('3');
    expect(screen.queryByRole('region', { name: 'Sesiones sin nota' })).not.toBeInTheDocument();
    expect(server.calls('GET /api/records/sessions-without-note')).toEqual([]);
  });
});

function auditRow(overrides: Partial<AuditRow> = {}): AuditRow {
  return {
    id: 1,
    userId: 'u-laura',
    roles: 'ROLE_PRACTITIONER',
    patientId: 'p-jose',
    action: 'timeline.read',
    resourceId: null,
    readAt: '2026-12-03T09:30:00Z',
    requestId: 'req-1',
    ...overrides,
  };
}

function auditServer() {
  return new FakeServer()
    .on('POST /api/token/refresh', { status: 200, body: signedIn(admin) })
    .on('GET /api/users', {
      status: 200,
      body: { member: [{ id: 'u-laura', fullName: 'Laura Martínez' }, { id: 'u-admin', fullName: 'Ana García' }] },
    })
    .on('GET /api/records/audit', (request) =>
      request.params.page === 2
        ? page([auditRow({ id: 3, action: 'record.read', resourceId: 'e-1' })], false, '/api/records/audit')
        : page([auditRow(), auditRow({ id: 2, userId: 'u-admin', roles: 'ROLE_ADMIN', action: 'episodes.read' })], true, '/api/records/audit'),
    );
}

describe('the read audit (admins)', () => {
  it('lists who read what and when, a page at a time', async () => {
    const server = auditServer();
    await renderApp(server, '/records/audit');
    expect(await screen.findByRole('heading', { level: 1, name: 'Auditoría de accesos a historias clínicas' })).toBeInTheDocument();
    const rows = await screen.findAllByTestId('audit-row');
    expect(rows).toHaveLength(2);
    await waitFor(() => expect(rows[0]).toHaveTextContent('Laura Martínez'));
    expect(rows[0]).toHaveTextContent('Fisioterapeuta');
    expect(rows[0]).toHaveTextContent('Historia clínica (página)');
    expect(within(rows[0]!).getByRole('link', { name: 'Ver paciente' })).toHaveAttribute('href', '/patients/p-jose');
    expect(rows[1]).toHaveTextContent('Lista de episodios');

    const user = userEvent.setup();
    await user.click(screen.getByRole('link', { name: 'Siguiente' }));
    await waitFor(() => expect(screen.getAllByTestId('audit-row')).toHaveLength(1));
    expect(screen.getByTestId('audit-row')).toHaveTextContent('Una nota');
    expect(server.calls('GET /api/records/audit').at(-1)!.params).toMatchObject({ page: 2, itemsPerPage: 25 });
  });

  it('names every action the service audits, writes and replayed answers included, in both languages', async () => {
    const actions = ['pain.read', 'history.pdf', 'record.created', 'record.updated', 'record.signed', 'record.amended',
      'measure.taken', 'episode.opened', 'episode.updated', 'episode.discharged', 'record.replayed', 'episode.replayed',
      'measure.replayed', 'answer.replayed'];
    const rows = actions.map((action, index) => auditRow({ id: index + 1, action }));
    const server = auditServer().on('GET /api/records/audit', page(rows, false, '/api/records/audit'));
    await renderApp(server, '/records/audit');
    const shown = await screen.findAllByTestId('audit-row');
    expect(shown).toHaveLength(actions.length);
    expect(shown[2]).toHaveTextContent('Nota creada (borrador)');
    expect(shown[5]).toHaveTextContent('Enmienda añadida');
    for (const [index, action] of actions.entries()) expect(shown[index]).not.toHaveTextContent(action);
  });

  it('names a reader past the first 100 staff accounts', async () => {
    // /api/users pages 100 at most: Laura is the 121st account, on the second page.
    const others = Array.from({ length: 120 }, (_, n) => ({ id: `u-${n}`, fullName: `Persona ${n}` }));
    const server = auditServer().on('GET /api/users', paged([...others, { id: 'u-laura', fullName: 'Laura Martínez' }], '/api/users'));
    await renderApp(server, '/records/audit');
    const rows = await screen.findAllByTestId('audit-row');
    await waitFor(() => expect(rows[0]).toHaveTextContent('Laura Martínez'));
    expect(screen.getByRole('option', { name: 'Laura Martínez' })).toBeInTheDocument();
  });

  it('filters by user and dates', async () => {
    const server = auditServer();
    await renderApp(server, '/records/audit');
    const user = userEvent.setup();
    await screen.findAllByTestId('audit-row');
    await waitFor(() => expect(screen.getAllByRole('option', { name: 'Laura Martínez' })).toHaveLength(1));
    await user.selectOptions(screen.getByLabelText('Usuario'), 'u-laura');
    // Typed the clinic's way (dd/mm/yyyy); a day that does not exist is said beside it, not sent.
    await user.type(screen.getByLabelText('Desde'), '31/11/2026');
    await user.type(screen.getByLabelText('Hasta'), '3/12/2026');
    const before = server.calls('GET /api/records/audit').length;
    await user.click(screen.getByRole('button', { name: 'Filtrar' }));
    expect(screen.getByLabelText('Desde')).toHaveAccessibleDescription(/Escribe una fecha que exista con el formato dd\/mm\/aaaa/);
    expect(screen.getByLabelText('Desde')).toHaveFocus();
    expect(server.calls('GET /api/records/audit')).toHaveLength(before);
    await user.clear(screen.getByLabelText('Desde'));
    await user.type(screen.getByLabelText('Desde'), '01/12/2026');
    await user.click(screen.getByRole('button', { name: 'Filtrar' }));
    expect(screen.getByLabelText('Desde')).not.toHaveAttribute('aria-invalid');
    await waitFor(() => expect(server.calls('GET /api/records/audit').at(-1)!.params).toMatchObject({ userId: 'u-laura' }));
    const params = server.calls('GET /api/records/audit').at(-1)!.params;
    expect(params.from).toMatch(/^2026-12-01T00:00:00[+-]\d\d:\d\d$/);
    expect(params.to).toMatch(/^2026-12-04T00:00:00[+-]\d\d:\d\d$/);
    expect(params.page).toBe(1);
  });

  it('is refused to a physiotherapist without asking the API', async () => {
    const server = auditServer().on('POST /api/token/refresh', { status: 200, body: signedIn(practitioner) });
    await renderApp(server, '/records/audit');
    expect(await screen.findByRole('heading', { name: 'Acceso no permitido' })).toBeInTheDocument();
    expect(server.calls('GET /api/records/audit')).toEqual([]);
  });
});
