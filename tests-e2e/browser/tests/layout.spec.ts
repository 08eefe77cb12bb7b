import { expect, test } from '@playwright/test';
import { DEMO, login, resetDb } from './helpers';

test.beforeEach(async ({ request }) => {
  await resetDb(request);
});

test('the layout is reachable from the keyboard, with a visible focus', async ({ page }) => {
  await login(page, DEMO.admin.email, DEMO.admin.name);
  await page.reload();
  await expect(page.getByTestId('signed-in-user')).toBeVisible();
  await page.keyboard.press('Tab');
  const skip = page.getByRole('link', { name: 'Saltar al contenido' });
  await expect(skip).toBeFocused();
  await expect(skip).toBeVisible();
  const outline = await skip.evaluate((el) => getComputedStyle(el).outlineStyle);
  expect(outline).not.toBe('none');

  // Tab on until the language switcher, then the logout button: all reachable.
  const reached = new Set<string>();
  for (let i = 0; i < 14; i += 1) {
    await page.keyboard.press('Tab');
    reached.add(await page.evaluate(() => document.activeElement?.textContent?.trim() ?? ''));
  }
  expect([...reached].join('|')).toContain('Cerrar sesión');
});

test('on a phone the navigation opens from the menu button', { tag: '@phone' }, async ({
  page,
}) => {
  await login(page, DEMO.admin.email, DEMO.admin.name);
  const menu = page.getByRole('button', { name: 'Menú' });
  await expect(menu).toHaveAttribute('aria-expanded', 'false');
  await expect(page.getByRole('link', { name: 'Usuarios' })).toBeHidden();
  await menu.click();
  await expect(menu).toHaveAttribute('aria-expanded', 'true');
  await page.getByRole('link', { name: 'Usuarios' }).click();
  await expect(page.getByRole('heading', { name: 'Usuarios', level: 1 })).toBeVisible();
  const overflow = await page.evaluate(() => document.documentElement.scrollWidth - innerWidth);
  expect(overflow).toBeLessThanOrEqual(0);
});
