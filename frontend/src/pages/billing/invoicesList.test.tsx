import { act, screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it, vi } from 'vitest';
import {
  billingServer,
  collectionPage,
  draftRecord,
  invoiceRecord,
  invoiceSummary,
} from '../../test/billingFixtures';
import { problem } from '../../test/fakeServer';
import { admin } from '../../test/fixtures';
import { renderApp } from '../../test/renderApp';
import { quarterStart } from './SalesBookExport';

const issued = invoiceSummary(invoiceRecord());
const paid = invoiceSummary(
  invoiceRecord({
    id: 'i-2',
    number: 'S2026000004',
    series: 'S',
    status: 'paid',
    customer: { name: 'Lucía Fernández', taxId: null, address: null, email: null },
    total: '35.00',
    paid: '35.00',
    balance: '0.00',
  }),
);
const draft = invoiceSummary(draftRecord());

/** Stand in for the browser's download: remember what would be saved. */
function catchDownloads() {
  const saved: { blob: Blob; name: string }[] = [];
  let lastBlob: Blob | null = null;
  Object.defineProperty(URL, 'createObjectURL', {
    configurable: true,
    value: (blob: Blob) => {
      lastBlob = blob;
      return 'blob:fake';
    },
  });
  Object.defineProperty(URL, 'revokeObjectURL', { configurable: true, value: () => {} });
  vi.spyOn(HTMLAnchorElement.prototype, 'click').mockImplementation(function (this: HTMLAnchorElement) {
    if (lastBlob) saved.push({ blob: lastBlob, name: this.download });
  });
  return saved;
}

describe('invoice list', () => {
  it('lists invoices with their number, customer, balance and status, drafts first as Borrador', async () => {
    const server = billingServer().on('GET /api/invoices', collectionPage([draft, issued, paid]));
    await renderApp(server, '/invoices');
    const nav = await screen.findByRole('navigation', { name: 'Menú' });
    expect(within(nav).getByRole('link', { name: 'Facturas' })).toHaveAttribute('aria-current', 'page');

    const row = (await screen.findByRole('link', { name: 'F2026000001' })).closest('tr')!;
    expect(row).toHaveTextContent('José García Núñez');
    expect(within(row).getAllByText('Pendiente: 40,00 €').length).toBeGreaterThan(0);
    expect(within(row).getAllByText('Emitida').length).toBeGreaterThan(0);
    const paidRow = screen.getByRole('link', { name: 'S2026000004' }).closest('tr')!;
    expect(within(paidRow).queryByText(/Pendiente:/)).not.toBeInTheDocument();
    expect(within(paidRow).getAllByText('Pagada').length).toBeGreaterThan(0);
    const draftLink = screen.getByRole('link', { name: 'Borrador para José García Núñez' });
    expect(draftLink).toHaveAttribute('href', '/invoices/i-draft');
    expect(draftLink).toHaveTextContent('Borrador');
    expect(screen.getByTestId('chain-status')).toHaveTextContent('Cadena Verifactu íntegra (12 registros)');
    expect(screen.getByRole('link', { name: 'Nueva factura' })).toHaveAttribute('href', '/invoices/new');
    // The settings are the admin's: a receptionist has no link to them.
    expect(screen.queryByRole('link', { name: 'Ajustes de facturación' })).not.toBeInTheDocument();
    expect(server.calls('GET /api/invoices')[0]!.params).toEqual({ page: 1, itemsPerPage: 20 });
  });

  it('searches by number or customer and filters, keeping everything in the URL', async () => {
    const server = billingServer().on('GET /api/invoices', collectionPage([issued]));
    const { router } = await renderApp(server, '/invoices');
    await screen.findByRole('link', { name: 'F2026000001' });
    const user = userEvent.setup();
    await user.type(screen.getByLabelText('Buscar factura'), 'garcia');
    await waitFor(() => expect(router.state.location.search).toEqual({ q: 'garcia' }));
    await user.selectOptions(screen.getByLabelText('Estado'), 'partially_paid');
    await user.selectOptions(screen.getByLabelText('Serie'), 'F');
    await user.type(screen.getByLabelText('Emitidas desde'), '2026-01-01');
    await user.type(screen.getByLabelText('Emitidas hasta'), '2026-03-31');
    await user.click(screen.getByRole('checkbox', { name: 'Solo con importe pendiente' }));
    await waitFor(() =>
      expect(router.state.location.search).toEqual({
        q: 'garcia',
        status: 'partially_paid',
        series: 'F',
        from: '2026-01-01',
        to: '2026-03-31',
        outstanding: true,
      }),
    );
    await waitFor(() =>
      expect(server.calls('GET /api/invoices').at(-1)!.params).toEqual({
        q: 'garcia',
        status: 'partially_paid',
        series: 'F',
        from: '2026-01-01',
        to: '2026-03-31',
        outstanding: true,
        page: 1,
        itemsPerPage: 20,
      }),
    );
  });

  it('pages with previous/next (no total), keeping the filters', async () => {
    const server = billingServer().on('GET /api/invoices', (request) =>
      request.params.page === 1 ? collectionPage([issued], true) : collectionPage([paid]),
    );
    const { router } = await renderApp(server, '/invoices?status=issued');
    await screen.findByRole('link', { name: 'F2026000001' });
    await userEvent.click(screen.getByRole('link', { name: 'Siguiente' }));
    await screen.findByRole('link', { name: 'S2026000004' });
    expect(router.state.location.search).toEqual({ status: 'issued', page: 2 });
    expect(server.calls('GET /api/invoices').at(-1)!.params).toMatchObject({ status: 'issued', page: 2 });
  });

  it('says when nothing matches, and when there are no invoices yet', async () => {
    const server = billingServer().on('GET /api/invoices', collectionPage([]));
    const { router } = await renderApp(server, '/invoices?q=F2027');
    expect(await screen.findByText('Ninguna factura coincide con «F2027».')).toBeInTheDocument();
    await act(() => router.navigate({ to: '/invoices', search: {} }));
    expect(await screen.findByText('Todavía no hay facturas.')).toBeInTheDocument();
  });

  it('shows where the Verifactu chain breaks', async () => {
    const server = billingServer()
      .on('GET /api/invoices', collectionPage([issued]))
      .on('GET /api/invoices/chain/verify', {
        status: 200,
        body: {
          ok: false,
          records: 40,
          issuers: 1,
          firstBreak: { position: 17, number: 'F2026000017', reason: 'hash', message: 'hash mismatch' },
        },
      });
    await renderApp(server, '/invoices');
    expect(await screen.findByTestId('chain-status')).toHaveTextContent(
      'Cadena Verifactu rota en el registro 17 (F2026000017): la huella no coincide',
    );
  });

  it('downloads the sales book of a date range as a CSV, with the session’s token', async () => {
    const saved = catchDownloads();
    const csv = new Blob(['\ufeffnúmero;fecha\n'], { type: 'text/csv' });
    const server = billingServer()
      .on('GET /api/invoices', collectionPage([issued]))
      .on('GET /api/invoices/sales-book.csv', {
        status: 200,
        body: csv,
        headers: { 'content-disposition': 'attachment; filename="libro-ventas-2026T1.csv"' },
      });
    await renderApp(server, '/invoices?from=2026-01-01&to=2026-03-31');
    const book = await screen.findByRole('region', { name: 'Libro registro de facturas expedidas' });
    // It starts from the list's own date filter.
    expect(within(book).getByLabelText('Desde')).toHaveValue('01/01/2026');
    expect(within(book).getByLabelText('Hasta')).toHaveValue('31/03/2026');
    await userEvent.click(within(book).getByRole('button', { name: 'Descargar CSV' }));

    await waitFor(() => expect(saved).toHaveLength(1));
    expect(saved[0]!.name).toBe('libro-ventas-2026T1.csv');
    expect(saved[0]!.blob).toBe(csv);
    const [call] = server.calls('GET /api/invoices/sales-book.csv');
    expect(call!.params).toEqual({ from: '2026-01-01', to: '2026-03-31' });
    expect(call!.headers.get('Authorization')).toMatch(/^Bearer token-/);
  });

  it('refuses a backwards date range for the sales book, and shows a failed download', async () => {
    catchDownloads();
    const server = billingServer()
      .on('GET /api/invoices', collectionPage([issued]))
      .on('GET /api/invoices/sales-book.csv', problem(503));
    await renderApp(server, '/invoices?from=2026-03-31&to=2026-01-01');
    const book = await screen.findByRole('region', { name: 'Libro registro de facturas expedidas' });
    const user = userEvent.setup();
    await user.click(within(book).getByRole('button', { name: 'Descargar CSV' }));
    expect(within(book).getByLabelText('Desde')).toHaveAccessibleDescription(
      'Elige dos fechas válidas, la primera no posterior a la segunda.',
    );
    expect(server.calls('GET /api/invoices/sales-book.csv')).toHaveLength(0);

    await user.clear(within(book).getByLabelText('Hasta'));
    await user.type(within(book).getByLabelText('Hasta'), '2026-06-30');
    await user.click(within(book).getByRole('button', { name: 'Descargar CSV' }));
    expect(await within(book).findByRole('alert')).toHaveTextContent('no está disponible');
  });

  it('gives an admin the way to the billing settings', async () => {
    const server = billingServer(admin).on('GET /api/invoices', collectionPage([issued]));
    await renderApp(server, '/invoices');
    expect(await screen.findByRole('link', { name: 'Ajustes de facturación' })).toHaveAttribute(
      'href',
      '/settings/billing',
    );
  });

  it('starts the sales book at the quarter’s first day', () => {
    expect(quarterStart('2026-05-14')).toBe('2026-04-01');
    expect(quarterStart('2026-01-01')).toBe('2026-01-01');
    expect(quarterStart('2026-12-31')).toBe('2026-10-01');
  });
});
