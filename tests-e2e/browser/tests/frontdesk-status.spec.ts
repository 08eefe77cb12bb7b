import { type APIRequestContext, expect, test, type TestInfo } from '@playwright/test';
import { DEMO, login, resetDb, type Named, expectAccessible, getJson } from './helpers';

// Issue 14: cancelling asks why and keeps it (late ones count on the patient); a physiotherapist
// runs the day from a phone: today's list first, arrived / completed / no-show on each row.

test.beforeEach(async ({ request }) => {
  await resetDb(request);
});

interface Attendance {
  noShows: number;
  lateCancellations: number;
}

async function people(request: APIRequestContext, token: string) {
  const practitioners = await getJson<{ member: Named[] }>(request, token, '/api/practitioners');
  const laura = practitioners.member.find((p) => p.fullName === DEMO.practitioner.name);
  const jose = (await getJson<{ member: Named[] }>(request, token, '/api/patients?search=garcia%20nunez')).member[0];
  const lucia = (await getJson<{ member: Named[] }>(request, token, '/api/patients?search=lucia%20fernandez')).member[0];
  expect(laura && jose && lucia).toBeTruthy();
  return { laura: laura!, jose: jose!, lucia: lucia! };
}

/** Book through the API at an instant; the time may fall outside the working hours on purpose. */
async function bookAt(
  request: APIRequestContext,
  token: string,
  practitionerId: string,
  patientId: string,
  start: Date,
  end?: Date,
): Promise<{ id: string }> {
  const response = await request.post('/api/appointments', {
    headers: { Authorization: `Bearer ${token}` },
    data: {
      practitionerId,
      patientId,
      type: 'follow_up',
      startsAt: start.toISOString(),
      endsAt: end?.toISOString(),
      allowOutsideHours: true,
    },
  });
  expect(response.status(), await response.text()).toBe(201);
  return (await response.json()) as { id: string };
}

/** 10:00 Madrid on the Monday after next: a future appointment, inside the working hours. */
function nextWeekMondayAtTen(): Date {
  const day = new Date();
  day.setDate(day.getDate() + ((8 - day.getDay()) % 7 || 7) + 7);
  const date = day.toLocaleDateString('sv-SE', { timeZone: 'Europe/Madrid' });
  for (const offset of ['+01:00', '+02:00']) {
    const candidate = new Date(`${date}T10:00:00${offset}`);
    const wall = candidate.toLocaleTimeString('en-GB', { timeZone: 'Europe/Madrid', hour: '2-digit', minute: '2-digit' });
    if (wall === '10:00') return candidate;
  }
  throw new Error(`no Madrid offset for ${date}`);
}

const FIVE_MINUTES = 5 * 60_000;
const madridDate = (at: Date) => at.toLocaleDateString('sv-SE', { timeZone: 'Europe/Madrid' });

/**
 * Today's pair in Madrid: a five-minute visit that began a minute or more ago, and one due five
 * minutes after it ends (still ahead while the test runs). In the minutes around midnight no
 * such pair is on one day: the test then waits for the new day (at most ~11 minutes).
 */
async function beganAndDueToday(testInfo: TestInfo): Promise<{ begun: Date; begunEnds: Date; due: Date }> {
  for (;;) {
    const begun = new Date(Math.floor((Date.now() - 60_000) / FIVE_MINUTES) * FIVE_MINUTES);
    const due = new Date(begun.getTime() + 2 * FIVE_MINUTES);
    if (madridDate(begun) === madridDate(due)) {
      return { begun, begunEnds: new Date(begun.getTime() + FIVE_MINUTES), due };
    }
    testInfo.setTimeout(testInfo.timeout + 60_000);
    await new Promise((resolve) => setTimeout(resolve, 60_000));
  }
}

function lateText(count: number): string {
  return count === 1 ? '1 cancelación tardía' : `${count} cancelaciones tardías`;
}

test('cancelling asks why, keeps the reason, and a late one counts on the patient page', async ({ page, request }) => {
  const token = await login(page, DEMO.receptionist.email, DEMO.receptionist.name);
  const { laura, jose } = await people(request, token);
  const start = nextWeekMondayAtTen();
  const booked = await bookAt(request, token, laura.id, jose.id, start);
  const before = await getJson<Attendance>(request, token, `/api/appointments/attendance?patientId=${jose.id}`);

  const date = start.toLocaleDateString('sv-SE', { timeZone: 'Europe/Madrid' });
  await page.goto(`/calendar?date=${date}&view=timeGridWeek&practitionerId=${laura.id}`);
  await page.locator(`[data-appointment-id="${booked.id}"]`).click();
  const dialog = page.getByRole('dialog', { name: 'José García Núñez' });
  await dialog.getByRole('button', { name: 'Cancelar cita' }).click();
  const confirm = dialog.getByRole('group', { name: 'Confirmar' });
  const reasons = confirm.getByRole('group', { name: '¿Por qué se cancela?' });
  await expect(reasons.getByRole('radio')).toHaveCount(3);
  // "Sí" without a reason sends nothing and says what is missing.
  await confirm.getByRole('button', { name: 'Sí' }).click();
  await expect(confirm.getByRole('alert')).toHaveText('Elige por qué se cancela.');
  await expectAccessible(page, 'the cancel dialog asking why', 'dialog[open]');

  // By keyboard: onto the first reason, arrows to "Cancelación tardía", Enter sends.
  await reasons.getByRole('radio', { name: 'Por el paciente, con tiempo' }).focus();
  await page.keyboard.press('ArrowDown');
  await page.keyboard.press('ArrowDown');
  await expect(reasons.getByRole('radio', { name: 'Cancelación tardía' })).toBeChecked();
  const saved = page.waitForResponse((r) => r.url().endsWith(`/api/appointments/${booked.id}`) && r.request().method() === 'PUT');
  await page.keyboard.press('Enter');
  expect((await saved).status()).toBe(200);
  await expect(page.getByRole('status').filter({ hasText: 'Cita cancelada.' })).toBeVisible();

  const stored = await getJson<{ status: string; cancellationReason: string }>(
    request,
    token,
    `/api/appointments/${booked.id}`,
  );
  expect([stored.status, stored.cancellationReason]).toEqual(['cancelled', 'late']);
  const after = await getJson<Attendance>(request, token, `/api/appointments/attendance?patientId=${jose.id}`);
  expect(after.lateCancellations).toBe(before.lateCancellations + 1);

  await page.goto(`/patients/${jose.id}`);
  const attendance = page.getByTestId('patient-attendance');
  await expect(attendance).toContainText(lateText(after.lateCancellations));
  await expectAccessible(page, 'the patient page with its missed visits');
});

test.describe('on a phone', () => {
  test.use({ viewport: { width: 390, height: 844 } });

  test("a physiotherapist runs today's list first, marking arrived and no-show by keyboard", async ({
    page,
    request,
  }, testInfo) => {
    const token = await login(page, DEMO.practitioner.email, DEMO.practitioner.name);
    const { laura, jose, lucia } = await people(request, token);
    // One that began (nobody came yet), one due a few minutes from now.
    const when = await beganAndDueToday(testInfo);
    const begun = await bookAt(request, token, laura.id, jose.id, when.begun, when.begunEnds);
    const due = await bookAt(request, token, laura.id, lucia.id, when.due);

    await page.goto('/');
    const today = page.getByRole('region', { name: 'Citas de hoy' });
    const rows = today.getByTestId('today-appointment');
    await expect(rows).toHaveCount(2);
    // Today's list comes before the counters.
    const listTop = (await today.boundingBox())!.y;
    const countersTop = (await page.getByTestId('appointmentsToday').boundingBox())!.y;
    expect(listTop).toBeLessThan(countersTop);
    const joseRow = rows.filter({ hasText: 'José García Núñez' });
    const luciaRow = rows.filter({ hasText: lucia.fullName });
    await expect(joseRow.getByRole('button')).toHaveText(['Ha llegado', 'Marcar realizada', 'No acudió']);
    await expect(luciaRow.getByRole('button')).toHaveText(['Ha llegado']);
    // The row fits the phone: its last button is on screen without scrolling sideways.
    const lastButton = (await joseRow.getByRole('button').last().boundingBox())!;
    expect(lastButton.x + lastButton.width).toBeLessThanOrEqual(390);
    await expectAccessible(page, "the phone dashboard with today's actions");
    await page.screenshot({ path: testInfo.outputPath('dashboard-390x844.png'), fullPage: true });

    // Keyboard only: Tab to Lucía's "Ha llegado", Enter.
    const arrived = luciaRow.getByRole('button', { name: /^Ha llegado:/ });
    for (let presses = 0; presses < 40 && !(await arrived.evaluate((el) => el === document.activeElement)); presses++) {
      await page.keyboard.press('Tab');
    }
    await expect(arrived).toBeFocused();
    await page.keyboard.press('Enter');
    await expect(today.getByText('Paciente marcado como llegado.')).toBeVisible();
    await expect(luciaRow).toContainText('Ha llegado');
    await expect(luciaRow.getByRole('button')).toHaveCount(0); // completed waits for the start

    const missed = joseRow.getByRole('button', { name: /^No acudió:/ });
    await missed.focus();
    await page.keyboard.press('Enter');
    await expect(today.getByText('Cita marcada como «no acudió».')).toBeVisible();
    await expect(joseRow.getByRole('button')).toHaveText(['Ha llegado']); // turned up late after all
    const statuses = await Promise.all(
      [due.id, begun.id].map((id) => getJson<{ status: string }>(request, token, `/api/appointments/${id}`)),
    );
    expect(statuses.map((s) => s.status)).toEqual(['arrived', 'no_show']);
    await expectAccessible(page, 'the phone dashboard after the actions');

    // The printable day list says it in words too.
    await page.goto(`/calendar/day-list?date=${madridDate(when.begun)}&practitionerId=${laura.id}`);
    const dayRows = page.getByTestId('day-list-row');
    await expect(dayRows.filter({ hasText: lucia.fullName })).toContainText('Ha llegado');
    await expect(dayRows.filter({ hasText: 'José García Núñez' })).toContainText('No acudió');
  });
});
