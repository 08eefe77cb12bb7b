import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it } from 'vitest';
import type { CustomerBody } from '../../../api/billing';
import {
  billingServer,
  collectionPage,
  customerRecord,
  insurer,
  withEtag,
} from '../../../test/billingFixtures';
import { type FakeServer, problem } from '../../../test/fakeServer';
import { renderApp } from '../../../test/renderApp';

const jose = customerRecord({ outstanding: '90.00' });
const UUID_V4 = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

function customersServer(): FakeServer {
  return billingServer().on('GET /api/customers', (request) =>
    request.params.kind === 'insurer' ? collectionPage([insurer]) : collectionPage([jose, insurer]),
  );
}

describe('customers list', () => {
  it('lists payers with their kind, tax id and what they owe; searches and filters by kind', async () => {
    const server = customersServer();
    const { router } = await renderApp(server, '/customers');
    const row = (await screen.findByRole('link', { name: 'José García Núñez' })).closest('tr')!;
    expect(within(row).getByText('Pendiente: 90,00 €')).toBeInTheDocument();
    expect(within(row).getAllByText('12345678Z').length).toBeGreaterThan(0);
    // The phone as the API groups it (phoneDisplay), not the stored E.164.
    expect(within(row).getByText('jose@example.com · 600 11 12 22')).toBeInTheDocument();
    const mutua = screen.getByRole('link', { name: 'Mutua Levante' }).closest('tr')!;
    expect(within(mutua).getAllByText(/Aseguradora/).length).toBeGreaterThan(0);
    expect(within(mutua).queryByText(/Pendiente:/)).not.toBeInTheDocument();

    const user = userEvent.setup();
    await user.type(screen.getByLabelText('Buscar cliente'), 'garcia');
    await user.selectOptions(screen.getByLabelText('Tipo'), 'insurer');
    await waitFor(() => expect(router.state.location.search).toEqual({ q: 'garcia', kind: 'insurer' }));
    await waitFor(() =>
      expect(server.calls('GET /api/customers').at(-1)!.params).toEqual({
        q: 'garcia',
        kind: 'insurer',
        page: 1,
        itemsPerPage: 20,
      }),
    );
  });
});

describe('a new customer', () => {
  it('shows the server’s tax id refusal on the field, keeping what was typed, then creates', async () => {
    const server = customersServer().on(
      'POST /api/customers',
      problem(422, { errors: [{ field: 'taxId', message: 'invalid check digit' }] }),
    );
    const { router } = await renderApp(server, '/customers/new');
    const user = userEvent.setup();
    await user.click(await screen.findByRole('radio', { name: 'Empresa' }));
    await user.type(screen.getByLabelText('Razón social'), 'Deportes Turia, S.L.');
    await user.type(screen.getByLabelText('NIF'), 'b-12345670');
    await user.type(screen.getByLabelText('Calle y número'), 'Calle Colón 3');
    await user.type(screen.getByLabelText('Localidad'), 'Valencia');
    // An insurer only pays for a person.
    expect(screen.queryByLabelText('Aseguradora que paga sus sesiones')).not.toBeInTheDocument();
    await user.click(screen.getByRole('button', { name: 'Guardar' }));

    const taxId = screen.getByLabelText('NIF');
    await waitFor(() => expect(taxId).toHaveAttribute('aria-invalid', 'true'));
    expect(taxId).toHaveAccessibleDescription(/Este NIF no es válido/);
    expect(taxId).toHaveValue('b-12345670');
    expect(screen.getByLabelText('Razón social')).toHaveValue('Deportes Turia, S.L.');
    const [post] = server.calls('POST /api/customers');
    expect(post!.body).toEqual({
      kind: 'company',
      name: 'Deportes Turia, S.L.',
      taxId: 'B12345670',
      address: 'Calle Colón 3',
      postalCode: null,
      city: 'Valencia',
      province: null,
      country: 'ES',
      email: null,
      phone: null,
      language: 'es',
      insurerId: null,
      active: true,
    } satisfies CustomerBody);
    expect(post!.headers.get('Idempotency-Key')).toMatch(UUID_V4);

    const created = customerRecord({ id: 'c-turia', kind: 'company', name: 'Deportes Turia, S.L.', taxId: 'B12345674', patientId: null });
    server
      .on('POST /api/customers', { status: 201, body: created })
      .on('GET /api/customers/c-turia', withEtag(created));
    await user.clear(taxId);
    await user.type(taxId, 'B12345674');
    await user.click(screen.getByRole('button', { name: 'Guardar' }));
    await waitFor(() => expect(router.state.location.pathname).toBe('/customers/c-turia'));
    expect(await screen.findByText('Cliente creado.')).toBeInTheDocument();
  });

  it('catches a wrong DNI letter before sending, and offers the insurers for a person', async () => {
    const server = customersServer();
    await renderApp(server, '/customers/new');
    const user = userEvent.setup();
    await user.type(await screen.findByLabelText('Nombre y apellidos'), 'Lucía Fernández');
    await user.type(screen.getByLabelText('NIF'), '12345678A');
    const insurerSelect = screen.getByLabelText('Aseguradora que paga sus sesiones');
    await within(insurerSelect).findByRole('option', { name: 'Mutua Levante' });
    await user.click(screen.getByRole('button', { name: 'Guardar' }));
    expect(screen.getByLabelText('NIF')).toHaveFocus();
    expect(screen.getByLabelText('NIF')).toHaveAccessibleDescription(/Este NIF no es válido/);
    expect(server.calls('POST /api/customers')).toHaveLength(0);
  });
});

function editServer(): FakeServer {
  return customersServer().on('GET /api/customers/c-jose', withEtag({ ...jose, version: 3 }));
}

describe('editing a customer', () => {
  it('saves with If-Match and links to their invoices', async () => {
    const server = editServer().on('PUT /api/customers/c-jose', (request) => ({
      status: 200,
      body: { ...jose, ...(request.body as object), version: 4 },
      headers: { etag: '"4"' },
    }));
    await renderApp(server, '/customers/c-jose');
    const user = userEvent.setup();
    expect(await screen.findByRole('heading', { level: 1 })).toHaveTextContent('José García Núñez');
    expect(screen.getByRole('link', { name: 'Ver sus facturas' })).toHaveAttribute('href', '/invoices?customerId=c-jose');
    expect(screen.getByRole('link', { name: 'Nueva factura' })).toHaveAttribute('href', '/invoices/new?customerId=c-jose');
    const insurerSelect = screen.getByLabelText('Aseguradora que paga sus sesiones');
    await within(insurerSelect).findByRole('option', { name: 'Mutua Levante' });
    await user.selectOptions(insurerSelect, 'Mutua Levante');
    await user.click(screen.getByRole('button', { name: 'Guardar' }));

    expect(await screen.findByText('Cambios guardados.')).toBeInTheDocument();
    const [put] = server.calls('PUT /api/customers/c-jose');
    expect(put!.headers.get('If-Match')).toBe('"3"');
    expect(put!.body).toMatchObject({ insurerId: 'c-mutua', name: 'José García Núñez', taxId: '12345678Z' });
    // The form showed the grouped phone; unchanged, the stored one goes back, and no read-only field.
    expect(screen.getByLabelText('Teléfono')).toHaveValue('600 11 12 22');
    expect((put!.body as Record<string, unknown>).phone).toBe('+34600111222');
    expect(Object.keys(put!.body as object).toSorted()).toEqual(
      ['kind', 'name', 'taxId', 'address', 'postalCode', 'city', 'province', 'country', 'email', 'phone', 'language', 'insurerId', 'active'].toSorted(),
    );
  });

  it('on a stale edit keeps what was typed and offers to reload', async () => {
    const server = editServer().on('PUT /api/customers/c-jose', problem(412));
    await renderApp(server, '/customers/c-jose');
    const user = userEvent.setup();
    const phone = await screen.findByLabelText('Teléfono');
    await user.clear(phone);
    await user.type(phone, '611 000 000');
    await user.click(screen.getByRole('button', { name: 'Guardar' }));
    expect(await screen.findByText(/Otra persona ha modificado este registro/)).toBeInTheDocument();
    expect(phone).toHaveValue('611 000 000');
    expect(screen.getByRole('button', { name: 'Recargar' })).toBeInTheDocument();
  });

  it('is not deleted once invoiced (409), and is deleted otherwise', async () => {
    const server = editServer().on('DELETE /api/customers/c-jose', problem(409));
    const { router } = await renderApp(server, '/customers/c-jose');
    const user = userEvent.setup();
    await user.click(await screen.findByRole('button', { name: 'Borrar cliente' }));
    const question = screen.getByRole('group', { name: '¿Borrar a José García Núñez? No se puede deshacer.' });
    await user.click(within(question).getByRole('button', { name: 'Borrar cliente' }));
    expect(await screen.findByText(/ya se le ha emitido alguna factura/)).toBeInTheDocument();

    server.on('DELETE /api/customers/c-jose', { status: 204 });
    await user.click(screen.getByRole('button', { name: 'Borrar cliente' }));
    await user.click(within(screen.getByRole('group', { name: /¿Borrar a/ })).getByRole('button', { name: 'Borrar cliente' }));
    await waitFor(() => expect(router.state.location.pathname).toBe('/customers'));
    expect(await screen.findByText('Cliente borrado.')).toBeInTheDocument();
  });
});
