import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it } from 'vitest';
import type { Invoice, InvoiceBody } from '../../api/billing';
import {
  billingServer,
  collectionPage,
  customerRecord,
  draftRecord,
  insurer,
  invoiceRecord,
  sessionRecord,
  withEtag,
} from '../../test/billingFixtures';
import { type FakeServer, problem } from '../../test/fakeServer';
import { patientRecord, receptionist, signedIn } from '../../test/fixtures';
import { renderApp } from '../../test/renderApp';
import { inTimeZone } from '../../test/timeZone';

inTimeZone('Europe/Madrid');

const UUID_V4 = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;
const jose = patientRecord();
const session = sessionRecord();
const later = sessionRecord({ appointmentId: 'a-2', startsAt: '2026-03-09T09:00:00Z' });

/** A server where José's own customer, his two sessions and a created draft answer. */
function invoicingServer(): FakeServer {
  return billingServer()
    .on('GET /api/patients/p-jose', withEtag(jose))
    .on('POST /api/customers/for-patient/p-jose', { status: 200, body: customerRecord() })
    .on('GET /api/customers/c-jose', withEtag(customerRecord()))
    .on('GET /api/billable-sessions', collectionPage([session, later]))
    .on('POST /api/invoices', (request) => ({
      status: 201,
      body: draftRecord({ id: 'i-new', notes: (request.body as InvoiceBody).notes }),
      headers: { etag: '"1"' },
    }))
    .on('GET /api/invoices/i-new', withEtag(draftRecord({ id: 'i-new' })));
}

async function openForPatient(server: FakeServer, search = '?patientId=p-jose') {
  const view = await renderApp(server, `/invoices/new${search}`);
  expect(await screen.findByTestId('invoice-customer')).toHaveTextContent('José García Núñez');
  await screen.findByLabelText('Sesión de fisioterapia', { selector: '#invoice-sessionIds-a-1' });
  return { ...view, user: userEvent.setup() };
}

/** Type a hand line: 3 × 33,33 € less 10 %, at 21 % VAT. */
async function typeProductLine(user: ReturnType<typeof userEvent.setup>) {
  await user.click(screen.getByRole('button', { name: 'Añadir línea' }));
  const line = screen.getByRole('group', { name: 'Línea 1' });
  expect(within(line).getByLabelText('Descripción')).toHaveFocus();
  await user.type(within(line).getByLabelText('Descripción'), 'Banda elástica');
  await user.clear(within(line).getByLabelText('Cantidad'));
  await user.type(within(line).getByLabelText('Cantidad'), '3');
  await user.type(within(line).getByLabelText('Precio unitario (€)'), '33,33');
  await user.clear(within(line).getByLabelText('Descuento (%)'));
  await user.type(within(line).getByLabelText('Descuento (%)'), '10');
  await user.selectOptions(within(line).getByLabelText('IVA'), '21');
  return line;
}

describe('new invoice for a patient', () => {
  it('finds the patient’s own customer and uninvoiced sessions, totals live, and saves a draft', async () => {
    const server = invoicingServer();
    const { user, router } = await openForPatient(server);
    expect(server.calls('POST /api/customers/for-patient/p-jose')).toHaveLength(1);
    expect(server.calls('GET /api/billable-sessions')[0]!.params).toEqual({
      patientId: 'p-jose',
      uninvoiced: true,
      itemsPerPage: 100,
    });
    expect(screen.getByText(/12345678Z/)).toBeInTheDocument();
    expect(screen.getByRole('radio', { name: 'F · Factura completa' })).toBeChecked();

    await user.click(screen.getByRole('checkbox', { name: 'Sesión de fisioterapia', description: /2 mar 2026/ }));
    expect(screen.getByTestId('invoice-total')).toHaveTextContent('40,00 €');

    const line = await typeProductLine(user);
    // 3 × 33,33 = 99,99 less 10 % = 89,991 → 89,99 on the line; VAT on the rate's base: 18,90.
    expect(within(line).getByTestId('line-amount-0')).toHaveTextContent('89,99 €');
    const totals = screen.getByRole('region', { name: 'Totales' });
    expect(within(totals).getByRole('row', { name: /21 %/ })).toHaveTextContent('89,99 €18,90 €');
    expect(within(totals).getByRole('row', { name: /Exenta/ })).toHaveTextContent('40,00 €0,00 €');
    expect(screen.getByTestId('invoice-total')).toHaveTextContent('148,89 €');

    await user.type(screen.getByLabelText('Observaciones'), 'Gracias');
    await user.click(screen.getByRole('button', { name: 'Guardar borrador' }));

    await waitFor(() => expect(router.state.location.pathname).toBe('/invoices/i-new'));
    const [post] = server.calls('POST /api/invoices');
    expect(post!.body).toEqual({
      series: 'F',
      customerId: 'c-jose',
      patientId: 'p-jose',
      lines: [
        {
          description: 'Banda elástica',
          quantity: '3',
          unitPrice: '33.33',
          discountPercent: '10',
          vatRate: '21',
          exemption: null,
        },
      ],
      sessionIds: ['a-1'],
      notes: 'Gracias',
    });
    expect(post!.headers.get('Idempotency-Key')).toMatch(UUID_V4);
    expect(await screen.findByText('Borrador guardado.')).toBeInTheDocument();
  });

  it('preselects the session of the completed appointment it came from', async () => {
    const server = invoicingServer();
    await openForPatient(server, '?patientId=p-jose&sessionId=a-2');
    expect(screen.getByRole('checkbox', { name: 'Sesión de fisioterapia', description: /9 mar 2026/ })).toBeChecked();
    expect(screen.getByRole('checkbox', { name: 'Sesión de fisioterapia', description: /2 mar 2026/ })).not.toBeChecked();
    expect(screen.getByTestId('invoice-total')).toHaveTextContent('40,00 €');
  });

  it('bills the insurer who pays the patient’s sessions, or the patient on request', async () => {
    const own = customerRecord({ insurerId: 'c-mutua', insurerName: 'Mutua Levante' });
    const server = invoicingServer()
      .on('POST /api/customers/for-patient/p-jose', { status: 200, body: own })
      .on('GET /api/customers/c-mutua', withEtag(insurer));
    const { user } = await renderApp(server, '/invoices/new?patientId=p-jose').then((view) => ({
      ...view,
      user: userEvent.setup(),
    }));
    expect(await screen.findByTestId('invoice-customer')).toHaveTextContent('Mutua Levante');
    await user.click(screen.getByRole('button', { name: 'Facturar al propio paciente' }));
    await waitFor(() => expect(screen.getByTestId('invoice-customer')).toHaveTextContent('José García Núñez'));
  });

  it('checks the form before sending: a payer, a line, and well-formed numbers', async () => {
    const server = invoicingServer();
    await renderApp(server, '/invoices/new');
    const user = userEvent.setup();
    await user.click(await screen.findByRole('button', { name: 'Guardar borrador' }));
    expect(screen.getByRole('alert')).toHaveTextContent('Revisa los campos marcados.');
    expect(screen.getByText(/Elige el cliente, o un paciente para facturarle a él/)).toBeInTheDocument();
    expect(screen.getByText('Añade al menos una sesión o una línea.')).toBeInTheDocument();
    expect(screen.getByLabelText('Buscar cliente')).toHaveFocus();

    await user.click(screen.getByRole('button', { name: 'Añadir línea' }));
    await user.type(screen.getByLabelText('Precio unitario (€)'), '12,345');
    await user.click(screen.getByRole('button', { name: 'Guardar borrador' }));
    expect(screen.getByLabelText('Precio unitario (€)')).toHaveAccessibleDescription(
      'Escribe un precio en euros, con hasta dos decimales.',
    );
    expect(screen.getByLabelText('Descripción')).toHaveAccessibleDescription(
      'Escribe la descripción (hasta 500 caracteres).',
    );
    expect(screen.getByTestId('line-amount-0')).toHaveTextContent('—');
    expect(server.calls('POST /api/invoices')).toHaveLength(0);

    // Removing the line leaves the keyboard on "Añadir línea".
    await user.click(screen.getByRole('button', { name: 'Quitar Línea 1' }));
    expect(screen.queryByRole('group', { name: 'Línea 1' })).not.toBeInTheDocument();
    expect(screen.getByRole('button', { name: 'Añadir línea' })).toHaveFocus();
  });

  it('finds a customer by name and warns when an F invoice lacks their address', async () => {
    const noAddress = customerRecord({ id: 'c-lucia', name: 'Lucía Fernández', address: null, patientId: null });
    const server = invoicingServer()
      .on('GET /api/customers', (request) => collectionPage(request.params.q === 'luc' ? [noAddress] : []))
      .on('GET /api/customers/c-lucia', withEtag(noAddress));
    await renderApp(server, '/invoices/new');
    const user = userEvent.setup();
    await user.type(await screen.findByLabelText('Buscar cliente'), 'luc');
    await user.click(await screen.findByRole('button', { name: /Lucía Fernández/ }));
    expect(screen.getByTestId('invoice-customer')).toHaveTextContent('Lucía Fernández');
    expect(await screen.findByText(/Particular · 12345678Z · 46001, Valencia/)).toBeInTheDocument();
    expect(screen.getByText(/el cliente necesita NIF y dirección/)).toBeInTheDocument();
    await user.click(screen.getByRole('radio', { name: 'S · Factura simplificada' }));
    expect(screen.queryByText(/el cliente necesita NIF y dirección/)).not.toBeInTheDocument();
    expect(server.calls('GET /api/customers').at(-1)!.params).toEqual({ q: 'luc', page: 1, itemsPerPage: 10 });
  });

  it('sends a simplified invoice to an anonymous final consumer, from the catalogue', async () => {
    const server = invoicingServer();
    const { router } = await renderApp(server, '/invoices/new');
    const user = userEvent.setup();
    await user.click(await screen.findByRole('radio', { name: 'S · Factura simplificada' }));
    await user.selectOptions(screen.getByLabelText('Servicio del catálogo'), 'BAN');
    await user.click(screen.getByRole('button', { name: 'Añadir servicio' }));
    const line = screen.getByRole('group', { name: 'Línea 1' });
    expect(within(line).getByLabelText('Descripción')).toHaveValue('Banda elástica de resistencia');
    expect(within(line).getByLabelText('Precio unitario (€)')).toHaveValue('12,00');
    expect(within(line).getByLabelText('IVA')).toHaveDisplayValue('21 %');
    expect(screen.getByTestId('invoice-total')).toHaveTextContent('14,52 €');
    await user.click(screen.getByRole('button', { name: 'Guardar borrador' }));
    await waitFor(() => expect(router.state.location.pathname).toBe('/invoices/i-new'));
    expect(server.calls('POST /api/invoices')[0]!.body).toEqual({
      series: 'S',
      customerId: null,
      patientId: null,
      lines: [
        {
          description: 'Banda elástica de resistencia',
          quantity: '1',
          unitPrice: '12.00',
          discountPercent: '0',
          vatRate: '21',
          exemption: null,
        },
      ],
      sessionIds: [],
      notes: null,
    });
  });

  it('shows the server’s line errors beside their fields, keeping everything typed', async () => {
    const server = invoicingServer().on(
      'POST /api/invoices',
      problem(422, { errors: [{ field: 'lines.0.quantity', message: 'has more than 3 decimals' }] }),
    );
    const { user } = await openForPatient(server);
    await user.click(screen.getByRole('checkbox', { name: 'Sesión de fisioterapia', description: /2 mar 2026/ }));
    const line = await typeProductLine(user);
    await user.click(screen.getByRole('button', { name: 'Guardar borrador' }));

    const quantity = within(line).getByLabelText('Cantidad');
    await waitFor(() => expect(quantity).toHaveAttribute('aria-invalid', 'true'));
    expect(quantity).toHaveAccessibleDescription('Escribe una cantidad mayor que cero, con hasta tres decimales.');
    expect(screen.getByRole('alert')).toHaveTextContent('Revisa los campos marcados.');
    expect(quantity).toHaveValue('3');
    expect(within(line).getByLabelText('Precio unitario (€)')).toHaveValue('33,33');
    expect(screen.getByRole('checkbox', { name: 'Sesión de fisioterapia', description: /2 mar 2026/ })).toBeChecked();

    // Editing the field clears its error.
    await user.type(quantity, '0');
    expect(quantity).not.toHaveAttribute('aria-invalid');
  });

  it('issues after a confirmation; a refused issue keeps the draft it saved and everything typed', async () => {
    const server = invoicingServer().on(
      'POST /api/invoices/i-new/issue',
      problem(422, { errors: [{ field: 'customerId', message: 'an F invoice needs the address' }] }),
    );
    const { user, router } = await openForPatient(server);
    await user.click(screen.getByRole('checkbox', { name: 'Sesión de fisioterapia', description: /2 mar 2026/ }));
    await user.click(screen.getByRole('button', { name: 'Emitir factura' }));

    const dialog = screen.getByRole('dialog', { name: '¿Emitir la factura?' });
    expect(dialog).toHaveTextContent('ya no se podrá modificar ni borrar');
    expect(dialog).toHaveTextContent('José García Núñez · Total 40,00 €');
    await user.click(within(dialog).getByRole('button', { name: 'Emitir' }));

    expect(await screen.findByText('Para emitir una factura completa (F) el cliente necesita NIF y dirección.')).toBeInTheDocument();
    expect(screen.getByRole('alert')).toHaveTextContent('El borrador se ha guardado, pero no se ha podido emitir.');
    expect(screen.queryByRole('dialog')).not.toBeInTheDocument();
    expect(server.calls('POST /api/invoices')).toHaveLength(1);
    expect(server.headerOf('POST /api/invoices/i-new/issue', 'If-Match')).toEqual(['"1"']);
    expect(router.state.location.pathname).toBe('/invoices/new');

    // Trying again with nothing changed issues the same draft: no second invoice, no PUT.
    server.on('POST /api/invoices/i-new/issue', {
      status: 200,
      body: invoiceRecord({ id: 'i-new' }),
      headers: { etag: '"2"' },
    });
    server.on('GET /api/invoices/i-new', withEtag(invoiceRecord({ id: 'i-new' })));
    await user.click(screen.getByRole('button', { name: 'Emitir factura' }));
    await user.click(screen.getByRole('button', { name: 'Emitir' }));
    await waitFor(() => expect(router.state.location.pathname).toBe('/invoices/i-new'));
    expect(server.calls('POST /api/invoices')).toHaveLength(1);
    expect(server.calls('PUT /api/invoices/i-new')).toHaveLength(0);
    expect(await screen.findByText('Factura emitida.')).toBeInTheDocument();
  });

  it('tells by the problem’s code that the clinic settings are incomplete', async () => {
    const server = invoicingServer().on(
      'POST /api/invoices/i-new/issue',
      problem(409, { detail: 'the clinic settings need a legal name', code: 'settings_incomplete' }),
    );
    const { user } = await openForPatient(server);
    await user.click(screen.getByRole('checkbox', { name: 'Sesión de fisioterapia', description: /2 mar 2026/ }));
    await user.click(screen.getByRole('button', { name: 'Emitir factura' }));
    await user.click(within(screen.getByRole('dialog')).getByRole('button', { name: 'Emitir' }));

    expect(await screen.findByText('Faltan la razón social y el NIF de la clínica en los ajustes de facturación.')).toBeInTheDocument();
  });

  it('a 409 without that code is the general issue conflict, whatever its English says', async () => {
    const server = invoicingServer().on(
      'POST /api/invoices/i-new/issue',
      problem(409, { detail: 'the clinic settings need a legal name' }),
    );
    const { user } = await openForPatient(server);
    await user.click(screen.getByRole('checkbox', { name: 'Sesión de fisioterapia', description: /2 mar 2026/ }));
    await user.click(screen.getByRole('button', { name: 'Emitir factura' }));
    await user.click(within(screen.getByRole('dialog')).getByRole('button', { name: 'Emitir' }));

    expect(await screen.findByText(/No se ha podido emitir: puede que ya estuviera emitida/)).toBeInTheDocument();
  });

  it('keeps what was typed when the session ends: signing in again over the form sends the save', async () => {
    const server = invoicingServer();
    const { user, router } = await openForPatient(server);
    await user.click(screen.getByRole('checkbox', { name: 'Sesión de fisioterapia', description: /9 mar 2026/ }));
    await typeProductLine(user);
    await user.click(screen.getByRole('radio', { name: 'S · Factura simplificada' }));

    server.on('POST /api/invoices', problem(401)).on('POST /api/token/refresh', problem(401));
    await user.click(screen.getByRole('button', { name: 'Guardar borrador' }));
    const dialog = await screen.findByRole('dialog', { name: 'Tu sesión ha terminado' });
    expect(router.state.location.pathname).toBe('/invoices/new');
    // Should the tab be reloaded now, the form would come back from this tab's storage.
    expect(Object.keys(window.sessionStorage).filter((key) => key.startsWith('clinic.keptForm.'))).toHaveLength(1);

    server
      .on('POST /api/login', { status: 200, body: signedIn(receptionist) })
      .on('POST /api/invoices', {
        status: 201,
        body: draftRecord({ id: 'i-new' }),
        headers: { etag: '"1"' },
      });
    await user.type(within(dialog).getByLabelText('Contraseña'), 'demo1234');
    await user.click(within(dialog).getByRole('button', { name: 'Continuar' }));
    // The refused save goes out again by itself, with what was typed.
    await waitFor(() => expect(router.state.location.pathname).toBe('/invoices/i-new'));
    expect(server.calls('POST /api/invoices').at(-1)!.body).toMatchObject({
      series: 'S',
      sessionIds: ['a-2'],
      lines: [{ description: 'Banda elástica', unitPrice: '33.33' }],
    });
    // Nothing is left behind for the next time the form opens.
    expect(window.sessionStorage.length).toBe(0);
  });
});

describe('editing a draft', () => {
  const stored: Invoice = draftRecord({
    lines: [
      ...draftRecord().lines,
      {
        description: 'Banda elástica',
        quantity: '2.000',
        unitPrice: '12.00',
        discountPercent: '0.00',
        vatRate: '21.00',
        exemption: null,
        amount: '24.00',
        sessionId: null,
      },
    ],
    version: 4,
  });

  function draftServer(): FakeServer {
    return invoicingServer()
      .on('GET /api/invoices/i-draft', withEtag(stored))
      .on('GET /api/billable-sessions', collectionPage([later]));
  }

  it('starts from the stored draft and PUTs it with If-Match', async () => {
    const server = draftServer().on('PUT /api/invoices/i-draft', (request) => ({
      status: 200,
      body: { ...stored, version: 5, notes: (request.body as InvoiceBody).notes },
      headers: { etag: '"5"' },
    }));
    const { router } = await renderApp(server, '/invoices/i-draft/edit');
    const user = userEvent.setup();
    const line = await screen.findByRole('group', { name: 'Línea 1' });
    expect(within(line).getByLabelText('Cantidad')).toHaveValue('2');
    expect(within(line).getByLabelText('IVA')).toHaveDisplayValue('21 %');
    // Its own session (already on the draft) and the patient's other uninvoiced one.
    expect(
      await screen.findByRole('checkbox', { name: 'Sesión de fisioterapia 02/03/2026' }),
    ).toBeChecked();
    expect(screen.getByRole('checkbox', { name: 'Sesión de fisioterapia', description: /9 mar 2026/ })).not.toBeChecked();
    expect(screen.getByTestId('invoice-total')).toHaveTextContent('69,04 €');

    await user.click(screen.getByRole('checkbox', { name: 'Sesión de fisioterapia', description: /9 mar 2026/ }));
    await user.click(screen.getByRole('button', { name: 'Guardar borrador' }));
    await waitFor(() => expect(router.state.location.pathname).toBe('/invoices/i-draft'));
    const [put] = server.calls('PUT /api/invoices/i-draft');
    expect(put!.headers.get('If-Match')).toBe('"4"');
    expect(put!.body).toMatchObject({
      customerId: 'c-jose',
      patientId: 'p-jose',
      sessionIds: ['a-1', 'a-2'],
      lines: [{ description: 'Banda elástica', quantity: '2', unitPrice: '12.00', vatRate: '21' }],
    });
  });

  it('on a stale draft keeps what was typed and offers to reload', async () => {
    const server = draftServer().on('PUT /api/invoices/i-draft', problem(412));
    await renderApp(server, '/invoices/i-draft/edit');
    const user = userEvent.setup();
    const description = within(await screen.findByRole('group', { name: 'Línea 1' })).getByLabelText('Descripción');
    await user.clear(description);
    await user.type(description, 'Banda azul');
    await user.click(screen.getByRole('button', { name: 'Guardar borrador' }));

    expect(await screen.findByText(/Otra persona ha modificado esta factura/)).toBeInTheDocument();
    expect(description).toHaveValue('Banda azul');
    server.on('GET /api/invoices/i-draft', withEtag({ ...stored, version: 6 }));
    await user.click(screen.getByRole('button', { name: 'Recargar' }));
    await waitFor(() =>
      expect(
        within(screen.getByRole('group', { name: 'Línea 1' })).getByLabelText('Descripción'),
      ).toHaveValue('Banda elástica'),
    );
  });

  it('refuses to edit an issued invoice', async () => {
    const server = draftServer().on('GET /api/invoices/i-draft', withEtag(invoiceRecord({ id: 'i-draft' })));
    await renderApp(server, '/invoices/i-draft/edit');
    expect(await screen.findByText(/ya está emitida y no se puede modificar/)).toBeInTheDocument();
    expect(screen.queryByRole('button', { name: 'Guardar borrador' })).not.toBeInTheDocument();
  });
});
