import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it, vi } from 'vitest';
import type { Invoice } from '../../api/billing';
import {
  billingServer,
  collectionPage,
  draftRecord,
  invoiceRecord,
  invoiceSummary,
  withEtag,
} from '../../test/billingFixtures';
import type { FakeServer } from '../../test/fakeServer';
import { problem } from '../../test/fakeServer';
import { renderApp } from '../../test/renderApp';
import { localIsoDate } from '../../lib/dates';
import { isoToDisplayDate } from '../../lib/dateText';

const UUID_V4 = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

/** An invoice of two sessions and a product, 30 € already paid. */
const issued: Invoice = invoiceRecord({
  status: 'partially_paid',
  lines: [
    ...invoiceRecord().lines,
    {
      description: 'Banda elástica',
      quantity: '3.000',
      unitPrice: '33.33',
      discountPercent: '10.00',
      vatRate: '21.00',
      exemption: null,
      amount: '89.99',
      sessionId: null,
    },
  ],
  breakdown: [
    { vatRate: '21.00', exemption: null, exemptionText: null, base: '89.99', tax: '18.90' },
    ...invoiceRecord().breakdown,
  ],
  base: '129.99',
  tax: '18.90',
  total: '148.89',
  paid: '30.00',
  balance: '118.89',
  payments: [{ id: 'pay-1', amount: '30.00', method: 'cash', paidOn: '2026-03-02' }],
});

function detailServer(invoice: Invoice = issued): FakeServer {
  return billingServer()
    .on(`GET /api/invoices/${invoice.id}`, withEtag(invoice))
    .on('GET /api/invoices', collectionPage([invoiceSummary(invoice)]));
}

async function open(server: FakeServer, id = issued.id) {
  const view = await renderApp(server, `/invoices/${id}`);
  await screen.findByRole('heading', { level: 1 });
  return { ...view, user: userEvent.setup() };
}

describe('an issued invoice', () => {
  it('shows its number, customer, lines, VAT breakdown with the exemption, totals and payments', async () => {
    await open(detailServer());
    const title = screen.getByRole('heading', { level: 1 });
    expect(title).toHaveTextContent('F2026000001');
    expect(title).toHaveTextContent('Pagada en parte');
    expect(title).toHaveTextContent('Pendiente: 118,89 €');
    expect(screen.getByText(/F · Factura completa · emitida el 2 mar 2026/)).toBeInTheDocument();

    const customer = screen.getByRole('region', { name: 'Cliente' });
    expect(within(customer).getByRole('link', { name: 'José García Núñez' })).toHaveAttribute('href', '/customers/c-jose');
    expect(customer).toHaveTextContent('12345678Z');

    const lines = screen.getByRole('region', { name: 'Conceptos' });
    const product = within(lines).getByRole('row', { name: /Banda elástica/ });
    expect(product).toHaveTextContent('89,99 €');
    expect(product).toHaveTextContent('21 %');
    expect(within(lines).getByRole('row', { name: /Sesión de fisioterapia/ })).toHaveTextContent('0 % (exenta)');

    const totals = screen.getByRole('region', { name: 'Totales' });
    expect(within(totals).getByRole('row', { name: /21 %/ })).toHaveTextContent('89,99 €18,90 €');
    expect(totals).toHaveTextContent('Operación exenta de IVA en virtud del artículo 20.Uno.3º');
    expect(screen.getByTestId('invoice-total')).toHaveTextContent('148,89 €');
    expect(screen.getByTestId('invoice-balance')).toHaveTextContent('118,89 €');

    const payments = screen.getByRole('region', { name: 'Pagos' });
    expect(within(payments).getByRole('row', { name: /Efectivo/ })).toHaveTextContent('2 mar 2026Efectivo30,00 €');
    const verifactu = screen.getByRole('region', { name: 'Verifactu' });
    expect(verifactu).toHaveTextContent('3C464DAF');
    expect(within(verifactu).getByRole('link', { name: /Comprobar en la Agencia Tributaria/ })).toHaveAttribute(
      'href',
      issued.verifactu!.qrUrl,
    );
    // An issued invoice is never edited or discarded.
    expect(screen.queryByRole('link', { name: 'Editar' })).not.toBeInTheDocument();
    expect(screen.queryByRole('button', { name: 'Descartar borrador' })).not.toBeInTheDocument();
  });

  it('downloads its PDF with the session’s token', async () => {
    Object.defineProperty(URL, 'createObjectURL', { configurable: true, value: () => 'blob:pdf' });
    Object.defineProperty(URL, 'revokeObjectURL', { configurable: true, value: () => {} });
    const names: string[] = [];
    vi.spyOn(HTMLAnchorElement.prototype, 'click').mockImplementation(function (this: HTMLAnchorElement) {
      names.push(this.download);
    });
    const server = detailServer().on('GET /api/invoices/i-1/export/pdf', {
      status: 200,
      body: new Blob(['%PDF-1.7'], { type: 'application/pdf' }),
      headers: { 'content-disposition': 'attachment; filename="invoice-F2026000001.pdf"' },
    });
    const { user } = await open(server);
    await user.click(screen.getByRole('button', { name: 'Descargar PDF' }));
    await waitFor(() => expect(names).toEqual(['invoice-F2026000001.pdf']));
    expect(server.headerOf('GET /api/invoices/i-1/export/pdf', 'Authorization')[0]).toMatch(/^Bearer /);
  });

  it('records a payment, starting from the balance, today, by card', async () => {
    const server = detailServer().on('POST /api/invoices/i-1/payments', {
      status: 201,
      body: { id: 'pay-2', amount: '100.00', method: 'bizum', paidOn: localIsoDate() },
    });
    const { user } = await open(server);
    await user.click(screen.getByRole('button', { name: 'Registrar pago' }));
    const dialog = screen.getByRole('dialog', { name: 'Registrar un pago de F2026000001' });
    const amount = within(dialog).getByLabelText('Importe (€)');
    expect(amount).toHaveValue('118,89');
    expect(amount).toHaveFocus();
    expect(within(dialog).getByLabelText('Forma de pago')).toHaveDisplayValue('Tarjeta');
    expect(within(dialog).getByLabelText('Fecha')).toHaveValue(isoToDisplayDate(localIsoDate()));

    // Above the balance: refused here.
    await user.clear(amount);
    await user.type(amount, '200');
    await user.click(within(dialog).getByRole('button', { name: 'Registrar pago' }));
    expect(amount).toHaveAccessibleDescription(/no superior a lo pendiente \(118,89\s€\)/);
    expect(server.calls('POST /api/invoices/i-1/payments')).toHaveLength(0);

    await user.clear(amount);
    await user.type(amount, '100,5');
    await user.selectOptions(within(dialog).getByLabelText('Forma de pago'), 'Bizum');
    const paidAfter = { ...issued, paid: '130.50', balance: '18.39', version: 3 };
    server.on('GET /api/invoices/i-1', withEtag(paidAfter));
    await user.click(within(dialog).getByRole('button', { name: 'Registrar pago' }));

    expect(await screen.findByText('Pago registrado.')).toBeInTheDocument();
    expect(screen.queryByRole('dialog')).not.toBeInTheDocument();
    const [post] = server.calls('POST /api/invoices/i-1/payments');
    expect(post!.body).toEqual({ amount: '100.50', method: 'bizum', paidOn: localIsoDate() });
    expect(post!.headers.get('Idempotency-Key')).toMatch(UUID_V4);
    await waitFor(() => expect(screen.getByTestId('invoice-balance')).toHaveTextContent('18,39 €'));
  });

  it('shows the server’s refusal of an amount beside the field, keeping it', async () => {
    const server = detailServer().on(
      'POST /api/invoices/i-1/payments',
      problem(422, { errors: [{ field: 'amount', message: 'above the balance' }] }),
    );
    const { user } = await open(server);
    await user.click(screen.getByRole('button', { name: 'Registrar pago' }));
    const amount = screen.getByLabelText('Importe (€)');
    await user.clear(amount);
    await user.type(amount, '18');
    await user.click(within(screen.getByRole('dialog')).getByRole('button', { name: 'Registrar pago' }));
    await waitFor(() => expect(amount).toHaveAttribute('aria-invalid', 'true'));
    expect(amount).toHaveValue('18');
  });

  it('cancels the invoice in full with a rectifying invoice by differences', async () => {
    const rectifying = invoiceRecord({
      id: 'i-r1',
      series: 'R',
      number: 'R2026000001',
      total: '-148.89',
      balance: '0.00',
      rectifies: { id: 'i-1', number: 'F2026000001', issuedOn: '2026-03-02' },
      rectification: { method: 'differences', reasonCode: 'R4', reason: 'Facturada por error' },
    });
    const server = detailServer()
      .on('POST /api/invoices/i-1/rectify', { status: 201, body: rectifying })
      .on('GET /api/invoices/i-r1', withEtag(rectifying));
    const { user, router } = await open(server);
    await user.click(screen.getByRole('button', { name: 'Rectificar' }));
    const dialog = screen.getByRole('dialog', { name: 'Rectificar F2026000001' });
    expect(within(dialog).getByRole('radio', { name: 'Por diferencias' })).toBeChecked();
    expect(within(dialog).getByRole('checkbox', { name: 'Anular la factura por completo' })).toBeChecked();
    // R5 is for simplified invoices only.
    const codes = within(within(dialog).getByLabelText('Causa')).getAllByRole('option');
    expect(codes.map((option) => option.getAttribute('value'))).toEqual(['R1', 'R2', 'R3', 'R4']);
    expect(within(dialog).getByTestId('rectify-total')).toHaveTextContent('-148,89 €');

    await user.click(within(dialog).getByRole('button', { name: 'Emitir rectificativa' }));
    expect(within(dialog).getByLabelText('Motivo')).toHaveAccessibleDescription(/Explica el motivo/);
    await user.type(within(dialog).getByLabelText('Motivo'), 'Facturada por error');
    await user.click(within(dialog).getByRole('button', { name: 'Emitir rectificativa' }));

    await waitFor(() => expect(router.state.location.pathname).toBe('/invoices/i-r1'));
    const [post] = server.calls('POST /api/invoices/i-1/rectify');
    expect(post!.body).toEqual({ method: 'differences', reasonCode: 'R4', reason: 'Facturada por error' });
    expect(post!.headers.get('Idempotency-Key')).toMatch(UUID_V4);
    expect(await screen.findByText('Factura rectificativa emitida.')).toBeInTheDocument();
    expect(screen.getByRole('link', { name: 'F2026000001' })).toHaveAttribute('href', '/invoices/i-1');
    expect(screen.getByText('R4 · Resto de causas (p. ej., un error en los datos o en el importe)')).toBeInTheDocument();
  });

  it('substitutes the invoice with corrected lines', async () => {
    const server = detailServer().on('POST /api/invoices/i-1/rectify', { status: 201, body: '' });
    const { user } = await open(server);
    await user.click(screen.getByRole('button', { name: 'Rectificar' }));
    const dialog = screen.getByRole('dialog');
    await user.click(within(dialog).getByRole('radio', { name: 'Por sustitución' }));
    expect(within(dialog).queryByRole('checkbox', { name: 'Anular la factura por completo' })).not.toBeInTheDocument();
    const product = within(dialog).getByRole('group', { name: 'Línea 2' });
    const price = within(product).getByLabelText('Precio unitario (€)');
    expect(price).toHaveValue('33,33');
    await user.clear(price);
    await user.type(price, '30');
    // 40 + 3 × 30 less 10 % = 81 at 21 % → 40 + 81 + 17,01.
    expect(within(dialog).getByTestId('rectify-total')).toHaveTextContent('138,01 €');
    await user.type(within(dialog).getByLabelText('Motivo'), 'Precio equivocado');
    await user.click(within(dialog).getByRole('button', { name: 'Emitir rectificativa' }));

    expect(await screen.findByText('Factura rectificativa emitida.')).toBeInTheDocument();
    expect(server.calls('POST /api/invoices/i-1/rectify')[0]!.body).toEqual({
      method: 'substitution',
      reasonCode: 'R4',
      reason: 'Precio equivocado',
      lines: [
        {
          description: 'Sesión de fisioterapia 02/03/2026',
          quantity: '1',
          unitPrice: '40.00',
          discountPercent: '0',
          vatRate: '0',
          exemption: 'health_care',
        },
        {
          description: 'Banda elástica',
          quantity: '3',
          unitPrice: '30.00',
          discountPercent: '10',
          vatRate: '21',
          exemption: null,
        },
      ],
    });
  });

  it('offers only R5 for a simplified invoice, and links to its rectifying invoices', async () => {
    const simplified = invoiceRecord({
      series: 'S',
      number: 'S2026000002',
      rectifiedBy: [{ id: 'i-r2', number: 'R2026000002' }],
    });
    const { user } = await open(detailServer(simplified));
    expect(screen.getByRole('link', { name: 'R2026000002' })).toHaveAttribute('href', '/invoices/i-r2');
    await user.click(screen.getByRole('button', { name: 'Rectificar' }));
    const codes = within(screen.getByLabelText('Causa')).getAllByRole('option');
    expect(codes.map((option) => option.getAttribute('value'))).toEqual(['R5']);
  });
});

describe('a draft', () => {
  const draft = draftRecord();

  it('is titled Borrador and offers edit, issue and discard, not payments', async () => {
    await open(detailServer(draft), draft.id);
    expect(screen.getByRole('heading', { level: 1 })).toHaveTextContent('Borrador');
    expect(screen.getByText(/sin emitir/)).toBeInTheDocument();
    expect(screen.getByRole('link', { name: 'Editar' })).toHaveAttribute('href', '/invoices/i-draft/edit');
    expect(screen.queryByRole('button', { name: 'Registrar pago' })).not.toBeInTheDocument();
    expect(screen.queryByRole('button', { name: 'Rectificar' })).not.toBeInTheDocument();
    expect(screen.queryByRole('region', { name: 'Pagos' })).not.toBeInTheDocument();
  });

  it('issues after a confirmation, sending its version', async () => {
    const issuedNow = invoiceRecord({ id: draft.id, version: 2 });
    const server = detailServer(draft).on(`POST /api/invoices/${draft.id}/issue`, {
      status: 200,
      body: issuedNow,
      headers: { etag: '"2"' },
    });
    const { user } = await open(server, draft.id);
    await user.click(screen.getByRole('button', { name: 'Emitir factura' }));
    const dialog = screen.getByRole('dialog', { name: '¿Emitir la factura?' });
    expect(dialog).toHaveTextContent('no se podrá modificar ni borrar');
    server.on(`GET /api/invoices/${draft.id}`, withEtag(issuedNow));
    await user.click(within(dialog).getByRole('button', { name: 'Emitir' }));
    expect(await screen.findByText('Factura emitida.')).toBeInTheDocument();
    expect(screen.getByRole('heading', { level: 1 })).toHaveTextContent('F2026000001');
    expect(server.headerOf(`POST /api/invoices/${draft.id}/issue`, 'If-Match')).toEqual(['"1"']);
  });

  it('says what an F invoice lacks when issuing is refused, with a way to fix the customer', async () => {
    const server = detailServer(draft).on(
      `POST /api/invoices/${draft.id}/issue`,
      problem(422, { errors: [{ field: 'customerId', message: 'needs the tax id and address' }] }),
    );
    const { user } = await open(server, draft.id);
    await user.click(screen.getByRole('button', { name: 'Emitir factura' }));
    await user.click(screen.getByRole('button', { name: 'Emitir' }));
    const alert = await screen.findByRole('alert');
    expect(alert).toHaveTextContent('el cliente necesita NIF y dirección');
    expect(within(alert).getByRole('link', { name: 'Completar los datos del cliente' })).toHaveAttribute(
      'href',
      '/customers/c-jose',
    );
  });

  it('is discarded after a confirmation, back to the list', async () => {
    const server = detailServer(draft).on(`DELETE /api/invoices/${draft.id}`, { status: 204 });
    const { user, router } = await open(server, draft.id);
    await user.click(screen.getByRole('button', { name: 'Descartar borrador' }));
    const dialog = screen.getByRole('dialog', { name: '¿Descartar el borrador?' });
    await user.click(within(dialog).getByRole('button', { name: 'Descartar borrador' }));
    await waitFor(() => expect(router.state.location.pathname).toBe('/invoices'));
    expect(await screen.findByText('Borrador descartado.')).toBeInTheDocument();
    expect(server.calls(`DELETE /api/invoices/${draft.id}`)).toHaveLength(1);
  });
});
