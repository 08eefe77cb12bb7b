import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it } from 'vitest';
import { appointmentTypesReply } from '../../../test/appointmentFixtures';
import { billingServer, catalogue, settingsRecord, withEtag } from '../../../test/billingFixtures';
import { type FakeServer, problem } from '../../../test/fakeServer';
import { admin, receptionist } from '../../../test/fixtures';
import { renderApp } from '../../../test/renderApp';
import { logoProblem } from './settingsFields';

function settingsServer(): FakeServer {
  return billingServer(admin)
    .on('GET /api/billing-settings', withEtag(settingsRecord()))
    .on('GET /api/appointment-types', appointmentTypesReply)
    .on('PUT /api/billing-settings', (request) => ({
      status: 200,
      body: { ...settingsRecord(), ...(request.body as object), version: 4 },
      headers: { etag: '"4"' },
    }));
}

describe('billing settings', () => {
  it('are the admin’s: the front desk is refused', async () => {
    const server = billingServer(receptionist).on('GET /api/billing-settings', withEtag(settingsRecord()));
    await renderApp(server, '/settings/billing');
    expect(await screen.findByRole('heading', { name: 'Acceso no permitido' })).toBeInTheDocument();
    expect(server.calls('GET /api/billing-settings')).toHaveLength(0);
  });

  it('save the letterhead with If-Match, a logo as a data URL and the QR host', async () => {
    const server = settingsServer();
    await renderApp(server, '/settings/billing');
    const user = userEvent.setup();
    const legalName = await screen.findByLabelText('Razón social');
    expect(legalName).toHaveValue('Fisioterapia Demo, S.L.');
    expect(screen.getByRole('radio', { name: /Pruebas/ })).toBeChecked();
    await user.clear(legalName);
    await user.type(legalName, 'Fisio Turia, S.L.');

    // Too big a logo is refused here; a small one is previewed.
    const big = new File([new Uint8Array(200 * 1024)], 'logo.png', { type: 'image/png' });
    await user.upload(screen.getByLabelText('Elegir logotipo'), big);
    expect(screen.getByLabelText('Elegir logotipo')).toHaveAccessibleDescription(/demasiado grande/);
    const small = new File([new Uint8Array([137, 80, 78, 71])], 'logo.png', { type: 'image/png' });
    await user.upload(screen.getByLabelText('Elegir logotipo'), small);
    expect(await screen.findByRole('img', { name: 'Logotipo actual de las facturas' })).toHaveAttribute(
      'src',
      'data:image/png;base64,iVBORw==',
    );
    await user.click(screen.getByRole('radio', { name: /Producción/ }));
    await user.click(screen.getByRole('button', { name: 'Guardar' }));

    expect(await screen.findByText('Ajustes guardados.')).toBeInTheDocument();
    const [put] = server.calls('PUT /api/billing-settings');
    expect(put!.headers.get('If-Match')).toBe('"3"');
    expect(put!.body).toEqual({
      legalName: 'Fisio Turia, S.L.',
      taxId: 'B12345674',
      address: 'Calle de Alcalá 120, 28009 Madrid',
      email: 'facturas@fisio-demo.example.es',
      phone: '+34 910 000 000',
      logo: 'data:image/png;base64,iVBORw==',
      invoiceFooter: 'Inscrita en el Registro Mercantil de Madrid.',
      defaultLanguage: 'es',
      verifactuEnabled: true,
      qrEnvironment: 'production',
    });
  });

  it('show the server’s refusals beside their fields', async () => {
    const server = settingsServer().on(
      'PUT /api/billing-settings',
      problem(422, {
        errors: [
          { field: 'taxId', message: 'not a valid NIF/CIF' },
          { field: 'qrEnvironment', message: 'test is refused in production' },
        ],
      }),
    );
    await renderApp(server, '/settings/billing');
    const user = userEvent.setup();
    const taxId = await screen.findByLabelText('NIF / CIF');
    await user.clear(taxId);
    await user.type(taxId, 'B12345670');
    await user.click(screen.getByRole('button', { name: 'Guardar' }));
    await waitFor(() => expect(taxId).toHaveAttribute('aria-invalid', 'true'));
    expect(taxId).toHaveAccessibleDescription(/Escribe un NIF o CIF español válido/);
    expect(screen.getByText('El servidor de pruebas no se puede usar en producción.')).toBeInTheDocument();
    expect(taxId).toHaveValue('B12345670');
  });

  it('edit a catalogue item’s price and VAT with If-Match', async () => {
    const server = settingsServer()
      .on('PUT /api/catalogue/BAN', (request) => ({
        status: 200,
        body: { ...catalogue[1], ...(request.body as object), version: 4 },
      }))
      .on('GET /api/catalogue', { status: 200, body: { member: catalogue } });
    await renderApp(server, '/settings/billing');
    const user = userEvent.setup();
    const table = await screen.findByRole('table');
    const band = within(table).getByRole('row', { name: /Banda elástica/ });
    expect(band).toHaveTextContent('12,00 €');
    expect(within(table).getByRole('row', { name: /Sesión de fisioterapia/ })).toHaveTextContent('Sesión de fisioterapia');
    await user.click(within(band).getByRole('button', { name: 'Editar Banda elástica de resistencia' }));

    const dialog = screen.getByRole('dialog', { name: 'Editar «Banda elástica de resistencia»' });
    const price = within(dialog).getByLabelText('Precio (€)');
    expect(price).toHaveFocus();
    await user.clear(price);
    await user.type(price, '14,5');
    await user.selectOptions(within(dialog).getByLabelText('IVA'), '10');
    await user.click(within(dialog).getByRole('button', { name: 'Guardar' }));

    expect(await screen.findByText('«Banda elástica de resistencia» guardado.')).toBeInTheDocument();
    const [put] = server.calls('PUT /api/catalogue/BAN');
    expect(put!.headers.get('If-Match')).toBe('"3"');
    expect(put!.body).toEqual({
      nameEs: 'Banda elástica de resistencia',
      nameEn: 'Resistance band',
      price: '14.50',
      vatRate: '10',
      exemption: null,
      appointmentType: null,
      active: true,
    });
  });

  it('add a catalogue item: exempt at 0 %, tied to an appointment type', async () => {
    const server = settingsServer().on('POST /api/catalogue', (request) => ({
      status: 201,
      body: { ...(request.body as object), version: 1 },
    }));
    await renderApp(server, '/settings/billing');
    const user = userEvent.setup();
    await user.click(await screen.findByRole('button', { name: 'Nuevo servicio' }));
    const dialog = screen.getByRole('dialog', { name: 'Nuevo servicio' });
    await user.type(within(dialog).getByLabelText('Código'), 'val');
    await user.type(within(dialog).getByLabelText('Nombre en español'), 'Valoración inicial');
    await user.type(within(dialog).getByLabelText('Nombre en inglés'), 'Initial assessment');
    await user.type(within(dialog).getByLabelText('Precio (€)'), '50');
    await user.selectOptions(within(dialog).getByLabelText('Tipo de cita'), 'Valoración inicial');
    await user.click(within(dialog).getByRole('button', { name: 'Guardar' }));
    await waitFor(() => expect(server.calls('POST /api/catalogue')).toHaveLength(1));
    expect(server.calls('POST /api/catalogue')[0]!.body).toEqual({
      code: 'VAL',
      nameEs: 'Valoración inicial',
      nameEn: 'Initial assessment',
      price: '50.00',
      vatRate: '0',
      exemption: 'health_care',
      appointmentType: 'first_visit',
      active: true,
    });
  });

  it('accept only PNG, JPEG or SVG logos of up to 256 KB once encoded', () => {
    expect(logoProblem({ type: 'image/gif', size: 10 })).toBe('billingSettings.errors.logoType');
    expect(logoProblem({ type: 'image/png', size: 190 * 1024 })).toBeNull();
    expect(logoProblem({ type: 'image/svg+xml', size: 193 * 1024 })).toBe('billingSettings.errors.logoSize');
  });
});
