import { type APIRequestContext, type APIResponse, expect, type Locator, type Page } from '@playwright/test';

export const DEMO_PASSWORD = 'demo1234';

/** The demo clinic's staff (scripts/stack.py seeds them in test mode). */
export const DEMO = {
  admin: { email: 'admin@demo.clinic', name: 'Ana García', admin: true },
  practitioner: { email: 'fisio@demo.clinic', name: 'Laura Martínez', admin: false },
  practitioner2: { email: 'fisio2@demo.clinic', name: 'Jordi Puig', admin: false },
  receptionist: { email: 'recepcion@demo.clinic', name: 'Carmen López', admin: false },
} as const;

/** Put the system back to the demo clinic (users, sessions, login throttling). */
export async function resetDb(request: APIRequestContext): Promise<void> {
  const response = await request.post('/api/test/reset-db');
  expect(response.status(), await response.text()).toBe(204);
}

/** Fill and send the login form (Spanish labels); returns what /api/login answered. */
export async function submitLogin(page: Page, email: string, password = DEMO_PASSWORD) {
  await page.getByLabel('Correo electrónico').fill(email);
  await page.getByLabel('Contraseña').fill(password);
  const answer = page.waitForResponse((r) => r.url().endsWith('/api/login'));
  await page.getByRole('button', { name: 'Entrar' }).click();
  return answer;
}

/** Sign in from /login and wait for the signed-in layout; returns the access token issued. */
export async function login(page: Page, email: string, name: string): Promise<string> {
  await page.goto('/login');
  const response = await submitLogin(page, email);
  expect(response.status()).toBe(200);
  await expect(page.getByTestId('signed-in-user')).toContainText(name);
  const body = (await response.json()) as { token: string };
  return body.token;
}

/** `2026-12-08` as the clinic writes it in a date box (dd/mm/yyyy, whatever the browser's language). */
export function clinicDate(iso: string): string {
  const [year, month, day] = iso.split('-');
  return `${day}/${month}/${year}`;
}

/** Types a start (`YYYY-MM-DDTHH:MM`) into a form's "Inicio" day and 24-hour time boxes. */
export async function fillStart(scope: Page | Locator, start: string): Promise<void> {
  const [date = '', time = ''] = start.split('T');
  await scope.getByLabel('Inicio', { exact: true }).fill(clinicDate(date));
  await scope.getByLabel('Inicio: hora').fill(time);
}

/** The start (`YYYY-MM-DDTHH:MM`) a form's "Inicio" boxes show: dd/mm/yyyy and hh:mm. */
export async function expectStart(scope: Page | Locator, start: string): Promise<void> {
  const [date = '', time = ''] = start.split('T');
  await expect(scope.getByLabel('Inicio', { exact: true })).toHaveValue(clinicDate(date));
  await expect(scope.getByLabel('Inicio: hora')).toHaveValue(time);
}

/**
 * Book an appointment through the API as `token`'s user. A patient registered a moment ago
 * reaches scheduling by an event: until it has, the booking is refused ("unknown patient",
 * 422) and is tried again, for up to 20 s.
 */
export async function bookOncePatientKnown(
  request: APIRequestContext,
  token: string,
  data: Record<string, unknown>,
): Promise<Record<string, unknown> & { id: string; version: number }> {
  let booked: APIResponse | undefined;
  await expect
    .poll(
      async () => {
        const headers = { Authorization: `Bearer ${token}` };
        booked = await request.post('/api/appointments', { headers, data });
        return booked.status();
      },
      { timeout: 20_000 },
    )
    .toBe(201);
  return (await booked!.json()) as Record<string, unknown> & { id: string; version: number };
}

