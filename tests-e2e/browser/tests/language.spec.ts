import { expect, test } from '@playwright/test';
import { DEMO, login, resetDb } from './helpers';

test.beforeEach(async ({ request }) => {
  await resetDb(request);
});

test('the language switch takes effect at once and survives a reload', async ({ page }) => {
  await login(page, DEMO.admin.email, DEMO.admin.name);
  await expect(page.locator('html')).toHaveAttribute('lang', 'es');
  await page.getByLabel('Idioma').selectOption('en');

  await expect(page.getByLabel('Language')).toHaveValue('en');
  await expect(page.locator('html')).toHaveAttribute('lang', 'en');
  await expect(page.getByRole('heading', { name: 'Dashboard', level: 1 })).toBeVisible();
  await expect(page.getByRole('button', { name: 'Log out' })).toBeVisible();

  await page.reload();
  await expect(page.locator('html')).toHaveAttribute('lang', 'en');
  await expect(page.getByText(`Signed in as ${DEMO.admin.name}`)).toBeVisible();
  // The gateway injected English into the page itself, because of the locale cookie.
  expect(await page.evaluate(() => window.APP_LOCALE)).toBe('en');
  const cookies = await page.context().cookies();
  expect(cookies.find((c) => c.name === 'locale')?.value).toBe('en');
});

test('the login page is translated before any API call, from the browser language', async ({
  browser,
}) => {
  const context = await browser.newContext({ locale: 'en-GB' });
  const page = await context.newPage();
  await page.goto('/login');
  await expect(page.locator('html')).toHaveAttribute('lang', 'en');
  await expect(page.getByRole('heading', { name: 'Sign in' })).toBeVisible();
  await expect(page.getByLabel('Language')).toHaveValue('en');
  await context.close();
});

declare global {
  interface Window {
    APP_LOCALE?: string;
  }
}
