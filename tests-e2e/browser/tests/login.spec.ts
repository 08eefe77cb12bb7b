import { expect, test } from '@playwright/test';
import { DEMO, login, resetDb, submitLogin } from './helpers';

test.beforeEach(async ({ request }) => {
  await resetDb(request);
});

for (const [role, account] of Object.entries(DEMO)) {
  test(`the ${role} logs in and sees the dashboard and their own navigation`, async ({ page }) => {
    await login(page, account.email, account.name);
    await expect(page).toHaveURL('/');
    await expect(page.getByRole('heading', { name: 'Panel', level: 1 })).toBeVisible();
    await expect(page.getByText(`Sesión iniciada como ${account.name}`)).toBeVisible();
    const usersLink = page.getByRole('navigation').getByRole('link', { name: 'Usuarios' });
    if (account.admin) await expect(usersLink).toHaveAttribute('href', '/users');
    else await expect(usersLink).toHaveCount(0);
    // Every context runs in the test stack, so every counter the role may see is a number.
    const practitioner = role.startsWith('practitioner');
    // What the day needs (issue 14), not all-time totals; no warning when every context answers.
    for (const counter of ['appointmentsToday', 'appointmentsThisWeek', 'noShows30d']) {
      await expect(page.getByTestId(counter)).toHaveText(/^\d[\d.]*$/);
    }
    await expect(page.getByTestId('totalPatients')).toHaveCount(0);
    await expect(page.getByText(/Algunos datos no están disponibles/)).toHaveCount(0);
    // Practitioners see clinical work, not invoices (the seed's v1.2 roles).
    const invoicesLink = page.getByRole('navigation').getByRole('link', { name: 'Facturas' });
    if (practitioner) {
      await expect(page.getByTestId('issuedThisMonth')).toHaveCount(0);
      await expect(invoicesLink).toHaveCount(0);
    } else {
      await expect(page.getByTestId('issuedThisMonth')).toHaveText(/^\d[\d.]*$/);
      await expect(invoicesLink).toHaveAttribute('href', '/invoices');
    }
  });
}

test('a wrong password shows an alert and keeps the user on /login', async ({ page }) => {
  await page.goto('/login');
  const response = await submitLogin(page, DEMO.admin.email, 'not-the-password');
  expect(response.status()).toBe(401);
  await expect(page.getByRole('alert')).toHaveText('Correo o contraseña incorrectos.');
  await expect(page).toHaveURL(/\/login$/);
  await expect(page.getByLabel('Correo electrónico')).toHaveValue(DEMO.admin.email);
});

test('a deep link survives the detour through /login', async ({ page }) => {
  await page.goto('/users');
  await expect(page).toHaveURL(/\/login\?redirect=%2Fusers$/);
  await submitLogin(page, DEMO.admin.email);
  await expect(page).toHaveURL('/users');
  await expect(page.getByRole('link', { name: DEMO.practitioner.name })).toBeVisible();
});
