import { expect, type Page, test } from '@playwright/test';
import { DEMO, DEMO_PASSWORD, login, resetDb, clinicDate, expectAccessible, registerPatient } from './helpers';

/** The birth date of the demo clinic's own José García Núñez (services/patients seed). */
const DEMO_JOSE_BIRTH_DATE = '1978-04-12';

test.beforeEach(async ({ request }) => {
  await resetDb(request);
});

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
  // The page's search box has the focus: typing searches at once.
  await expect(page.getByLabel('Buscar paciente')).toBeFocused();
  await page.getByRole('link', { name: 'Nuevo paciente' }).click();

  // The demo clinic already has a José García Núñez born the same day: a namesake, warned about.
  await page.getByLabel('Nombre', { exact: true }).fill('José');
  await page.getByLabel('Apellidos', { exact: true }).fill('García Núñez');
  await page.getByLabel('DNI/NIE u otro documento').fill('87654321-x');
  await page.getByLabel('Fecha de nacimiento').fill(clinicDate(DEMO_JOSE_BIRTH_DATE)); // dd/mm/yyyy, the clinic's way
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

  // A typo: the exact search finds nothing, so the typo-tolerant one runs by itself, labelled.
  const retried = page.waitForResponse((r) => answersSearch(r.url(), 'garsia', true));
  await search(page, 'garsia');
  expect((await retried).status()).toBe(200);
  await expect(page.getByText('Resultados aproximados')).toBeVisible();
  await expect(page.getByText('Ningún paciente coincide exactamente con «garsia»')).toBeVisible();
  await expect(row).toHaveCount(1);
  await expect(page).not.toHaveURL(/fuzzy=true/);
  await expectAccessible(page, 'the approximate results');
  // Asked for explicitly, typos are tolerated without the label (the answer is the one above).
  await page.getByRole('checkbox', { name: 'Tolerar errores' }).check();
  await expect(page).toHaveURL(/fuzzy=true/);
  await expect(page.getByText('Resultados aproximados')).toBeHidden();
  await expect(row).toHaveCount(1);

  // The search survives a reload (it lives in the URL).
  await page.reload();
  await expect(page.getByLabel('Buscar paciente')).toHaveValue('garsia');
  await expect(page.getByRole('checkbox', { name: 'Tolerar errores' })).toBeChecked();

  await row.getByRole('link', { name: 'Editar José García Núñez' }).click();
  const phone = page.getByLabel('Teléfono', { exact: true });
  // Stored in E.164 (+34600111222), edited and read grouped.
  await expect(phone).toHaveValue('600 11 12 22');
  await phone.fill('611-222-333');
  await page.getByRole('button', { name: 'Guardar' }).click();

  await expect(page).toHaveURL(/\/patients\/[0-9a-f-]{36}$/);
  await expect(page.getByText('Cambios guardados.')).toBeVisible();
  await expect(page.getByRole('link', { name: '611 22 23 33' })).toHaveAttribute('href', 'tel:+34611222333');
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

  // The birth date is typed the clinic's way whatever the browser's language; a day that does
  // not exist is said in Spanish beside the field once it is left.
  const birth = page.getByLabel('Fecha de nacimiento');
  await expect(birth).toHaveAttribute('placeholder', 'dd/mm/aaaa');
  await birth.fill('31/02/1990');
  await birth.press('Tab');
  await expect(birth).toHaveAttribute('aria-invalid', 'true');
  await expect(page.getByText('Escribe una fecha que exista con el formato dd/mm/aaaa, por ejemplo 31/12/2026.')).toBeVisible();
  await birth.fill('28/02/1990');
  await birth.press('Tab');
  await expect(birth).not.toHaveAttribute('aria-invalid', 'true');
  await expect(birth).toHaveValue('28/02/1990');
  await expectAccessible(page, 'the new patient form with its errors');
});

test('a patient is deactivated and reactivated from their page', async ({ page }) => {
  const token = await login(page, DEMO.receptionist.email, DEMO.receptionist.name);
  const id = await registerPatient(page.request, token, 'Íñigo', 'Sáez Ortiz');
  await page.goto(`/patients/${id}`);
  const title = page.getByRole('heading', { level: 1 });
  await expect(title).toContainText('Íñigo Sáez Ortiz');
  await expect(title).toContainText('Activo');

  // "Pedir cita" first; "Desactivar" tucked into the "Más acciones" menu, used from the keyboard.
  const book = page.getByRole('link', { name: 'Pedir cita' });
  await expect(book).toHaveAttribute('href', `/calendar?patientId=${id}`);
  await expect(page.getByRole('button', { name: 'Desactivar' })).toHaveCount(0);
  const more = page.getByRole('button', { name: 'Más acciones' });
  await expect(more).toHaveAttribute('aria-haspopup', 'menu');
  await more.focus();
  await page.keyboard.press('ArrowDown');
  const menu = page.getByRole('menu', { name: 'Más acciones' });
  await expect(more).toHaveAttribute('aria-expanded', 'true');
  await expect(menu.getByRole('menuitem', { name: 'Desactivar…' })).toBeFocused();
  await expectAccessible(page, 'the patient page with its menu open');
  await page.keyboard.press('Escape');
  await expect(menu).toBeHidden();
  await expect(more).toBeFocused();
  await page.keyboard.press('Enter');
  await expect(menu.getByRole('menuitem', { name: 'Desactivar…' })).toBeFocused();
  await page.keyboard.press('Enter');
  const question = page.getByRole('group', { name: /¿Desactivar a Íñigo Sáez Ortiz\?/ });
  await expect(question).toBeFocused();
  await question.getByRole('button', { name: 'Desactivar' }).click();
  await expect(page.getByText(/Paciente desactivado/)).toBeVisible();
  await expect(title).toContainText('Inactivo');

  // Filtered by status, the list agrees.
  await page.goto('/patients?status=active');
  await search(page, 'inigo');
  await expect(page.getByText('Ningún paciente coincide con «inigo».')).toBeVisible();
  await page.getByLabel('Estado').selectOption('inactive');
  await expect(page.getByRole('link', { name: 'Íñigo Sáez Ortiz' }).first()).toBeVisible();

  await page.getByRole('link', { name: 'Ver Íñigo Sáez Ortiz' }).click();
  // An inactive patient cannot be booked: no "Pedir cita", and "Reactivar" in plain sight.
  await expect(page.getByRole('link', { name: 'Pedir cita' })).toHaveCount(0);
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

const SIZES = [
  [1440, 900],
  [1024, 768],
] as const;

test('the patient page leads with "Pedir cita"; phones read grouped (screenshots)', async ({ page }) => {
  const token = await login(page, DEMO.receptionist.email, DEMO.receptionist.name);
  const id = await registerPatient(page.request, token, 'Núria', 'Puig Vidal');
  for (const [width, height] of SIZES) {
    await page.setViewportSize({ width, height });
    await page.goto(`/patients/${id}`);
    await expect(page.getByRole('link', { name: '600 99 98 88' })).toHaveAttribute('href', 'tel:+34600999888');
    const book = await page.getByRole('link', { name: 'Pedir cita' }).boundingBox();
    const title = await page.getByRole('heading', { level: 1 }).boundingBox();
    // At the top, beside the name, not further down the page.
    expect(book!.y).toBeLessThan(title!.y + title!.height);
    await expectAccessible(page, `the patient page at ${width}x${height}`);
    await page.screenshot({ path: test.info().outputPath(`frontdesk-patient-${width}x${height}.png`) });
    await page.goto('/patients?q=nuria');
    await expect(page.getByRole('link', { name: 'Núria Puig Vidal' }).first()).toBeVisible();
    await page.screenshot({ path: test.info().outputPath(`frontdesk-patients-${width}x${height}.png`) });
  }
});

/** Whether the list at `selector` is drawn as cards: rows as blocks, the header row out of sight. */
async function expectCards(page: Page, selector: string) {
  const table = page.locator(selector);
  await expect(table.locator('tbody tr').first()).toBeVisible();
  const look = await table.evaluate((element) => ({
    row: getComputedStyle(element.querySelector('tbody tr')!).display,
    header: element.querySelector('thead')!.getBoundingClientRect().height,
  }));
  expect(look).toEqual({ row: 'block', header: 1 });
  const overflow = await page.evaluate(() => document.documentElement.scrollWidth - innerWidth);
  expect(overflow).toBeLessThanOrEqual(0);
}

test('on a phone the patients and users lists are cards, the patient page leads with "Pedir cita"', { tag: '@phone' }, async ({
  page,
}) => {
  await page.setViewportSize({ width: 390, height: 844 });
  const token = await login(page, DEMO.admin.email, DEMO.admin.name);
  const id = await registerPatient(page.request, token, 'Núria', 'Puig Vidal');
  await page.goto('/patients?q=nuria');
  const card = page.locator('table.card-table tbody tr').filter({ hasText: 'Núria Puig Vidal' });
  await expect(card).toContainText('600 99 98 88');
  await expect(card.locator('td[data-label="Teléfono"]')).toHaveText('600 99 98 88');
  await expectCards(page, 'table.card-table');
  await expectAccessible(page, 'the patients list as cards');
  await page.screenshot({ path: test.info().outputPath('frontdesk-patients-390x844.png'), fullPage: true });

  await page.goto('/users');
  await expect(page.getByRole('link', { name: DEMO.receptionist.name })).toBeVisible();
  await expectCards(page, 'table.card-table');
  await expectAccessible(page, 'the users list as cards');
  await page.screenshot({ path: test.info().outputPath('frontdesk-users-390x844.png'), fullPage: true });

  await page.goto(`/patients/${id}`);
  await expect(page.getByRole('link', { name: 'Pedir cita' })).toBeInViewport();
  await page.getByRole('button', { name: 'Más acciones' }).click();
  await expect(page.getByRole('menuitem', { name: 'Desactivar…' })).toBeInViewport();
  await expectAccessible(page, 'the patient page on a phone, menu open');
  await page.screenshot({ path: test.info().outputPath('frontdesk-patient-390x844.png') });
});

// Issue 14: the clinic writes dates dd/mm/yyyy, also when the browser speaks American English
// (whose own date inputs would read 03/04 as the 4th of March). Labels in either language: the
// login page follows the browser, the signed-in app the user's language.
test.describe('in an English-language browser (en-US)', () => {
  test.use({ locale: 'en-US' });

  const either = (es: string, en: string) => new RegExp(`^(${es}|${en})$`);

  test('a birth date typed dd/mm/yyyy is saved as that day and shown back dd/mm/yyyy', async ({ page }) => {
    expect(await page.evaluate(() => navigator.language)).toBe('en-US');
    await page.goto('/login');
    await page.getByLabel(either('Correo electrónico', 'Email')).fill(DEMO.receptionist.email);
    await page.getByLabel(either('Contraseña', 'Password')).fill(DEMO_PASSWORD);
    const signedIn = page.waitForResponse((r) => r.url().endsWith('/api/login'));
    await page.getByRole('button', { name: either('Entrar', 'Sign in') }).press('Enter');
    const token = ((await (await signedIn).json()) as { token: string }).token;
    await expect(page.getByTestId('signed-in-user')).toContainText(DEMO.receptionist.name);

    await page.goto('/patients/new');
    await page.getByLabel(either('Nombre', 'First name')).fill('Maite');
    await page.getByLabel(either('Apellidos', 'Last name\\(s\\)')).fill('Arrieta Lasa');
    // 3 April 1988: read the American way it would be 4 March.
    const birth = page.getByLabel(either('Fecha de nacimiento', 'Date of birth'));
    await birth.fill('03/04/1988');
    await birth.press('Tab');
    await expect(birth).not.toHaveAttribute('aria-invalid', 'true');
    const created = page.waitForResponse((r) => r.request().method() === 'POST' && r.url().endsWith('/api/patients'));
    await page.getByRole('button', { name: either('Guardar', 'Save') }).click();
    const response = await created;
    expect(response.status(), await response.text()).toBe(201);
    const patient = (await response.json()) as { id: string; birthDate: string };
    expect(patient.birthDate).toBe('1988-04-03');
    await expect(page).toHaveURL(new RegExp(`/patients/${patient.id}$`));

    // Stored as the 3rd of April, and the edit form shows it back dd/mm/yyyy.
    const stored = await page.request.get(`/api/patients/${patient.id}`, { headers: { Authorization: `Bearer ${token}` } });
    expect(((await stored.json()) as { birthDate: string }).birthDate).toBe('1988-04-03');
    await page.goto(`/patients/${patient.id}/edit`);
    await expect(page.getByLabel(either('Fecha de nacimiento', 'Date of birth'))).toHaveValue('03/04/1988');
  });
});
