import { expect, type Page, test } from '@playwright/test';
import { DEMO, login, resetDb, apiToken, auth, expectAccessible, registerPatient } from './helpers';

// Issue 14: axe-core on the pages no other spec checks — the login page, the dashboard at a
// desktop size, and the edit pages of a patient, a user, a draft invoice and a draft note.
// Each page is loaded with its data before axe runs (no violation of WCAG 2.1 A/AA or the best
// practices, as in the other specs).

test.beforeEach(async ({ request }) => {
  await resetDb(request);
});

/** Some text box or text area of the page holds `value` (the form has its data). */
async function expectFieldHolding(page: Page, value: string) {
  await expect
    .poll(() =>
      page.evaluate(
        (wanted) =>
          [...document.querySelectorAll<HTMLInputElement | HTMLTextAreaElement>('input, textarea')].some(
            (field) => field.value === wanted,
          ),
        value,
      ),
    )
    .toBe(true);
}

test('the login page', async ({ page }) => {
  await page.goto('/login');
  await expect(page.getByRole('button', { name: 'Entrar' })).toBeVisible();
  await expectAccessible(page, 'the login page');
});

test('the dashboard at 1440×900', async ({ page }) => {
  await page.setViewportSize({ width: 1440, height: 900 });
  await login(page, DEMO.receptionist.email, DEMO.receptionist.name);
  await page.goto('/');
  await expect(page.getByTestId('appointmentsToday')).toBeVisible();
  await expectAccessible(page, 'the dashboard at 1440×900');
});

test('the patient edit page', async ({ page, request }) => {
  const token = await login(page, DEMO.receptionist.email, DEMO.receptionist.name);
  const patientId = await registerPatient(request, token, 'Itziar', 'Olaizola Mendia');
  await page.goto(`/patients/${patientId}/edit`);
  await expectFieldHolding(page, 'Olaizola Mendia');
  await expectAccessible(page, 'the patient edit page');
});

test('the user edit page', async ({ page, request }) => {
  const token = await login(page, DEMO.admin.email, DEMO.admin.name);
  const users = await request.get('/api/users?itemsPerPage=100', { headers: auth(token) });
  expect(users.status()).toBe(200);
  const jordi = ((await users.json()) as { member: { id: string; email: string }[] }).member.find(
    (user) => user.email === DEMO.practitioner2.email,
  )!;
  await page.goto(`/users/${jordi.id}`);
  await expect(page.getByLabel('Nombre completo')).toHaveValue(DEMO.practitioner2.name);
  await expectAccessible(page, 'the user edit page');
});

test('the edit page of a draft invoice', async ({ page, request }) => {
  test.setTimeout(60_000);
  const token = await login(page, DEMO.receptionist.email, DEMO.receptionist.name);
  const patientId = await registerPatient(request, token, 'Nerea', 'Zubizarreta Goñi');
  // Billing learns of the patient from an event: the patient's customer exists once it has.
  let customerId = '';
  await expect
    .poll(
      async () => {
        const response = await request.post(`/api/customers/for-patient/${patientId}`, { headers: auth(token) });
        if (response.ok()) customerId = ((await response.json()) as { id: string }).id;
        return response.status();
      },
      { timeout: 20_000 },
    )
    .toBeLessThan(300);
  const created = await request.post('/api/invoices', {
    headers: auth(token),
    data: {
      series: 'S',
      customerId,
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
    },
  });
  expect(created.status(), await created.text()).toBe(201);
  const draft = (await created.json()) as { id: string };
  await page.goto(`/invoices/${draft.id}/edit`);
  await expectFieldHolding(page, 'Banda elástica de resistencia');
  await expectAccessible(page, 'the edit page of a draft invoice');
});

test('the edit page of a draft note', async ({ page, request }) => {
  test.setTimeout(60_000);
  const desk = await apiToken(request, DEMO.receptionist.email);
  const laura = await login(page, DEMO.practitioner.email, DEMO.practitioner.name);
  const patientId = await registerPatient(request, desk, 'Oihane', 'Etxeberria Sarasola');
  // Records learns of the patient from an event: the episode opens once it has arrived.
  let episodeId = '';
  await expect
    .poll(
      async () => {
        const opened = await request.post('/api/episodes', {
          headers: auth(laura),
          data: { patientId, reason: 'Gonalgia derecha', bodyRegion: 'rodilla' },
        });
        if (opened.status() === 201) episodeId = ((await opened.json()) as { id: string }).id;
        return opened.status();
      },
      { timeout: 20_000 },
    )
    .toBe(201);
  const today = new Date().toLocaleDateString('sv-SE', { timeZone: 'Europe/Madrid' });
  const written = await request.post('/api/records', {
    headers: auth(laura),
    data: { patientId, episodeId, type: 'treatment', date: today, subjective: 'Dolor al bajar escaleras.', painVas: 7 },
  });
  expect(written.status(), await written.text()).toBe(201);
  const entryId = ((await written.json()) as { id: string }).id;
  await page.goto(`/records/${entryId}/edit`);
  await expectFieldHolding(page, 'Dolor al bajar escaleras.');
  await expectAccessible(page, 'the edit page of a draft note');
});
