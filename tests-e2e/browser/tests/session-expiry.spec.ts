import { type APIRequestContext, expect, type Page, test } from '@playwright/test';
import { DEMO, DEMO_PASSWORD, login, resetDb, expectAccessible } from './helpers';

// Identity itself, one port above the gateway (scripts/stack.py): its test-only route ages the
// live sessions, as hours of use or of absence would, so a session's end comes in seconds.
const IDENTITY = `http://127.0.0.1:${Number(process.env.E2E_BROWSER_PORT ?? 18500) + 1}`;

test.beforeEach(async ({ request }) => {
  await resetDb(request);
});

/** Every live session ends `seconds` from now: idle (a refresh renews it) or at its maximum. */
async function sessionsEndIn(request: APIRequestContext, seconds: number, atMaximum: boolean) {
  const response = await request.post(`${IDENTITY}/api/test/sessions/ending`, {
    data: { endsInSeconds: seconds, atMaximum },
  });
  expect(response.status(), await response.text()).toBe(204);
}

/** The new-patient form, reloaded so the SPA learns the session's (aged) end from a refresh. */
async function openNewPatientForm(page: Page) {
  const learnt = page.waitForResponse((r) => r.url().endsWith('/api/token/refresh'));
  await page.goto('/patients/new');
  expect((await learnt).status()).toBe(200);
  await expect(page.getByRole('heading', { name: 'Nuevo paciente', level: 1 })).toBeVisible();
}

async function typePatient(page: Page) {
  await page.getByLabel('Nombre', { exact: true }).fill('Rosa');
  await page.getByLabel('Apellidos', { exact: true }).fill('Expósito Vidal');
  await page.getByLabel('Teléfono', { exact: true }).fill('600 555 444');
  await page.getByLabel('Localidad').fill('Castelló');
}

async function expectPatientTyped(page: Page) {
  await expect(page.getByLabel('Nombre', { exact: true })).toHaveValue('Rosa');
  await expect(page.getByLabel('Apellidos', { exact: true })).toHaveValue('Expósito Vidal');
  await expect(page.getByLabel('Teléfono', { exact: true })).toHaveValue('600 555 444');
  await expect(page.getByLabel('Localidad')).toHaveValue('Castelló');
}

async function signInAgain(page: Page, dialogName: string) {
  const dialog = page.getByRole('dialog', { name: dialogName });
  await dialog.getByLabel('Contraseña').fill(DEMO_PASSWORD);
  const answer = page.waitForResponse((r) => r.url().endsWith('/api/login'));
  await dialog.getByRole('button', { name: 'Continuar' }).click();
  expect((await answer).status()).toBe(200);
  await expect(dialog).toBeHidden();
}

test('the session ends mid-form: a sign-in dialog over the form, then the typed patient is saved', async ({
  page,
  request,
}) => {
  await login(page, DEMO.receptionist.email, DEMO.receptionist.name);
  // Ten hours of work: the session reaches the admin's maximum a few seconds from now.
  await sessionsEndIn(request, 8, true);
  await openNewPatientForm(page);
  await typePatient(page);

  const dialog = page.getByRole('dialog', { name: 'Tu sesión ha terminado' });
  await expect(dialog).toBeVisible({ timeout: 15_000 });
  await expect(dialog).toContainText('Lo que estabas escribiendo sigue aquí');
  await expect(dialog).toContainText(`Cuenta: ${DEMO.receptionist.name} (${DEMO.receptionist.email})`);
  await expect(dialog.getByLabel('Contraseña')).toBeFocused();
  // The form is still there behind it, and the address did not change.
  await expect(page).toHaveURL(/\/patients\/new$/);
  await expectPatientTyped(page);
  // The session really is over on the server: the refresh cookie no longer opens it.
  expect((await page.request.post('/api/token/refresh')).status()).toBe(401);
  await expectAccessible(page, 'the sign-in dialog over the form');
  await page.screenshot({ path: test.info().outputPath('session-relogin-dialog.png') });
  // Escape does not dismiss it: nothing can be done without signing in.
  await page.keyboard.press('Escape');
  await expect(dialog).toBeVisible();

  // A wrong password says so, in the dialog.
  await dialog.getByLabel('Contraseña').fill('not-the-password');
  await dialog.getByRole('button', { name: 'Continuar' }).click();
  await expect(dialog.getByRole('alert')).toHaveText('La contraseña no es correcta.');

  await signInAgain(page, 'Tu sesión ha terminado');
  await expectPatientTyped(page);
  await page.getByRole('button', { name: 'Guardar' }).click();
  await expect(page).toHaveURL(/\/patients\/[0-9a-f-]{36}$/);
  await expect(page.getByText('Paciente registrado.')).toBeVisible();
  await expect(page.getByRole('heading', { level: 1 })).toContainText('Rosa Expósito Vidal');
});

test('a save refused because the session ended goes out again after signing in over the form', async ({
  page,
  request,
}) => {
  await login(page, DEMO.receptionist.email, DEMO.receptionist.name);
  await openNewPatientForm(page);
  await typePatient(page);
  // The session has ended on the server (idle for hours, a laptop asleep) and the access token
  // the page holds has lapsed too: the first save is refused with 401, as the API would.
  await sessionsEndIn(request, 0, false);
  let refused = false;
  await page.route('**/api/patients', async (route) => {
    if (route.request().method() !== 'POST' || refused) return route.continue();
    refused = true;
    return route.fulfill({
      status: 401,
      contentType: 'application/problem+json',
      body: JSON.stringify({ type: 'about:blank', title: 'Unauthorized', status: 401, detail: 'expired' }),
    });
  });
  const posts: string[] = [];
  page.on('request', (r) => {
    if (r.method() === 'POST' && r.url().endsWith('/api/patients')) posts.push(r.postData() ?? '');
  });

  await page.getByRole('button', { name: 'Guardar' }).click();
  const dialog = page.getByRole('dialog', { name: 'Tu sesión ha terminado' });
  await expect(dialog).toBeVisible();
  await expectPatientTyped(page);

  await signInAgain(page, 'Tu sesión ha terminado');
  // Nobody clicked "Guardar" again: the refused request went out by itself, with the typing.
  await expect(page).toHaveURL(/\/patients\/[0-9a-f-]{36}$/);
  await expect(page.getByRole('heading', { level: 1 })).toContainText('Rosa Expósito Vidal');
  expect(posts).toHaveLength(2);
  expect(JSON.parse(posts[1]!)).toMatchObject({ firstName: 'Rosa', lastName: 'Expósito Vidal' });
});

test('after nearly two hours without activity a notice offers "Seguir conectado", which renews the session', async ({
  page,
}) => {
  await login(page, DEMO.receptionist.email, DEMO.receptionist.name);
  // The browser's clock runs ahead (the server's does not): nobody touches the page for 1 h 57 min
  // 30 s; the SPA's timers fire as they would, so the token is not refreshed (no activity) and
  // the session's idle end (2 h after the last refresh) is three minutes away.
  await page.clock.install();
  await openNewPatientForm(page);
  const notice = page.getByRole('region', { name: 'Tu sesión va a terminar' });
  await expect(notice).toHaveCount(0);
  await page.clock.fastForward('01:57:30');
  await expect(notice).toBeVisible();
  await expect(notice.getByRole('status')).toContainText(/Sin actividad, la sesión se cerrará a las \d{1,2}:\d\d\./);
  // Non-modal: it took no focus and the form behind is still usable.
  await expect(notice.getByRole('button', { name: 'Seguir conectado' })).not.toBeFocused();
  await expect(page.getByLabel('Nombre', { exact: true })).toBeEditable();
  await expect(page.getByRole('dialog')).toHaveCount(0);
  await expectAccessible(page, 'the notice before the session ends');
  await page.screenshot({ path: test.info().outputPath('session-ending-notice.png') });

  const renewed = page.waitForResponse((r) => r.url().endsWith('/api/token/refresh'));
  await notice.getByRole('button', { name: 'Seguir conectado' }).click();
  const body = (await (await renewed).json()) as { sessionExpiresIn: number; sessionRenewable: boolean };
  expect(body.sessionExpiresIn).toBeGreaterThan(7000); // two more hours from now
  expect(body.sessionRenewable).toBe(true);
  await expect(notice).toBeHidden();
  await page.getByLabel('Nombre', { exact: true }).fill('Rosa');
  await expect(page.getByLabel('Nombre', { exact: true })).toBeFocused();
});

test('near the maximum, "Seguir conectado" asks for the password and starts a new session, the form kept', async ({
  page,
  request,
}) => {
  await login(page, DEMO.receptionist.email, DEMO.receptionist.name);
  await sessionsEndIn(request, 150, true);
  await openNewPatientForm(page);
  await typePatient(page);
  const notice = page.getByRole('region', { name: 'Tu sesión va a terminar' });
  await expect(notice).toContainText(/duración máxima a las \d{1,2}:\d\d\./);
  await notice.getByRole('button', { name: 'Seguir conectado' }).click();
  const dialog = page.getByRole('dialog', { name: 'Vuelve a identificarte' });
  await expect(dialog).toBeVisible();
  await expectAccessible(page, 'the early sign-in dialog');
  await signInAgain(page, 'Vuelve a identificarte');
  await expect(notice).toBeHidden();
  await expectPatientTyped(page);
  // A new session: the next refresh can renew it again.
  const fresh = await page.request.post('/api/token/refresh');
  expect(((await fresh.json()) as { sessionRenewable: boolean }).sessionRenewable).toBe(true);
});

test('an admin sets the session maximum on its page; the form checks it in Spanish', async ({ page }) => {
  await login(page, DEMO.admin.email, DEMO.admin.name);
  await page.getByRole('navigation').getByRole('link', { name: 'Sesiones' }).click();
  await expect(page.getByRole('heading', { name: 'Duración de las sesiones', level: 1 })).toBeVisible();
  await expect(page.getByText(/se cierra tras 120 minutos sin actividad/)).toBeVisible();
  const hours = page.getByLabel('Duración máxima (horas)');
  await expect(hours).toHaveValue('10');

  await hours.fill('30');
  await page.getByRole('button', { name: 'Guardar' }).click();
  await expect(hours).toHaveAccessibleDescription(/Escribe un número entero de horas entre 1 y 24\./);
  await expect(hours).toBeFocused();
  await expectAccessible(page, 'the session settings with an error');

  await hours.fill('8');
  const saved = page.waitForResponse((r) => r.url().endsWith('/api/session-settings') && r.request().method() === 'PUT');
  await page.getByRole('button', { name: 'Guardar' }).click();
  expect((await saved).status()).toBe(200);
  await expect(page.getByRole('status').filter({ hasText: 'Guardado' })).toHaveText(
    'Guardado: las sesiones durarán como máximo 8 h.',
  );
  await page.reload();
  await expect(page.getByLabel('Duración máxima (horas)')).toHaveValue('8');
});

test('two tabs: both lock at the end, and signing in again in one brings the other back, its form intact', async ({
  page,
  context,
  request,
}) => {
  await login(page, DEMO.receptionist.email, DEMO.receptionist.name);
  const other = await context.newPage();
  await openNewPatientForm(other);
  await typePatient(other);
  await sessionsEndIn(request, 8, true);
  // This tab learns the new end from a refresh and tells the other one (BroadcastChannel).
  await openNewPatientForm(page);
  for (const tab of [page, other]) {
    await expect(tab.getByRole('dialog', { name: 'Tu sesión ha terminado' })).toBeVisible({ timeout: 15_000 });
  }
  await signInAgain(page, 'Tu sesión ha terminado');
  // The other tab took a token from the renewed cookie by itself: no dialog, nothing lost.
  await expect(other.getByRole('dialog')).toHaveCount(0, { timeout: 5_000 });
  await expectPatientTyped(other);
  await other.getByRole('button', { name: 'Guardar' }).click();
  await expect(other).toHaveURL(/\/patients\/[0-9a-f-]{36}$/);
  await expect(other.getByText('Paciente registrado.')).toBeVisible();
});

test('the sign-in dialog over a form fits a phone @phone', async ({ page, request }) => {
  await login(page, DEMO.receptionist.email, DEMO.receptionist.name);
  await sessionsEndIn(request, 6, true);
  await openNewPatientForm(page);
  await typePatient(page);
  const dialog = page.getByRole('dialog', { name: 'Tu sesión ha terminado' });
  await expect(dialog).toBeVisible({ timeout: 15_000 });
  const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
  expect(overflow).toBeLessThanOrEqual(0);
  await expectAccessible(page, 'the sign-in dialog on a phone');
  await page.screenshot({ path: test.info().outputPath('session-relogin-dialog-phone.png') });
  await signInAgain(page, 'Tu sesión ha terminado');
  await expectPatientTyped(page);
});
