import { expect, test } from '@playwright/test';
import { DEMO, login, resetDb, expectAccessible } from './helpers';

// Issue 14, the front desk: the forms check in the app's language (no browser bubbles) and the
// lists issue 14 turned into cards on a phone, at the desktop sizes (screenshots in the test-results output dir).

test.beforeEach(async ({ request }) => {
  await resetDb(request);
});

const SIZES = [
  [1440, 900],
  [1024, 768],
] as const;

test('the login form says what is missing in Spanish, beside the field, never in a browser bubble', async ({ page }) => {
  await page.goto('/login');
  const email = page.getByLabel('Correo electrónico');
  await page.getByRole('button', { name: 'Entrar' }).click();
  await expect(page.getByRole('alert')).toHaveText('Revisa los campos marcados.');
  await expect(email).toBeFocused();
  await expect(email).toHaveAccessibleDescription('Escribe tu correo electrónico.');
  // The browser's own check is off (its bubble would say "Please fill out this field.").
  expect(await email.evaluate((input: HTMLInputElement) => input.form!.noValidate)).toBe(true);
  await email.fill('ana@clinica');
  await page.getByRole('button', { name: 'Entrar' }).click();
  await expect(email).toHaveAccessibleDescription('Escribe un correo electrónico válido, como nombre@clinica.es.');
  await expectAccessible(page, 'the login form with its errors');
  await page.screenshot({ path: test.info().outputPath('frontdesk-login-errors-1440x900.png') });
});

test('the users list and form at desktop sizes: a table, and the form checks in Spanish', async ({ page }) => {
  await login(page, DEMO.admin.email, DEMO.admin.name);
  for (const [width, height] of SIZES) {
    await page.setViewportSize({ width, height });
    await page.goto('/users');
    await expect(page.getByRole('columnheader', { name: 'Correo electrónico' })).toBeVisible();
    await expect(page.locator('table.card-table tbody tr').first()).toHaveCSS('display', 'table-row');
    await expectAccessible(page, `the users list at ${width}x${height}`);
    await page.screenshot({ path: test.info().outputPath(`frontdesk-users-${width}x${height}.png`) });
  }
  await page.goto('/users/new');
  await page.getByLabel('Correo electrónico').fill('marta@');
  await page.getByRole('button', { name: 'Guardar' }).click();
  await expect(page.getByLabel('Nombre completo')).toBeFocused();
  await expect(page.getByLabel('Correo electrónico')).toHaveAccessibleDescription('Introduce un correo electrónico válido.');
  await expect(page.getByText('Elige al menos un rol.')).toBeVisible();
  await expectAccessible(page, 'the user form with its errors');
  await page.screenshot({ path: test.info().outputPath('frontdesk-user-form-errors-1024x768.png') });
});
