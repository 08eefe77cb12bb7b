import { expect, test } from '@playwright/test';
import { DEMO, login, resetDb, submitLogin } from './helpers';

test.beforeEach(async ({ request }) => {
  await resetDb(request);
});

test('an admin creates a user who can then log in', async ({ page }) => {
  await login(page, DEMO.admin.email, DEMO.admin.name);
  await page.getByRole('navigation').getByRole('link', { name: 'Usuarios' }).click();
  await expect(page.getByRole('heading', { name: 'Usuarios', level: 1 })).toBeVisible();
  await page.getByRole('link', { name: 'Nuevo usuario' }).click();

  await page.getByLabel('Nombre completo').fill('Marta Soler');
  await page.getByLabel('Correo electrónico').fill('marta@demo.clinic');
  await page.getByRole('checkbox', { name: 'Recepción' }).check();
  await page.locator('select[name="locale"]').selectOption('en');
  await page.getByLabel('Contraseña inicial').fill('marta-pass-1');
  await page.getByRole('button', { name: 'Guardar' }).click();

  await expect(page).toHaveURL('/users');
  await expect(page.getByRole('status')).toHaveText('Usuario creado.');
  await expect(page.getByRole('link', { name: 'Marta Soler' })).toBeVisible();

  await page.getByRole('button', { name: 'Cerrar sesión' }).click();
  await expect(page).toHaveURL(/\/login$/);
  await submitLogin(page, 'marta@demo.clinic', 'marta-pass-1');
  // Her account's language is English, and this browser has made no choice of its own.
  await expect(page.getByText('Signed in as Marta Soler')).toBeVisible();
  await expect(page.getByRole('navigation').getByRole('link', { name: 'Users' })).toHaveCount(0);
});

test('a duplicate email is shown beside the field, and nothing typed is lost', async ({ page }) => {
  await login(page, DEMO.admin.email, DEMO.admin.name);
  await page.goto('/users/new');
  await page.getByLabel('Nombre completo').fill('Otra Laura');
  await page.getByLabel('Correo electrónico').fill(DEMO.practitioner.email);
  await page.getByRole('checkbox', { name: 'Fisioterapeuta' }).check();
  await page.getByLabel('Contraseña inicial').fill('otra-pass-1');
  await page.getByRole('button', { name: 'Guardar' }).click();

  const email = page.getByLabel('Correo electrónico');
  await expect(email).toHaveAttribute('aria-invalid', 'true');
  await expect(page.getByText('Otro usuario ya usa este correo electrónico.')).toBeVisible();
  await expect(page.getByLabel('Nombre completo')).toHaveValue('Otra Laura');
  await expect(page.getByLabel('Contraseña inicial')).toHaveValue('otra-pass-1');
});

test('a stale edit is refused and the admin can reload', async ({ page, browser }) => {
  await login(page, DEMO.admin.email, DEMO.admin.name);
  await page.goto('/users');
  await page.getByRole('link', { name: DEMO.practitioner2.name }).click();
  await expect(page.getByLabel('Nombre completo')).toHaveValue(DEMO.practitioner2.name);

  // Another admin, in another browser, saves a change to the same user first.
  const other = await browser.newContext({ locale: 'es-ES' });
  const otherPage = await other.newPage();
  await login(otherPage, DEMO.admin.email, DEMO.admin.name);
  await otherPage.goto(page.url());
  await otherPage.getByLabel('Nombre completo').fill('Jordi Puig i Serra');
  await otherPage.getByRole('button', { name: 'Guardar' }).click();
  await expect(otherPage).toHaveURL('/users');
  await other.close();

  await page.getByLabel('Nombre completo').fill('Jordi P.');
  await page.getByRole('button', { name: 'Guardar' }).click();
  await expect(page.getByText(/Otra persona ha modificado este registro/)).toBeVisible();
  await expect(page.getByLabel('Nombre completo')).toHaveValue('Jordi P.');
  await page.getByRole('button', { name: 'Recargar' }).click();
  await expect(page.getByLabel('Nombre completo')).toHaveValue('Jordi Puig i Serra');
});

test('a receptionist sees no Users link and the API refuses her /api/users', async ({
  page,
  request,
}) => {
  const token = await login(page, DEMO.receptionist.email, DEMO.receptionist.name);
  await expect(page.getByRole('navigation').getByRole('link', { name: 'Usuarios' })).toHaveCount(0);
  const users = await request.get('/api/users', { headers: { Authorization: `Bearer ${token}` } });
  expect(users.status()).toBe(403);
  expect(users.headers()['content-type']).toContain('application/problem+json');

  await page.goto('/users');
  await expect(page.getByRole('heading', { name: 'Acceso no permitido' })).toBeVisible();
});
