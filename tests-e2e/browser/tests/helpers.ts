import AxeBuilder from '@axe-core/playwright';
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


/** The header that sends `token` to the API. */
export const auth = (token: string) => ({ Authorization: `Bearer ${token}` });

/** An access token of a demo user, through the API (the page signs in on its own). */
export async function apiToken(request: APIRequestContext, email: string): Promise<string> {
  const response = await request.post('/api/login', { data: { email, password: DEMO_PASSWORD } });
  expect(response.status(), await response.text()).toBe(200);
  return ((await response.json()) as { token: string }).token;
}

/** A GET that must answer 200, as JSON. */
export async function getJson<T>(request: APIRequestContext, token: string, url: string): Promise<T> {
  const response = await request.get(url, { headers: auth(token) });
  expect(response.status(), await response.text()).toBe(200);
  return (await response.json()) as T;
}

/** A practitioner or patient as the lists name them. */
export interface Named {
  id: string;
  fullName: string;
}

/** No WCAG 2.1 A/AA violation (and no best-practice one) on what the page shows now, or `within` a part of it. */
export async function expectAccessible(page: Page, what: string, within?: string): Promise<void> {
  const builder = new AxeBuilder({ page }).withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'best-practice']);
  const { violations } = await (within ? builder.include(within) : builder).analyze();
  const found = violations.map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`);
  expect(found, `axe-core on ${what}`).toEqual([]);
}

/** Nothing wider than the window: the page never scrolls sideways. */
export async function expectNoSideways(page: Page): Promise<void> {
  const overflow = await page.evaluate(() => document.documentElement.scrollWidth - innerWidth);
  expect(overflow).toBeLessThanOrEqual(0);
}

/** `date` at `time` in Madrid as ISO-8601 with the offset of that day (winter +01, summer +02). */
export function madrid(date: string, time: string): string {
  for (const offset of ['+01:00', '+02:00']) {
    const iso = `${date}T${time}:00${offset}`;
    const wall = new Date(iso).toLocaleTimeString('en-GB', { timeZone: 'Europe/Madrid', hour: '2-digit', minute: '2-digit' });
    if (wall === time) return iso;
  }
  throw new Error(`no Madrid offset for ${date} ${time}`);
}

/** The Monday after next, `YYYY-MM-DD` (local): a week nobody else's test books. */
export function futureMonday(): string {
  const day = new Date();
  day.setDate(day.getDate() + ((8 - day.getDay()) % 7 || 7) + 7);
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${day.getFullYear()}-${pad(day.getMonth() + 1)}-${pad(day.getDate())}`;
}

/** The last weekday before today in Madrid, `YYYY-MM-DD`: nobody works at weekends. */
export function lastWorkingDay(): string {
  for (let back = 1; ; back++) {
    const date = new Date(Date.now() - back * 86_400_000).toLocaleDateString('sv-SE', { timeZone: 'Europe/Madrid' });
    const weekday = new Date(`${date}T12:00:00Z`).getUTCDay();
    if (weekday !== 0 && weekday !== 6) return date;
  }
}

/** Register a patient through the API (every optional field sent as null); their id. */
export async function registerPatient(
  request: APIRequestContext,
  token: string,
  firstName: string,
  lastName: string,
): Promise<string> {
  const response = await request.post('/api/patients', {
    headers: auth(token),
    data: {
      firstName,
      lastName,
      taxId: null,
      birthDate: '1975-11-20',
      sex: null,
      email: null,
      phone: '600 999 888',
      address: null,
      occupation: null,
      referralSource: null,
      emergencyContact: null,
      notes: null,
      preferredLocale: 'es',
      dataConsentAt: null,
    },
  });
  expect(response.status(), await response.text()).toBe(201);
  return ((await response.json()) as { id: string }).id;
}

/**
 * Laura's visit of `patientId` on the last working day at 10:00 in Madrid, booked and marked
 * completed through the API as `token`'s user. The services that act on it (billing, records)
 * hear of it by an event a moment later: the caller waits for its own.
 */
export async function completedVisit(request: APIRequestContext, token: string, patientId: string) {
  const practitioners = await getJson<{ member: Named[] }>(request, token, '/api/practitioners');
  const laura = practitioners.member.find((p) => p.fullName === DEMO.practitioner.name)!;
  const date = lastWorkingDay();
  const appointment = await bookOncePatientKnown(request, token, {
    practitionerId: laura.id,
    patientId,
    type: 'follow_up',
    startsAt: madrid(date, '10:00'),
  });
  const { practitionerId, type, startsAt, endsAt, title, notes } = appointment;
  const done = await request.put(`/api/appointments/${appointment.id}`, {
    headers: { ...auth(token), 'If-Match': `"${appointment.version}"` },
    data: { practitionerId, patientId, type, status: 'completed', startsAt, endsAt, title, notes },
  });
  expect(done.status(), await done.text()).toBe(200);
  return { id: appointment.id, date, practitionerId: laura.id };
}
