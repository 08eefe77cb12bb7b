import { type APIRequestContext, expect, type Page, test } from '@playwright/test';
import { DEMO, login, resetDb, auth, expectAccessible, expectNoSideways, registerPatient, completedVisit } from './helpers';

// Billing (issue 12): a completed session invoiced from the calendar, paid and rectified; every
// billing page checked with axe-core; the pages at a phone's size. Billing learns about patients
// and completed appointments from events, so the steps that need them wait until it has.

test.beforeEach(async ({ request }) => {
  await resetDb(request);
});

/** The list is drawn as cards (a phone): rows as blocks, its header row out of sight. */
async function expectCards(page: Page) {
  const look = await page.locator('table.card-table').evaluate((table) => ({
    row: getComputedStyle(table.querySelector('tbody tr')!).display,
    header: table.querySelector('thead')!.getBoundingClientRect().height,
  }));
  expect(look).toEqual({ row: 'block', header: 1 });
}

/** Laura's completed visit of the last working day (`completedVisit`), once billing has it as billable. */
async function completedSession(request: APIRequestContext, token: string, patientId: string) {
  const appointment = await completedVisit(request, token, patientId);
  await expect
    .poll(
      async () => {
        const response = await request.get(`/api/billable-sessions?patientId=${patientId}&uninvoiced=true`, {
          headers: auth(token),
        });
        const body = (await response.json()) as { member?: { appointmentId: string }[] };
        return body.member?.map((session) => session.appointmentId) ?? [];
      },
      { timeout: 20_000 },
    )
    .toContain(appointment.id);
  return appointment;
}

/** The patient's own customer, once billing's read model knows the patient. */
async function ownCustomer(request: APIRequestContext, token: string, patientId: string): Promise<string> {
  let id = '';
  await expect
    .poll(
      async () => {
        const response = await request.post(`/api/customers/for-patient/${patientId}`, { headers: auth(token) });
        if (response.ok()) id = ((await response.json()) as { id: string }).id;
        return response.status();
      },
      { timeout: 20_000 },
    )
    .toBeLessThan(300);
  return id;
}

/** An issued simplified invoice of one hand line, through the API. */
async function issuedInvoice(request: APIRequestContext, token: string, customerId: string) {
  const created = await request.post('/api/invoices', {
    headers: auth(token),
    data: {
      series: 'S',
      customerId,
      patientId: null,
      lines: [
        {
          description: 'Banda elástica de resistencia (pack de 3 intensidades)',
          quantity: '3',
          unitPrice: '12.00',
          discountPercent: '10',
          vatRate: '21',
          exemption: null,
        },
      ],
      sessionIds: [],
      notes: null,
    },
  });
  expect(created.status(), await created.text()).toBe(201);
  const draft = (await created.json()) as { id: string; version: number };
  const issued = await request.post(`/api/invoices/${draft.id}/issue`, {
    headers: { ...auth(token), 'If-Match': `"${draft.version}"` },
  });
  expect(issued.status(), await issued.text()).toBe(200);
  return draft.id;
}

test('a completed session is invoiced from the calendar, paid, and cancelled by a rectifying invoice', async ({
  page,
  request,
}) => {
  test.setTimeout(120_000);
  const token = await login(page, DEMO.receptionist.email, DEMO.receptionist.name);
  const patientId = await registerPatient(request, token, 'Íñigo', 'Sáez Ortiz');
  await ownCustomer(request, token, patientId);
  const session = await completedSession(request, token, patientId);

  // The completed appointment's details offer "Facturar", with its session.
  await page.goto(`/calendar?date=${session.date}&view=timeGridDay&practitionerId=${session.practitionerId}`);
  await page.locator(`[data-appointment-id="${session.id}"]`).first().click();
  const details = page.getByRole('dialog', { name: 'Íñigo Sáez Ortiz' });
  await expect(details).toContainText('Realizada');
  await details.getByRole('link', { name: 'Facturar' }).click();

  await expect(page).toHaveURL(new RegExp(`/invoices/new\\?patientId=${patientId}&sessionId=${session.id}`));
  await expect(page.getByTestId('invoice-customer')).toHaveText('Íñigo Sáez Ortiz');
  const sessionBox = page.getByRole('checkbox', { name: 'Sesión de fisioterapia' });
  await expect(sessionBox).toBeChecked();
  await expect(page.getByTestId('invoice-total')).toHaveText(/40,00\s€/);
  await expectAccessible(page, 'the invoice form');

  // The patient's customer has no address yet: a simplified invoice (S) needs none.
  await page.getByRole('radio', { name: 'S · Factura simplificada' }).check();
  await page.getByRole('button', { name: 'Emitir factura' }).click();
  const confirm = page.getByRole('dialog', { name: '¿Emitir la factura?' });
  await expect(confirm).toContainText('ya no se podrá modificar ni borrar');
  await expectAccessible(page, 'the issue confirmation');
  await confirm.getByRole('button', { name: 'Emitir' }).click();

  await expect(page).toHaveURL(/\/invoices\/[0-9a-f-]{36}$/);
  const invoiceUrl = page.url();
  await expect(page.getByText('Factura emitida.')).toBeVisible();
  const title = page.getByRole('heading', { level: 1 });
  await expect(title).toContainText(/S\d{10}/);
  const number = (await title.textContent())!.match(/S\d{10}/)![0];
  await expect(title).toContainText('Emitida');
  await expect(page.getByTestId('invoice-balance')).toHaveText(/40,00\s€/);
  await expect(page.getByRole('region', { name: 'Totales' })).toContainText('Operación exenta de IVA');
  await expectAccessible(page, 'the issued invoice');

  // Paid in full by Bizum.
  await page.getByRole('button', { name: 'Registrar pago' }).click();
  const payment = page.getByRole('dialog', { name: `Registrar un pago de ${number}` });
  await expect(payment.getByLabel('Importe (€)')).toHaveValue('40,00');
  await payment.getByLabel('Forma de pago').selectOption({ label: 'Bizum' });
  await expectAccessible(page, 'the payment dialog');
  await payment.getByRole('button', { name: 'Registrar pago' }).click();
  await expect(page.getByText('Pago registrado.')).toBeVisible();
  await expect(title).toContainText('Pagada');
  await expect(page.getByTestId('invoice-balance')).toHaveText(/0,00\s€/);
  await expect(page.getByRole('region', { name: 'Pagos' })).toContainText('Bizum');

  // Cancelled in full: a simplified invoice is rectified with R5, by differences without lines.
  await page.getByRole('button', { name: 'Rectificar' }).click();
  const rectify = page.getByRole('dialog', { name: `Rectificar ${number}` });
  await expect(rectify.getByLabel('Causa')).toHaveValue('R5');
  await expect(rectify.getByRole('checkbox', { name: 'Anular la factura por completo' })).toBeChecked();
  await expect(rectify.getByTestId('rectify-total')).toHaveText(/-40,00\s€/);
  await rectify.getByLabel('Motivo').fill('Sesión facturada por error');
  await expectAccessible(page, 'the rectify dialog');
  await rectify.getByRole('button', { name: 'Emitir rectificativa' }).click();

  await expect(page.getByText('Factura rectificativa emitida.')).toBeVisible();
  await expect(page.getByRole('heading', { level: 1 })).toContainText(/R\d{10}/);
  await expect(page.getByRole('link', { name: number })).toBeVisible();
  await expect(page.getByTestId('invoice-total')).toHaveText(/-40,00\s€/);
  await page.getByRole('link', { name: number }).click();
  await expect(page).toHaveURL(invoiceUrl);
  await expect(page.getByText('Rectificada por')).toBeVisible();

  // The list finds it by number, and the Verifactu chain is still whole.
  await page.getByRole('navigation').getByRole('link', { name: 'Facturas' }).click();
  await expect(page.getByTestId('chain-status')).toContainText('Cadena Verifactu íntegra');
  await page.getByLabel('Buscar factura').fill(number);
  await expect(page.getByRole('link', { name: number })).toBeVisible();
  await expectAccessible(page, 'the invoice list');

  // The session is invoiced: the patient has none left to invoice.
  await page.goto(`/invoices/new?patientId=${patientId}`);
  await expect(page.getByText('Este paciente no tiene sesiones pendientes de facturar.')).toBeVisible();
});

test('the patients list invoices a patient; customers and settings pass axe-core', async ({ page, request }) => {
  test.setTimeout(90_000);
  const token = await login(page, DEMO.receptionist.email, DEMO.receptionist.name);
  const patientId = await registerPatient(request, token, 'Núria', 'Puig Vidal');
  const customerId = await ownCustomer(request, token, patientId);

  await page.getByRole('navigation').getByRole('link', { name: 'Pacientes' }).click();
  await page.getByLabel('Buscar paciente').fill('nuria puig');
  await page.getByRole('link', { name: 'Facturar Núria Puig Vidal' }).click();
  await expect(page).toHaveURL(new RegExp(`/invoices/new\\?patientId=${patientId}`));
  await expect(page.getByTestId('invoice-customer')).toHaveText('Núria Puig Vidal');
  // A full invoice (F) needs the customer's address: the form says so before issuing.
  await expect(page.getByText(/el cliente necesita NIF y dirección/)).toBeVisible();

  await page.getByRole('navigation').getByRole('link', { name: 'Clientes' }).click();
  await expect(page.getByRole('link', { name: 'Núria Puig Vidal' })).toBeVisible();
  await expectAccessible(page, 'the customers list');
  // Issue 14: lists that are tables on a wide screen (cards only under 768 px).
  for (const [width, height] of [[1440, 900], [1024, 768]] as const) {
    await page.setViewportSize({ width, height });
    await expect(page.locator('table.card-table tbody tr').first()).toHaveCSS('display', 'table-row');
    await page.screenshot({ path: test.info().outputPath(`frontdesk-customers-${width}x${height}.png`) });
  }
  await page.goto(`/customers/${customerId}`);
  const taxId = page.getByLabel('NIF');
  await taxId.fill('12345678A');
  await page.getByRole('button', { name: 'Guardar' }).click();
  await expect(taxId).toHaveAttribute('aria-invalid', 'true');
  await taxId.fill('12345678Z');
  await page.getByLabel('Calle y número').fill('Carrer de Colom 3');
  await page.getByLabel('Código postal').fill('46004');
  await page.getByLabel('Localidad').fill('València');
  await page.getByRole('button', { name: 'Guardar' }).click();
  await expect(page.getByText('Cambios guardados.')).toBeVisible();
  await expectAccessible(page, 'the customer form');

  // A physiotherapist sees none of it, and the API refuses them too.
  await page.getByRole('button', { name: 'Cerrar sesión' }).click();
  const practitionerToken = await login(page, DEMO.practitioner.email, DEMO.practitioner.name);
  await expect(page.getByRole('navigation').getByRole('link', { name: 'Facturas' })).toHaveCount(0);
  await page.goto('/invoices');
  await expect(page.getByRole('heading', { name: 'Acceso no permitido' })).toBeVisible();
  const refused = await request.get('/api/invoices', { headers: auth(practitionerToken) });
  expect(refused.status()).toBe(403);

  // The settings and the catalogue are the admin's.
  await page.getByRole('button', { name: 'Cerrar sesión' }).click();
  await login(page, DEMO.admin.email, DEMO.admin.name);
  await page.goto('/settings/billing');
  await expect(page.getByLabel('Razón social')).toHaveValue('Fisioterapia Demo, S.L.');
  await expect(page.getByRole('row', { name: /Sesión de fisioterapia/ })).toContainText(/40,00\s€/);
  await expectAccessible(page, 'the billing settings');
  await page.getByRole('button', { name: 'Editar Sesión de fisioterapia' }).click();
  await expectAccessible(page, 'the catalogue dialog');
});

test('on a phone the billing pages fit the screen', { tag: '@phone' }, async ({ page, request }) => {
  test.setTimeout(90_000);
  const token = await login(page, DEMO.receptionist.email, DEMO.receptionist.name);
  const patientId = await registerPatient(request, token, 'Pau', 'Ferrer Soler');
  const customerId = await ownCustomer(request, token, patientId);
  const invoiceId = await issuedInvoice(request, token, customerId);

  await page.getByRole('button', { name: 'Menú' }).click();
  await page.getByRole('link', { name: 'Facturas' }).click();
  await expect(page.getByRole('heading', { name: 'Facturas', level: 1 })).toBeVisible();
  await expect(page.getByRole('link', { name: /^S\d{10}$/ })).toBeVisible();
  await expectNoSideways(page);
  await expectCards(page);
  await expectAccessible(page, 'the invoice list on a phone');
  await page.screenshot({ path: test.info().outputPath('frontdesk-invoices-390x844.png'), fullPage: true });

  await page.goto(`/invoices/${invoiceId}`);
  await expect(page.getByTestId('invoice-total')).toHaveText(/39,20\s€/); // 3 × 12 − 10 % = 32,40 + 21 %
  await expectNoSideways(page);
  await page.getByRole('button', { name: 'Rectificar' }).click();
  await page.getByRole('checkbox', { name: 'Anular la factura por completo' }).uncheck();
  await expect(page.getByRole('dialog').getByRole('group', { name: 'Línea 1' })).toBeVisible();
  await expectNoSideways(page);
  await page.keyboard.press('Escape');

  await page.goto(`/invoices/new?patientId=${patientId}`);
  await expect(page.getByTestId('invoice-customer')).toHaveText('Pau Ferrer Soler');
  await page.getByRole('button', { name: 'Añadir línea' }).click();
  await expectNoSideways(page);
  await expectAccessible(page, 'the invoice form on a phone');

  await page.goto('/customers');
  await expect(page.getByRole('link', { name: 'Pau Ferrer Soler' })).toBeVisible();
  await expectNoSideways(page);
  await expectCards(page);
  await expectAccessible(page, 'the customers list on a phone');
});
