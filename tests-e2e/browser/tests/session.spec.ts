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

// Two tabs of one browser share the refresh cookie, which rotates on every use and whose reuse
// revokes the whole session: session.ts serialises refreshes across tabs with a Web Lock, so
// each tab sends the newest cookie. Every refresh is held a moment at the network so that,
// without the lock, the second tab's request would be on the wire while the first is.
test('two tabs refreshing at the same moment take turns and both stay signed in', async ({
  page,
  context,
}) => {
  await login(page, DEMO.receptionist.email, DEMO.receptionist.name);
  const tab = await context.newPage();
  await tab.goto('/');
  await expect(tab.getByTestId('signed-in-user')).toContainText(DEMO.receptionist.name);

  type Seen = { started: number; answered: number; cookie: string; status: number };
  const seen = new Map<object, Seen>();
  await context.route('**/api/token/refresh', async (route) => {
    const headers = await route.request().allHeaders();
    seen.set(route.request(), { started: Date.now(), answered: 0, cookie: headers.cookie ?? '', status: 0 });
    await new Promise((resolve) => setTimeout(resolve, 600));
    await route.continue();
  });
  context.on('response', (response) => {
    const entry = seen.get(response.request());
    if (entry) Object.assign(entry, { answered: Date.now(), status: response.status() });
  });

  // Both tabs start again at once: each asks for a token with the refresh cookie.
  await Promise.all([page.reload(), tab.reload()]);
  for (const each of [page, tab]) {
    await expect(each.getByTestId('signed-in-user')).toContainText(DEMO.receptionist.name);
  }
  await expect.poll(() => [...seen.values()].filter((s) => s.answered > 0).length).toBe(2);
  const [first, second] = [...seen.values()].sort((a, b) => a.started - b.started);
  expect([first.status, second.status]).toEqual([200, 200]);
  // One refresh request at a time, the second with the cookie the first brought back.
  expect(second.started).toBeGreaterThanOrEqual(first.answered);
  expect(second.cookie).not.toEqual(first.cookie);

  await context.unroute('**/api/token/refresh');
  // Nobody reused a cookie, so the session lives on: both tabs still work after another reload.
  for (const each of [page, tab]) {
    await each.reload();
    await expect(each.getByTestId('signed-in-user')).toContainText(DEMO.receptionist.name);
  }
});

test('logging out in one tab signs the other tab out at once', async ({ page, context }) => {
  await login(page, DEMO.practitioner.email, DEMO.practitioner.name);
  const tab = await context.newPage();
  await tab.goto('/');
  await expect(tab.getByTestId('signed-in-user')).toContainText(DEMO.practitioner.name);

  await page.getByRole('button', { name: 'Cerrar sesión' }).click();
  await expect(page).toHaveURL(/\/login$/);
  // The other tab does nothing: the BroadcastChannel message alone brings it to the login page
  // (without it, that tab would keep showing the clinic until its next request failed).
  await expect(tab.getByRole('heading', { name: 'Iniciar sesión' })).toBeVisible({ timeout: 3_000 });
  await expect(tab).toHaveURL(/\/login/);
  await expect(tab.getByTestId('signed-in-user')).toHaveCount(0);
});
