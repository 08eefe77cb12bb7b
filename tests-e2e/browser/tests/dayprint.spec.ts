import { type APIRequestContext, expect, type Page, test } from '@playwright/test';
import { DEMO, login, resetDb, type Named, expectAccessible, futureMonday, getJson, madrid } from './helpers';

// Issue 14: a physiotherapist's day on paper, from the calendar.

test.beforeEach(async ({ request }) => {
  await resetDb(request);
});

/**
 * Signed in as the front desk, with two appointments of Laura's on `date` booked through the API
 * (the later one first): José at 10:00, Lucía at 09:00.
 */
async function lauraWithTwoAppointments(page: Page, request: APIRequestContext, date: string) {
  const token = await login(page, DEMO.receptionist.email, DEMO.receptionist.name);
  const practitioners = await getJson<{ member: Named[] }>(request, token, '/api/practitioners');
  const laura = practitioners.member.find((p) => p.fullName === DEMO.practitioner.name)!;
  const patient = async (search: string) =>
    (await getJson<{ member: Named[] }>(request, token, `/api/patients?search=${search}`)).member[0]!;
  const jose = await patient('garcia%20nunez');
  const lucia = await patient('lucia%20fernandez');
  for (const [who, time] of [[jose, '10:00'], [lucia, '09:00']] as const) {
    const response = await request.post('/api/appointments', {
      headers: { Authorization: `Bearer ${token}` },
      data: { practitionerId: laura.id, patientId: who.id, type: 'follow_up', startsAt: madrid(date, time) },
    });
    expect(response.status(), await response.text()).toBe(201);
  }
  return { laura, jose, lucia };
}

const rows = (page: Page) => page.getByTestId('day-list-row');

test('the day list prints one physiotherapist’s day in time order, nothing else', async ({ page, request }) => {
  const date = futureMonday();
  const { laura, jose, lucia } = await lauraWithTwoAppointments(page, request, date);

  // From the calendar's toolbar, with the keyboard: the link, then the physiotherapist.
  await page.goto(`/calendar?date=${date}&view=timeGridDay`);
  // Loaded first, as a user sees it: the toolbar's link is re-rendered with the day's data.
  await expect(page.getByTestId('calendar')).toHaveAttribute('aria-busy', 'false');
  const link = page.getByRole('link', { name: 'Imprimir lista del día' });
  await link.focus();
  await page.keyboard.press('Enter');
  await expect(page).toHaveURL(new RegExp(`/calendar/day-list\\?date=${date}`));
  await expect(page.getByText('Elige un fisioterapeuta para ver su lista del día.')).toBeVisible();
  await page.getByLabel('Fisioterapeuta').selectOption(laura.id);

  const heading = page.getByRole('heading', { level: 1 });
  await expect(heading).toContainText(`${laura.fullName} · `);
  await expect(heading).toContainText(new Date(`${date}T12:00:00Z`).getUTCFullYear().toString());
  await expect(rows(page)).toHaveCount(2);
  await expect(rows(page).nth(0)).toContainText('9:00');
  await expect(rows(page).nth(0)).toContainText(lucia.fullName);
  await expect(rows(page).nth(0)).toContainText('Sesión de fisioterapia');
  await expect(rows(page).nth(0)).toContainText('Programada');
  await expect(rows(page).nth(1)).toContainText('10:00');
  await expect(rows(page).nth(1)).toContainText(jose.fullName);
  await expect(page).toHaveURL(new RegExp(`practitionerId=${laura.id}`));
  await expectAccessible(page, 'the day list');

  // On paper: the heading and the table, no navigation, no buttons, no form.
  await page.emulateMedia({ media: 'print' });
  await expect(page.getByRole('navigation')).toBeHidden();
  await expect(page.getByRole('banner')).toBeHidden();
  const buttons = await page.getByRole('button', { includeHidden: true }).all();
  expect(buttons.length).toBeGreaterThan(0);
  for (const button of buttons) {
    await expect(button).toBeHidden();
  }
  await expect(page.getByRole('link', { name: 'Volver a la agenda' })).toBeHidden();
  await expect(page.getByLabel('Fisioterapeuta')).toBeHidden();
  await expect(heading).toBeVisible();
  await expect(page.getByRole('table')).toBeVisible();
  await expect(page.locator('table')).toHaveCount(1);
  const cell = rows(page).nth(0).getByRole('cell').first();
  expect(await cell.evaluate((td) => [getComputedStyle(td).color, getComputedStyle(td).backgroundColor])).toEqual([
    'rgb(0, 0, 0)',
    'rgb(255, 255, 255)',
  ]);
  expect(await rows(page).nth(0).evaluate((tr) => getComputedStyle(tr).breakInside)).toBe('avoid');
  await page.screenshot({ path: test.info().outputPath('dayprint-print.png'), fullPage: true });

  // Back on screen, "Imprimir" asks the browser to print.
  await page.emulateMedia({ media: 'screen' });
  await page.evaluate(() => {
    (window as unknown as { printed: number }).printed = 0;
    window.print = () => {
      (window as unknown as { printed: number }).printed += 1;
    };
  });
  await page.getByRole('button', { name: 'Imprimir' }).click();
  expect(await page.evaluate(() => (window as unknown as { printed: number }).printed)).toBe(1);
  await page.screenshot({ path: test.info().outputPath('dayprint-screen.png'), fullPage: true });
});

test('on a phone the day list fits the screen', { tag: '@phone' }, async ({ page, request }) => {
  await page.setViewportSize({ width: 390, height: 844 });
  const date = futureMonday();
  const { laura } = await lauraWithTwoAppointments(page, request, date);
  await page.goto(`/calendar/day-list?date=${date}&practitionerId=${laura.id}`);
  await expect(rows(page)).toHaveCount(2);
  await expect(page.getByRole('button', { name: 'Imprimir' })).toBeVisible();
  expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390);
  await expectAccessible(page, 'the day list');
  await page.screenshot({ path: test.info().outputPath('dayprint-phone.png'), fullPage: true });
});
