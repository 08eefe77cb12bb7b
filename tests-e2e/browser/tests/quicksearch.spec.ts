import { expect, type Page, test } from '@playwright/test';
import { DEMO, login, resetDb, expectAccessible } from './helpers';

// The header's patient quick search (issue 14, "Everywhere"): a combobox reached with "/" or
// Ctrl+K from any page, driven by the keyboard alone, falling back to the typo-tolerant search
// by itself ("Resultados aproximados"); checked with axe-core while open, at 1440×900 and 390×844.

test.beforeEach(async ({ request }) => {
  await resetDb(request);
});

/** Whether `url` is a patient search for `query` with typo tolerance on (or off). */
function isSearch(url: string, query: string, fuzzy: boolean): boolean {
  const { pathname, searchParams } = new URL(url);
  return (
    pathname === '/api/patients' &&
    searchParams.get('search') === query &&
    (searchParams.get('fuzzy') === 'true') === fuzzy
  );
}

const quickSearch = (page: Page) =>
  page.getByRole('combobox', { name: 'Búsqueda rápida de pacientes' });

test('from any page, "/" or Ctrl+K, the arrows and Enter open a patient without the mouse', async ({
  page,
}) => {
  await page.setViewportSize({ width: 1440, height: 900 });
  await login(page, DEMO.receptionist.email, DEMO.receptionist.name);
  const box = quickSearch(page);
  await expect(box).toBeVisible();
  await expect(box).toHaveAttribute('aria-expanded', 'false');

  // "/" outside a field focuses the box; the slash is not typed into it.
  await page.locator('body').click({ position: { x: 5, y: 400 } });
  await page.keyboard.press('/');
  await expect(box).toBeFocused();
  await expect(box).toHaveValue('');
  const exact = page.waitForResponse((r) => isSearch(r.url(), 'garcia nu', false));
  await page.keyboard.type('garcia nu');
  expect((await exact).status()).toBe(200);
  const list = page.getByRole('listbox', { name: 'Resultados de la búsqueda rápida' });
  await expect(list.getByRole('option', { name: /José García Núñez/ })).toBeVisible();
  await expect(box).toHaveAttribute('aria-expanded', 'true');
  await expect(page.getByText('Resultados aproximados', { exact: true })).toBeHidden();
  await page.screenshot({ path: test.info().outputPath('quicksearch-1440x900.png') });
  await expectAccessible(page, 'the open quick search');

  await page.keyboard.press('ArrowDown');
  const first = list.getByRole('option').first();
  await expect(first).toHaveAttribute('aria-selected', 'true');
  await expect(box).toHaveAttribute('aria-activedescendant', (await first.getAttribute('id'))!);
  await page.keyboard.press('Enter');
  await expect(page).toHaveURL(/\/patients\/[0-9a-f-]{36}$/);
  await expect(page.getByRole('heading', { level: 1 })).toContainText('José García Núñez');
  await expect(box).toHaveValue('');
  await expect(page.locator('#main')).toBeFocused();

  // Ctrl+K from the patient's page; a typo finds the patient through the automatic fallback.
  await page.keyboard.press('Control+k');
  await expect(box).toBeFocused();
  const retried = page.waitForResponse((r) => isSearch(r.url(), 'garsia', true));
  await page.keyboard.type('garsia');
  expect((await retried).status()).toBe(200);
  await expect(page.getByText('Resultados aproximados', { exact: true })).toBeVisible();
  await expect(list).toHaveAccessibleDescription('Resultados aproximados');
  await expect(list.getByRole('option', { name: /José García Núñez/ })).toBeVisible();
  await page.screenshot({ path: test.info().outputPath('quicksearch-approximate-1440x900.png') });
  await expectAccessible(page, 'the approximate results of the quick search');

  // Escape closes the list, a second one empties the box.
  await page.keyboard.press('Escape');
  await expect(box).toHaveAttribute('aria-expanded', 'false');
  await expect(list).toBeHidden();
  await expect(box).toHaveValue('garsia');
  await page.keyboard.press('Escape');
  await expect(box).toHaveValue('');

  // "/" typed into a field stays a slash.
  await page.getByRole('link', { name: 'Editar' }).first().click();
  const street = page.getByLabel('Calle y número');
  await street.fill('Calle 1');
  await street.press('/');
  await expect(street).toHaveValue('Calle 1/');
  await expect(street).toBeFocused();
});

test('on a phone the quick search is in the header, fits and opens the patient', { tag: '@phone' }, async ({
  page,
}) => {
  await page.setViewportSize({ width: 390, height: 844 });
  await login(page, DEMO.practitioner.email, DEMO.practitioner.name);
  // Outside the collapsed menu: no tap on "Menú" needed.
  const box = quickSearch(page);
  await expect(box).toBeVisible();
  await box.fill('nuria');
  const option = page
    .getByRole('listbox', { name: 'Resultados de la búsqueda rápida' })
    .getByRole('option', { name: /Núria Vidal Soler/ });
  await expect(option).toBeVisible();
  await page.screenshot({ path: test.info().outputPath('quicksearch-390x844.png') });
  await expectAccessible(page, 'the open quick search on a phone');
  const overflow = await page.evaluate(() => document.documentElement.scrollWidth - innerWidth);
  expect(overflow).toBeLessThanOrEqual(0);
  await option.click();
  await expect(page).toHaveURL(/\/patients\/[0-9a-f-]{36}$/);
  await expect(page.getByRole('heading', { level: 1 })).toContainText('Núria Vidal Soler');
});
