import { type APIRequestContext, expect, type Page, test } from '@playwright/test';
import { DEMO, login, resetDb } from './helpers';

/** The birth date of the demo clinic's own José García Núñez (services/patients seed). */
const DEMO_JOSE_BIRTH_DATE = '1978-04-12';

test.beforeEach(async ({ request }) => {
  await resetDb(request);
});

/** Register a patient through the API (every optional field sent as null). */
async function registerPatient(
  request: APIRequestContext,
  token: string,
  firstName: string,
  lastName: string,
): Promise<string> {
  const response = await request.post('/api/patients', {
    headers: { Authorization: `Bearer ${token}` },
    data: {
      firstName,
      lastName,
      taxId: null,
      birthDate: '1975-11-20',
      sex: null,
      email: null,
      phone: '600 999 888',
      address: null,
      occupation: null,
      referralSource: null,
      emergencyContact: null,
      notes: null,
      preferredLocale: 'es',
      dataConsentAt: null,
    },
  });
  expect(response.status(), await response.text()).toBe(201);
  return ((await response.json()) as { id: string }).id;
}

/** Whether `response` answers a patient search for `query` (and, if given, `fuzzy`). */
function answersSearch(url: string, query: string, fuzzy?: boolean): boolean {
  const { pathname, searchParams } = new URL(url);
  if (pathname !== '/api/patients' || searchParams.get('search') !== query) return false;
  return fuzzy === undefined || (searchParams.get('fuzzy') === 'true') === fuzzy;
}

/** Type `query` in the search box and wait for its answer (and the URL keeping it). */
async function search(page: Page, query: string) {
  const answer = page.waitForResponse((r) => answersSearch(r.url(), query));
  await page.getByLabel('Buscar paciente').fill(query);
  expect((await answer).status()).toBe(200);
  await expect.poll(() => new URL(page.url()).searchParams.get('q')).toBe(query);
}

test('register a patient with accents, find them unaccented and with a typo, edit them', async ({
  page,
}) => {
  await login(page, DEMO.receptionist.email, DEMO.receptionist.name);
  await page.getByRole('navigation').getByRole('link', { name: 'Pacientes' }).click();
  await expect(page.getByRole('heading', { name: 'Pacientes', level: 1 })).toBeVisible();
  await page.getByRole('link', { name: 'Nuevo paciente' }).click();

  // The demo clinic already has a José García Núñez born the same day: a namesake, warned about.
  await page.getByLabel('Nombre', { exact: true }).fill('José');
  await page.getByLabel('Apellidos', { exact: true }).fill('García Núñez');
  await page.getByLabel('DNI/NIE u otro documento').fill('87654321-x');
  await page.getByLabel('Fecha de nacimiento').fill(DEMO_JOSE_BIRTH_DATE);
  await page.getByLabel('Teléfono', { exact: true }).fill('600 111 222');
  await expect(page.getByText('Puede que este paciente ya esté registrado:')).toBeVisible();
  await expect(page.getByRole('link', { name: /^José García Núñez/ })).toHaveAttribute('target', '_blank');
  await page.getByLabel('Localidad').fill('València');
  await page.getByRole('button', { name: 'Guardar' }).click();

  await expect(page).toHaveURL(/\/patients\/[0-9a-f-]{36}$/);
  await expect(page.getByText('Paciente registrado.')).toBeVisible();
  await expect(page.getByRole('heading', { level: 1 })).toContainText('José García Núñez');
  await expect(page.getByText('87654321X')).toBeVisible();

  // Unaccented, either word order: found (next to the demo namesake).
  await page.getByRole('link', { name: 'Volver a pacientes' }).click();
  await search(page, 'garcia nunez');
  const row = page.getByRole('row').filter({ hasText: '87654321X' });
  await expect(row).toHaveCount(1);
  await expect(page.getByRole('row').filter({ hasText: 'José García Núñez' })).toHaveCount(2);
  await search(page, 'nunez jose');
  await expect(row).toHaveCount(1);

  // A typo: nothing without "Allow typos", found with it.
  await search(page, 'garsia');
  await expect(page.getByText('Ningún paciente coincide con «garsia».')).toBeVisible();
  const fuzzy = page.waitForResponse((r) => answersSearch(r.url(), 'garsia', true));
  await page.getByRole('checkbox', { name: 'Tolerar errores' }).check();
  expect((await fuzzy).status()).toBe(200);
  await expect(page).toHaveURL(/fuzzy=true/);
  await expect(row).toHaveCount(1);

  // The search survives a reload (it lives in the URL).
  await page.reload();
  await expect(page.getByLabel('Buscar paciente')).toHaveValue('garsia');
  await expect(page.getByRole('checkbox', { name: 'Tolerar errores' })).toBeChecked();

  await row.getByRole('link', { name: 'Editar José García Núñez' }).click();
  const phone = page.getByLabel('Teléfono', { exact: true });
  await expect(phone).toHaveValue('600 111 222');
  await phone.fill('611 222 333');
  await page.getByRole('button', { name: 'Guardar' }).click();

  await expect(page).toHaveURL(/\/patients\/[0-9a-f-]{36}$/);
  await expect(page.getByText('Cambios guardados.')).toBeVisible();
  await expect(page.getByRole('link', { name: '611 222 333' })).toBeVisible();
  await expect(page.getByText('87654321X')).toBeVisible();
});

test('a wrong DNI letter is caught before saving, beside the field', async ({ page }) => {
  await login(page, DEMO.practitioner.email, DEMO.practitioner.name);
  await page.goto('/patients/new');
  await page.getByLabel('Nombre', { exact: true }).fill('Lucía');
  await page.getByLabel('Apellidos', { exact: true }).fill('Fernández');
  await page.getByLabel('DNI/NIE u otro documento').fill('12345678A');
  const create = page.waitForRequest((r) => r.method() === 'POST' && r.url().endsWith('/api/patients'), {
    timeout: 1000,
  });
  await page.getByRole('button', { name: 'Guardar' }).click();
  await expect(page.getByLabel('DNI/NIE u otro documento')).toHaveAttribute('aria-invalid', 'true');
  await expect(page.getByText('La letra de este DNI/NIE no es correcta.')).toBeVisible();
  await expect(create).rejects.toThrow();
  await expect(page.getByLabel('Nombre', { exact: true })).toHaveValue('Lucía');
});

test('a patient is deactivated and reactivated from their page', async ({ page }) => {
  const token = await login(page, DEMO.receptionist.email, DEMO.receptionist.name);
  const id = await registerPatient(page.request, token, 'Íñigo', 'Sáez Ortiz');
  await page.goto(`/patients/${id}`);
  const title = page.getByRole('heading', { level: 1 });
  await expect(title).toContainText('Íñigo Sáez Ortiz');
  await expect(title).toContainText('Activo');

  await page.getByRole('button', { name: 'Desactivar' }).click();
  await expect(page.getByText('¿Desactivar a Íñigo Sáez Ortiz?', { exact: false })).toBeVisible();
  await page.getByRole('group').getByRole('button', { name: 'Desactivar' }).click();
  await expect(page.getByText(/Paciente desactivado/)).toBeVisible();
  await expect(title).toContainText('Inactivo');

  // Filtered by status, the list agrees.
  await page.goto('/patients?status=active');
  await search(page, 'inigo');
  await expect(page.getByText('Ningún paciente coincide con «inigo».')).toBeVisible();
  await page.getByLabel('Estado').selectOption('inactive');
  await expect(page.getByRole('link', { name: 'Íñigo Sáez Ortiz' }).first()).toBeVisible();

  await page.getByRole('link', { name: 'Ver Íñigo Sáez Ortiz' }).click();
  await page.getByRole('button', { name: 'Reactivar' }).click();
  await expect(page.getByText('Paciente reactivado.')).toBeVisible();
  await expect(title).toContainText('Activo');
});

test('on a phone the patient list fits the screen and finds patients', { tag: '@phone' }, async ({
  page,
}) => {
  const token = await login(page, DEMO.receptionist.email, DEMO.receptionist.name);
  await registerPatient(page.request, token, 'Núria', 'Puig Vidal');
  await page.getByRole('button', { name: 'Menú' }).click();
  await page.getByRole('link', { name: 'Pacientes' }).click();
  await search(page, 'nuria');
  await expect(page.getByRole('link', { name: 'Núria Puig Vidal' }).first()).toBeVisible();
  await expect(page.getByRole('link', { name: 'Editar Núria Puig Vidal' })).toBeVisible();
  const overflow = await page.evaluate(() => document.documentElement.scrollWidth - innerWidth);
  expect(overflow).toBeLessThanOrEqual(0);
});
