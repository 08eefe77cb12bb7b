import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it } from 'vitest';
import { FakeServer, problem } from '../../test/fakeServer';
import { patientPage, patientRecord, receptionist, signedIn } from '../../test/fixtures';
import { renderApp } from '../../test/renderApp';

const jose = patientRecord();
const ana = patientRecord({
  id: 'p-ana',
  firstName: 'Ana',
  lastName: 'Pérez',
  fullName: 'Ana Pérez',
  taxId: null,
  status: 'inactive',
});

function receptionServer(): FakeServer {
  return new FakeServer().on('POST /api/token/refresh', { status: 200, body: signedIn(receptionist) });
}

const searches = (server: FakeServer) =>
  server.calls('GET /api/patients').map((call) => call.params.search ?? null);

describe('patient list', () => {
  it('is in every role’s navigation and lists patients with view and edit actions', async () => {
    const server = receptionServer().on('GET /api/patients', patientPage([jose, ana]));
    await renderApp(server, '/patients');
    const nav = await screen.findByRole('navigation', { name: 'Menú' });
    expect(within(nav).getByRole('link', { name: 'Pacientes' })).toHaveAttribute('aria-current', 'page');

    const row = (await screen.findByRole('link', { name: 'José García Núñez' })).closest('tr')!;
    expect(within(row).getByRole('link', { name: 'Ver José García Núñez' })).toHaveAttribute(
      'href',
      '/patients/p-jose',
    );
    expect(within(row).getByRole('link', { name: 'Editar José García Núñez' })).toHaveAttribute(
      'href',
      '/patients/p-jose/edit',
    );
    const anaRow = screen.getByRole('link', { name: 'Ana Pérez' }).closest('tr')!;
    expect(within(anaRow).getAllByText('Inactivo')).toHaveLength(1);
    // On a phone each row is a card whose lines say what they are (index.css, card-table).
    const labels = [...row.querySelectorAll('td')].map((cell) => cell.dataset.label ?? null);
    expect(labels).toEqual([null, 'DNI/NIE u otro documento', 'Fecha de nacimiento', 'Teléfono', 'Estado', null]);
    expect(within(row).getByText('600 11 12 22')).toBeInTheDocument();
    expect(server.calls('GET /api/patients')[0]!.params).toEqual({ page: 1, itemsPerPage: 15 });
  });

  it('searches once typing pauses, and keeps the query in the URL', async () => {
    const server = receptionServer().on('GET /api/patients', (request) =>
      patientPage(request.params.search === 'garcia nunez' ? [jose] : [jose, ana]),
    );
    const { router } = await renderApp(server, '/patients');
    await screen.findByRole('link', { name: 'Ana Pérez' });

    const user = userEvent.setup();
    await user.type(screen.getByLabelText('Buscar paciente'), 'garcia nunez');
    // Nothing is asked while the keys keep coming.
    expect(searches(server)).toEqual([null]);
    await waitFor(() => expect(router.state.location.search).toEqual({ q: 'garcia nunez' }));
    await waitFor(() => expect(screen.queryByRole('link', { name: 'Ana Pérez' })).not.toBeInTheDocument());
    expect(searches(server)).toEqual([null, 'garcia nunez']);
    expect(screen.getByRole('link', { name: 'José García Núñez' })).toBeInTheDocument();
  });

  it('opens with the URL’s query, fuzzy toggle and status filter, and changes them', async () => {
    const server = receptionServer().on('GET /api/patients', patientPage([jose]));
    const { router } = await renderApp(server, '/patients?q=garsia&page=2');
    expect(await screen.findByLabelText('Buscar paciente')).toHaveValue('garsia');
    await screen.findByRole('link', { name: 'José García Núñez' });
    expect(server.calls('GET /api/patients')[0]!.params).toEqual({
      search: 'garsia',
      page: 2,
      itemsPerPage: 15,
    });

    const user = userEvent.setup();
    await user.click(screen.getByRole('checkbox', { name: 'Tolerar errores' }));
    await waitFor(() => expect(router.state.location.search).toEqual({ q: 'garsia', fuzzy: true }));
    await waitFor(() =>
      expect(server.calls('GET /api/patients').at(-1)!.params).toEqual({
        search: 'garsia',
        fuzzy: true,
        page: 1,
        itemsPerPage: 15,
      }),
    );

    await user.selectOptions(screen.getByLabelText('Estado'), 'inactive');
    await waitFor(() =>
      expect(router.state.location.search).toEqual({ q: 'garsia', fuzzy: true, status: 'inactive' }),
    );
    await waitFor(() =>
      expect(server.calls('GET /api/patients').at(-1)!.params).toMatchObject({ status: 'inactive' }),
    );
  });

  it('pages with previous/next, keeping the search', async () => {
    const server = receptionServer().on('GET /api/patients', (request) =>
      request.params.page === 1 ? patientPage([jose], true) : patientPage([ana]),
    );
    const { router } = await renderApp(server, '/patients?q=p');
    await screen.findByRole('link', { name: 'José García Núñez' });
    expect(screen.getByText('Anterior')).toHaveAttribute('aria-disabled', 'true');

    await userEvent.click(screen.getByRole('link', { name: 'Siguiente' }));
    await screen.findByRole('link', { name: 'Ana Pérez' });
    expect(router.state.location.search).toEqual({ q: 'p', page: 2 });
    expect(screen.getByText('Página 2')).toBeInTheDocument();
    expect(screen.getByText('Siguiente')).toHaveAttribute('aria-disabled', 'true');
    expect(server.calls('GET /api/patients').at(-1)!.params).toMatchObject({ search: 'p', page: 2 });

    await userEvent.click(screen.getByRole('link', { name: 'Anterior' }));
    await screen.findByRole('link', { name: 'José García Núñez' });
    expect(router.state.location.search).toEqual({ q: 'p' });
  });

  it('takes the focus in its search box when it opens', async () => {
    await renderApp(receptionServer().on('GET /api/patients', patientPage([jose])), '/patients');
    await waitFor(() => expect(screen.getByLabelText('Buscar paciente')).toHaveFocus());
  });

  it('repeats an exact search that found nothing with typo tolerance, labelled approximate', async () => {
    const server = receptionServer().on('GET /api/patients', (request) =>
      patientPage(request.params.fuzzy === true ? [jose] : []),
    );
    const { router } = await renderApp(server, '/patients?q=garsia');
    expect(await screen.findByRole('link', { name: 'José García Núñez' })).toBeInTheDocument();
    expect(screen.getByRole('status')).toHaveTextContent(
      'Resultados aproximadosNingún paciente coincide exactamente con «garsia»; estos se le parecen.',
    );
    expect(server.calls('GET /api/patients').map((call) => call.params)).toEqual([
      { search: 'garsia', page: 1, itemsPerPage: 15 },
      { search: 'garsia', fuzzy: true, page: 1, itemsPerPage: 15 },
    ]);
    // The URL (and the toggle) still say what the user asked: the exact search.
    expect(router.state.location.search).toEqual({ q: 'garsia' });
    expect(screen.getByRole('checkbox', { name: 'Tolerar errores' })).not.toBeChecked();

    // A query the exact search answers shows its results, unlabelled, and asks nothing more.
    server.on('GET /api/patients', patientPage([jose]));
    const user = userEvent.setup();
    await user.clear(screen.getByLabelText('Buscar paciente'));
    await user.type(screen.getByLabelText('Buscar paciente'), 'garcia');
    await waitFor(() => expect(searches(server).at(-1)).toBe('garcia'));
    await waitFor(() => expect(screen.queryByText('Resultados aproximados')).not.toBeInTheDocument());
    expect(screen.getByRole('link', { name: 'José García Núñez' })).toBeInTheDocument();
    expect(server.calls('GET /api/patients').filter((call) => call.params.fuzzy)).toHaveLength(1);
  });

  it('does not label results approximate when typo tolerance was asked for', async () => {
    const server = receptionServer().on('GET /api/patients', patientPage([jose]));
    await renderApp(server, '/patients?q=garsia&fuzzy=true');
    await screen.findByRole('link', { name: 'José García Núñez' });
    expect(screen.queryByText('Resultados aproximados')).not.toBeInTheDocument();
    expect(server.calls('GET /api/patients')).toHaveLength(1);
  });

  it('says when even the typo-tolerant search finds nothing', async () => {
    const server = receptionServer().on('GET /api/patients', patientPage([]));
    await renderApp(server, '/patients?q=garsia');
    expect(await screen.findByText('Ningún paciente coincide con «garsia».')).toBeInTheDocument();
    expect(server.calls('GET /api/patients').map((call) => call.params.fuzzy)).toEqual([undefined, true]);
    expect(screen.queryByText('Resultados aproximados')).not.toBeInTheDocument();
  });

  it('does not retry a tax id, phone or email search (typos are not tolerated there)', async () => {
    const server = receptionServer().on('GET /api/patients', patientPage([]));
    await renderApp(server, '/patients?q=600123');
    expect(await screen.findByText('Ningún paciente coincide con «600123».')).toBeInTheDocument();
    expect(server.calls('GET /api/patients')).toHaveLength(1);
  });

  it('says when the registry is empty', async () => {
    await renderApp(receptionServer().on('GET /api/patients', patientPage([])), '/patients');
    expect(await screen.findByText('Todavía no hay pacientes registrados.')).toBeInTheDocument();
  });

  it('shows a readable error and retries', async () => {
    const server = receptionServer().on('GET /api/patients', problem(500));
    await renderApp(server, '/patients');
    expect(await screen.findByRole('alert')).toHaveTextContent('Algo ha ido mal.');
    server.on('GET /api/patients', patientPage([jose]));
    await userEvent.click(screen.getByRole('button', { name: 'Reintentar' }));
    expect(await screen.findByRole('link', { name: 'José García Núñez' })).toBeInTheDocument();
  });
});
