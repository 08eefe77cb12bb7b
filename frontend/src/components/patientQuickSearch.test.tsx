import { fireEvent, screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it } from 'vitest';
import type { SessionUser } from '../auth/types';
import { appointmentTypesReply } from '../test/appointmentFixtures';
import { FakeServer } from '../test/fakeServer';
import { admin, patientPage, patientRecord, practitioner, receptionist, signedIn } from '../test/fixtures';
import { renderApp } from '../test/renderApp';

const jose = patientRecord();
const ana = patientRecord({
  id: 'p-ana',
  firstName: 'Ana',
  lastName: 'García Pérez',
  fullName: 'Ana García Pérez',
  taxId: null,
  status: 'inactive',
});

/** The dashboard as a start page, and a patients API that finds José and Ana for "garcia". */
function serverFor(user: SessionUser = receptionist): FakeServer {
  return new FakeServer()
    .on('POST /api/token/refresh', { status: 200, body: signedIn(user) })
    .on('GET /api/dashboard/stats', {
      status: 200,
      body: { totalPatients: 2, totalAppointments: 0, totalInvoices: 0, degraded: [] },
    })
    .on('GET /api/appointment-types', appointmentTypesReply)
    .on('GET /api/appointments', { status: 200, body: { member: [] } })
    .on('GET /api/patients/p-ana', { status: 200, body: ana, headers: { etag: '"1"' } })
    .on('GET /api/patients', (request) =>
      patientPage(String(request.params.search).startsWith('garcia') ? [jose, ana] : []),
    );
}

const quickSearch = () => screen.getByRole('combobox', { name: 'Búsqueda rápida de pacientes' });
const searches = (server: FakeServer) =>
  server.calls('GET /api/patients').map(({ params }) => ({ search: params.search, fuzzy: params.fuzzy }));

describe('patient quick search in the header', () => {
  it.each([
    ['reception', receptionist],
    ['a physiotherapist', practitioner],
    ['an admin', admin],
  ])('is there for %s, a labelled combobox with its shortcut described', async (_who, user) => {
    await renderApp(serverFor(user), '/');
    const box = await screen.findByRole('combobox', { name: 'Búsqueda rápida de pacientes' });
    expect(within(screen.getByRole('banner')).getByRole('search', { name: 'Búsqueda rápida de pacientes' })).toContainElement(box);
    expect(box).toHaveAttribute('aria-expanded', 'false');
    expect(box).toHaveAttribute('aria-keyshortcuts', '/ Control+K Meta+K');
    expect(box).toHaveAccessibleDescription(/Atajo de teclado: \/ o Ctrl\+K/);
    // aria-controls names a list that exists, even while it is closed.
    expect(document.getElementById(box.getAttribute('aria-controls')!)).toHaveAttribute('role', 'listbox');
  });

  it('"/" outside a field and Ctrl+K anywhere focus it; "/" typed in a field stays a slash', async () => {
    await renderApp(serverFor(), '/');
    const box = await screen.findByRole('combobox', { name: 'Búsqueda rápida de pacientes' });
    const user = userEvent.setup();
    await user.keyboard('/');
    expect(box).toHaveFocus();
    expect(box).toHaveValue('');

    const language = screen.getByLabelText('Idioma');
    language.focus();
    await user.keyboard('{Control>}k{/Control}');
    expect(box).toHaveFocus();

    await user.type(box, 'ab/');
    expect(box).toHaveValue('ab/');
    // In another text field "/" is typed, not a shortcut.
    const other = document.createElement('input');
    document.body.append(other);
    other.focus();
    fireEvent.keyDown(other, { key: '/' });
    expect(other).toHaveFocus();
    other.remove();

    // Not behind an open modal dialog: the page there is inert.
    const dialog = document.createElement('dialog');
    dialog.setAttribute('open', '');
    const button = document.createElement('button');
    dialog.append(button);
    document.body.append(dialog);
    button.focus();
    await user.keyboard('{Control>}k{/Control}/');
    expect(button).toHaveFocus();
    dialog.remove();
  });

  it('lists matches; arrows move, Enter opens the patient’s page and focus goes to it', async () => {
    const server = serverFor();
    const { router } = await renderApp(server, '/');
    const user = userEvent.setup();
    await screen.findByRole('combobox', { name: 'Búsqueda rápida de pacientes' });
    await user.keyboard('{Control>}k{/Control}');
    await user.keyboard('garcia');
    const list = await screen.findByRole('listbox', { name: 'Resultados de la búsqueda rápida' });
    const box = quickSearch();
    await waitFor(() => expect(box).toHaveAttribute('aria-expanded', 'true'));
    const options = within(list).getAllByRole('option');
    expect(options.map((option) => option.textContent)).toEqual([
      expect.stringContaining('José García Núñez'),
      expect.stringContaining('Ana García PérezInactivo'),
    ]);
    // One exact search once typing paused, no typo-tolerant one (it found patients).
    expect(searches(server)).toEqual([{ search: 'garcia', fuzzy: undefined }]);
    expect(screen.queryByText('Resultados aproximados')).not.toBeInTheDocument();

    await user.keyboard('{ArrowDown}');
    expect(box).toHaveAttribute('aria-activedescendant', options[0]!.id);
    expect(options[0]).toHaveAttribute('aria-selected', 'true');
    await user.keyboard('{ArrowDown}');
    expect(box).toHaveAttribute('aria-activedescendant', options[1]!.id);
    await user.keyboard('{ArrowDown}'); // wraps to the first
    expect(box).toHaveAttribute('aria-activedescendant', options[0]!.id);
    await user.keyboard('{ArrowUp}');
    expect(box).toHaveAttribute('aria-activedescendant', options[1]!.id);

    await user.keyboard('{Enter}');
    await waitFor(() => expect(router.state.location.pathname).toBe('/patients/p-ana'));
    expect(await screen.findByRole('heading', { level: 1, name: /Ana García Pérez/ })).toBeInTheDocument();
    expect(box).toHaveValue('');
    expect(box).toHaveAttribute('aria-expanded', 'false');
    await waitFor(() => expect(document.getElementById('main')).toHaveFocus());
  });

  it('Escape closes the list, a second Escape empties the box', async () => {
    await renderApp(serverFor(), '/');
    const user = userEvent.setup();
    const box = await screen.findByRole('combobox', { name: 'Búsqueda rápida de pacientes' });
    await user.type(box, 'garcia');
    await waitFor(() => expect(box).toHaveAttribute('aria-expanded', 'true'));
    await user.keyboard('{ArrowDown}{Escape}');
    expect(box).toHaveAttribute('aria-expanded', 'false');
    expect(box).not.toHaveAttribute('aria-activedescendant');
    expect(document.getElementById(box.getAttribute('aria-controls')!)).not.toBeVisible();
    expect(box).toHaveValue('garcia');
    await user.keyboard('{ArrowDown}'); // reopens
    expect(box).toHaveAttribute('aria-expanded', 'true');
    await user.keyboard('{Escape}{Escape}');
    expect(box).toHaveValue('');
    expect(box).toHaveFocus();
  });

  it('repeats an exact search that found nothing with typo tolerance, labelled approximate', async () => {
    const server = serverFor().on('GET /api/patients', (request) =>
      patientPage(request.params.fuzzy === true ? [jose] : []),
    );
    await renderApp(server, '/');
    const user = userEvent.setup();
    const box = await screen.findByRole('combobox', { name: 'Búsqueda rápida de pacientes' });
    await user.type(box, 'garsia');
    const list = await screen.findByRole('listbox', { name: 'Resultados de la búsqueda rápida' });
    await waitFor(() => expect(within(list).getAllByRole('option')).toHaveLength(1));
    expect(list).toHaveAccessibleDescription('Resultados aproximados');
    expect(screen.getByText('Resultados aproximados')).toBeVisible();
    expect(searches(server)).toEqual([
      { search: 'garsia', fuzzy: undefined },
      { search: 'garsia', fuzzy: true },
    ]);
    await waitFor(() =>
      expect(screen.getByText(/^Resultados aproximados: 1\./)).toBeInTheDocument(),
    );
  });

  it('says when even the typo-tolerant search finds nothing; Enter opens the list with the query', async () => {
    const server = serverFor();
    const { router } = await renderApp(server, '/');
    const user = userEvent.setup();
    const box = await screen.findByRole('combobox', { name: 'Búsqueda rápida de pacientes' });
    await user.type(box, 'zzyzx');
    expect(await screen.findAllByText('Ningún paciente coincide con «zzyzx».')).not.toHaveLength(0);
    expect(box).toHaveAttribute('aria-expanded', 'false');
    expect(searches(server)).toEqual([
      { search: 'zzyzx', fuzzy: undefined },
      { search: 'zzyzx', fuzzy: true },
    ]);

    await user.keyboard('{Enter}');
    await waitFor(() => expect(router.state.location.pathname).toBe('/patients'));
    expect(router.state.location.search).toEqual({ q: 'zzyzx' });
    // The list keeps the focus in its own search box, which shows the query.
    const listSearch = await screen.findByLabelText('Buscar paciente');
    expect(listSearch).toHaveValue('zzyzx');
    await waitFor(() => expect(listSearch).toHaveFocus());
  });

  it('does not retry an identifier search (digits, @): typo tolerance does not apply to them', async () => {
    const server = serverFor();
    await renderApp(server, '/');
    const user = userEvent.setup();
    await user.type(await screen.findByRole('combobox', { name: 'Búsqueda rápida de pacientes' }), '600 12');
    expect(await screen.findAllByText('Ningún paciente coincide con «600 12».')).not.toHaveLength(0);
    expect(searches(server)).toEqual([{ search: '600 12', fuzzy: undefined }]);
  });
});
