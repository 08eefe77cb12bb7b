import { expect, test } from '@playwright/test';
import { DEMO, login, resetDb } from './helpers';

test.beforeEach(async ({ request }) => {
  await resetDb(request);
});

test('a reload keeps the session, and no token is kept in web storage', async ({ page }) => {
  const token = await login(page, DEMO.practitioner.email, DEMO.practitioner.name);
  await page.reload();
  await expect(page.getByTestId('signed-in-user')).toContainText(DEMO.practitioner.name);
  await expect(page).toHaveURL('/');

  const stored = await page.evaluate(() => JSON.stringify({ ...localStorage, ...sessionStorage }));
  expect(stored).not.toContain(token);
  expect(stored).not.toMatch(/eyJ[\w-]+\.[\w-]+\./); // no JWT of any kind
  const cookies = await page.context().cookies();
  expect(cookies.map((c) => c.value).join(' ')).not.toContain(token);
  const refresh = cookies.find((c) => c.name === 'clinic_refresh');
  expect(refresh?.httpOnly).toBe(true);
});

test('a new tab gets its own session from the refresh cookie', async ({ page, context }) => {
  await login(page, DEMO.receptionist.email, DEMO.receptionist.name);
  const tab = await context.newPage();
  await tab.goto('/');
  await expect(tab.getByTestId('signed-in-user')).toContainText(DEMO.receptionist.name);
  await page.reload(); // the first tab still works after the cookie rotated
  await expect(page.getByTestId('signed-in-user')).toContainText(DEMO.receptionist.name);
});

test('logout ends the session on the server', async ({ page, request }) => {
  const token = await login(page, DEMO.admin.email, DEMO.admin.name);
  await page.getByRole('button', { name: 'Cerrar sesión' }).click();
  await expect(page).toHaveURL(/\/login$/);
  await expect(page.getByRole('heading', { name: 'Iniciar sesión' })).toBeVisible();

  const me = await request.get('/api/me', { headers: { Authorization: `Bearer ${token}` } });
  expect(me.status()).toBe(401);
  await page.reload(); // the refresh cookie no longer opens a session
  await expect(page.getByRole('heading', { name: 'Iniciar sesión' })).toBeVisible();
});
