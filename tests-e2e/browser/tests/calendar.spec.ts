import { type APIRequestContext, expect, type Locator, type Page, test } from '@playwright/test';
import { DEMO, login, resetDb } from './helpers';

// The whole working day on screen, so a drag's start and end are both visible.
test.use({ viewport: { width: 1280, height: 1800 } });

test.beforeEach(async ({ request }) => {
  await resetDb(request);
});

/** `YYYY-MM-DD` of the Monday after next: a week wholly in the future, inside working hours. */
function futureMonday(): string {
  const day = new Date();
  day.setDate(day.getDate() + ((8 - day.getDay()) % 7 || 7) + 7);
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${day.getFullYear()}-${pad(day.getMonth() + 1)}-${pad(day.getDate())}`;
}

interface Named {
  id: string;
  fullName: string;
}

async function getJson<T>(request: APIRequestContext, token: string, url: string): Promise<T> {
  const response = await request.get(url, { headers: { Authorization: `Bearer ${token}` } });
  expect(response.status(), await response.text()).toBe(200);
  return (await response.json()) as T;
}

/** A demo practitioner's id, and a demo patient's, looked up through the API. */
async function people(request: APIRequestContext, token: string) {
  const practitioners = await getJson<{ member: Named[] }>(request, token, '/api/practitioners');
  const laura = practitioners.member.find((p) => p.fullName === DEMO.practitioner.name);
  const patients = await getJson<{ member: Named[] }>(request, token, '/api/patients?search=garcia%20nunez');
  const jose = patients.member.find((p) => p.fullName === 'José García Núñez');
  const lucia = (
    await getJson<{ member: Named[] }>(request, token, '/api/patients?search=lucia%20fernandez')
  ).member[0];
  expect(laura && jose && lucia).toBeTruthy();
  return { laura: laura!, jose: jose!, lucia: lucia! };
}

/** `date` at `time` in Madrid as ISO-8601 with the offset of that day (winter +01, summer +02). */
function madrid(date: string, time: string): string {
  for (const offset of ['+01:00', '+02:00']) {
    const iso = `${date}T${time}:00${offset}`;
    const wall = new Date(iso).toLocaleTimeString('en-GB', { timeZone: 'Europe/Madrid', hour: '2-digit', minute: '2-digit' });
    if (wall === time) return iso;
  }
  throw new Error(`no Madrid offset for ${date} ${time}`);
}

/** The last weekday before today in Madrid, `YYYY-MM-DD`: nobody works at weekends. */
function lastWorkingDay(): string {
  for (let back = 1; ; back++) {
    const date = new Date(Date.now() - back * 86_400_000).toLocaleDateString('sv-SE', { timeZone: 'Europe/Madrid' });
    const weekday = new Date(`${date}T12:00:00Z`).getUTCDay();
    if (weekday !== 0 && weekday !== 6) return date;
  }
}

/** Book through the API, in Madrid time (`HH:MM` on `date`). */
async function book(
  request: APIRequestContext,
  token: string,
  body: { practitionerId: string; patientId: string; date: string; time: string },
): Promise<{ id: string; startsAt: string }> {
  const response = await request.post('/api/appointments', {
    headers: { Authorization: `Bearer ${token}` },
    data: {
      practitionerId: body.practitionerId,
      patientId: body.patientId,
      type: 'follow_up',
      startsAt: madrid(body.date, body.time),
    },
  });
  expect(response.status(), await response.text()).toBe(201);
  return (await response.json()) as { id: string; startsAt: string };
}

/** The point of the week grid at `time` on `date` (a little below the slot's top edge). */
async function slotPoint(page: Page, date: string, time: string) {
  const column = await page.locator(`td.fc-timegrid-col[data-date="${date}"]`).boundingBox();
  const row = await page.locator(`td.fc-timegrid-slot-lane[data-time="${time}:00"]`).boundingBox();
  if (!column || !row) throw new Error(`no slot at ${date} ${time}`);
  return { x: column.x + column.width / 2, y: row.y + 3 };
}

/** Press at `from` and release at `to`, in small steps as a hand would. */
async function drag(page: Page, from: { x: number; y: number }, to: { x: number; y: number }) {
  await page.mouse.move(from.x, from.y);
  await page.mouse.down();
  await page.mouse.move(from.x, from.y + 5, { steps: 3 });
  await page.mouse.move(to.x, to.y, { steps: 12 });
  await page.mouse.up();
}

function eventOf(page: Page, id: string): Locator {
  return page.locator(`[data-appointment-id="${id}"]`);
}

async function openWeekIn(page: Page, monday: string, practitionerId: string, heading: string) {
  await page.goto(`/calendar?date=${monday}&view=timeGridWeek&practitionerId=${practitionerId}`);
  await expect(page.getByRole('heading', { level: 1, name: heading })).toBeVisible();
  await expect(page.locator(`td.fc-timegrid-col[data-date="${monday}"]`)).toBeVisible();
}

async function openWeek(page: Page, monday: string, practitionerId: string) {
  await openWeekIn(page, monday, practitionerId, 'Agenda');
}

test('the front desk books a patient by selecting a free time', async ({ page, request }) => {
  const token = await login(page, DEMO.receptionist.email, DEMO.receptionist.name);
  const { laura } = await people(request, token);
  const monday = futureMonday();
  await openWeek(page, monday, laura.id);
  // Spanish labels from FullCalendar itself, and the working hours shaded outside 09–14, 15–19.
  await expect(page.getByRole('button', { name: 'Semana', exact: true })).toBeVisible();
  await expect(page.locator('.fc-non-business').first()).toBeAttached();

  const start = await slotPoint(page, monday, '10:00');
  await page.mouse.click(start.x, start.y);
  const dialog = page.getByRole('dialog', { name: 'Reservar cita' });
  await expect(dialog).toBeVisible();
  await expect(dialog.getByLabel('Inicio')).toHaveValue(`${monday}T10:00`);
  await expect(dialog.getByLabel('Fisioterapeuta')).toHaveValue(laura.id);
  await dialog.getByRole('searchbox', { name: 'Paciente' }).fill('garcia nunez');
  await dialog.getByRole('button', { name: /José García Núñez/ }).click();
  await expect(dialog.getByTestId('picked-patient')).toHaveText('José García Núñez');
  await dialog.getByLabel('Tipo de cita').selectOption('first_visit');
  await expect(dialog.getByLabel('Duración (minutos)')).toHaveValue('60');
  const answer = page.waitForResponse((r) => r.url().endsWith('/api/appointments') && r.request().method() === 'POST');
  await dialog.getByRole('button', { name: 'Reservar', exact: true }).click();
  expect((await answer).status()).toBe(201);
  await expect(page.getByRole('status').filter({ hasText: 'Reserva hecha' })).toBeVisible();
  await expect(dialog).toBeHidden();
  const event = page.locator('.fc-event', { hasText: 'José García Núñez' });
  await expect(event).toBeVisible();
  await expect(event).toContainText('10:00 - 11:00');
  await expect(event).toContainText('Valoración inicial');
});

test('a weekly series reports a clashing date and books the free ones on request', async ({ page, request }) => {
  const token = await login(page, DEMO.receptionist.email, DEMO.receptionist.name);
  const { laura, jose, lucia } = await people(request, token);
  const monday = futureMonday();
  const thursday = new Date(`${monday}T12:00:00Z`);
  thursday.setUTCDate(thursday.getUTCDate() + 3);
  const thursdayDate = thursday.toISOString().slice(0, 10);
  await book(request, token, { practitionerId: laura.id, patientId: lucia.id, date: thursdayDate, time: '12:00' });
  await openWeek(page, monday, laura.id);

  const start = await slotPoint(page, monday, '12:00');
  await page.mouse.click(start.x, start.y);
  const dialog = page.getByRole('dialog', { name: 'Reservar cita' });
  await dialog.getByRole('searchbox', { name: 'Paciente' }).fill('garcia nunez');
  await dialog.getByRole('button', { name: /José García Núñez/ }).click();
  await dialog.getByLabel('Repetir cada semana (tratamiento)').check();
  await dialog.getByLabel('jue').check();
  await dialog.getByLabel('Número de sesiones').fill('4');
  await dialog.getByRole('button', { name: 'Reservar', exact: true }).click();
  await expect(dialog.getByRole('alert')).toContainText('Estas fechas coinciden con otras citas');
  await dialog.getByRole('button', { name: 'Reservar solo las fechas libres' }).click();
  await expect(page.getByRole('status').filter({ hasText: 'Reserva hecha: 3 sesiones, lunes y jueves 12:00' })).toBeVisible();
  const booked = await getJson<{ member: { seriesId: string | null }[] }>(
    request,
    token,
    `/api/appointments?patientId=${jose.id}`,
  );
  expect(booked.member).toHaveLength(3);
  expect(new Set(booked.member.map((a) => a.seriesId)).size).toBe(1);
});

test('dragging an appointment reschedules it', async ({ page, request }) => {
  const token = await login(page, DEMO.receptionist.email, DEMO.receptionist.name);
  const { laura, jose } = await people(request, token);
  const monday = futureMonday();
  const booked = await book(request, token, { practitionerId: laura.id, patientId: jose.id, date: monday, time: '10:00' });
  await openWeek(page, monday, laura.id);
  const event = eventOf(page, booked.id);
  await expect(event).toContainText('10:00 - 10:45');

  const box = (await event.boundingBox())!;
  const target = await slotPoint(page, monday, '12:00');
  const answer = page.waitForResponse((r) => r.url().includes(`/api/appointments/${booked.id}`) && r.request().method() === 'PUT');
  await drag(page, { x: box.x + box.width / 2, y: box.y + 4 }, { x: box.x + box.width / 2, y: target.y + 1 });
  expect((await answer).status()).toBe(200);
  await expect(page.getByRole('status').filter({ hasText: 'Cita movida.' })).toBeVisible();
  await expect(eventOf(page, booked.id)).toContainText('12:00 - 12:45');
  const stored = await getJson<{ startsAt: string; endsAt: string }>(request, token, `/api/appointments/${booked.id}`);
  expect(new Date(stored.endsAt).getTime() - new Date(stored.startsAt).getTime()).toBe(45 * 60_000);
  expect(stored.startsAt).not.toBe(booked.startsAt);
});

test('moving onto another appointment shows the clash and puts it back', async ({ page, request }) => {
  const token = await login(page, DEMO.receptionist.email, DEMO.receptionist.name);
  const { laura, jose, lucia } = await people(request, token);
  const monday = futureMonday();
  const moving = await book(request, token, { practitionerId: laura.id, patientId: jose.id, date: monday, time: '10:00' });
  await book(request, token, { practitionerId: laura.id, patientId: lucia.id, date: monday, time: '12:00' });
  await openWeek(page, monday, laura.id);
  const event = eventOf(page, moving.id);
  await expect(event).toBeVisible();
  const before = (await event.boundingBox())!;
  const columnBefore = (await page.locator(`td.fc-timegrid-col[data-date="${monday}"]`).boundingBox())!;

  const target = await slotPoint(page, monday, '12:15');
  const answer = page.waitForResponse((r) => r.url().includes(`/api/appointments/${moving.id}`) && r.request().method() === 'PUT');
  await drag(page, { x: before.x + before.width / 2, y: before.y + 4 }, { x: before.x + before.width / 2, y: target.y + 1 });
  expect((await answer).status()).toBe(409);
  const alert = page.getByRole('alert').filter({ hasText: 'No se ha podido mover' });
  await expect(alert).toBeVisible();
  await expect(alert).toContainText('12:00–12:45');
  await expect(alert).toContainText('Lucía Fernández Martínez');
  // Snapped back to 10:00, and the server still has it there.
  await expect(eventOf(page, moving.id)).toContainText('10:00 - 10:45');
  // The alert pushed the calendar down: compare places within the day's column.
  const after = (await eventOf(page, moving.id).boundingBox())!;
  const columnAfter = (await page.locator(`td.fc-timegrid-col[data-date="${monday}"]`).boundingBox())!;
  expect(Math.abs(after.y - columnAfter.y - (before.y - columnBefore.y))).toBeLessThan(2);
  const stored = await getJson<{ startsAt: string }>(request, token, `/api/appointments/${moving.id}`);
  expect(stored.startsAt).toBe(moving.startsAt);
});

test('an appointment that has started is marked completed from its details', async ({ page, request }) => {
  const token = await login(page, DEMO.receptionist.email, DEMO.receptionist.name);
  const { laura, jose } = await people(request, token);
  // The last working day at 10:00 Madrid time (booking after the fact is allowed; a weekend
  // is outside the working hours).
  const date = lastWorkingDay();
  const response = await request.post('/api/appointments', {
    headers: { Authorization: `Bearer ${token}` },
    data: { practitionerId: laura.id, patientId: jose.id, type: 'follow_up', startsAt: madrid(date, '10:00') },
  });
  expect(response.status(), await response.text()).toBe(201);
  const booked = (await response.json()) as { id: string };
  await page.goto(`/calendar?date=${date}&view=timeGridDay&practitionerId=${laura.id}`);
  await eventOf(page, booked.id).click();
  const dialog = page.getByRole('dialog', { name: 'José García Núñez' });
  await expect(dialog).toContainText('Programada');
  await dialog.getByRole('button', { name: 'Marcar realizada' }).click();
  await expect(page.getByRole('status').filter({ hasText: 'Cita marcada como realizada.' })).toBeVisible();
  await expect(eventOf(page, booked.id)).toContainText('✓');
  const stored = await getJson<{ status: string }>(request, token, `/api/appointments/${booked.id}`);
  expect(stored.status).toBe('completed');
});

test('an appointment is handed to the other physiotherapist from its details', async ({ page, request }) => {
  const token = await login(page, DEMO.receptionist.email, DEMO.receptionist.name);
  const { laura, jose } = await people(request, token);
  const monday = futureMonday();
  const booked = await book(request, token, { practitionerId: laura.id, patientId: jose.id, date: monday, time: '16:00' });
  await page.goto(`/calendar?date=${monday}&view=timeGridWeek`);
  await eventOf(page, booked.id).click();
  const dialog = page.getByRole('dialog', { name: 'José García Núñez' });
  await dialog.getByRole('button', { name: 'Editar' }).click();
  const form = page.getByRole('dialog', { name: 'Editar: José García Núñez' });
  await form.getByLabel('Fisioterapeuta').selectOption({ label: DEMO.practitioner2.name });
  await form.getByLabel('Notas').fill('Cambio de fisioterapeuta a petición del paciente');
  await form.getByRole('button', { name: 'Guardar' }).click();
  await expect(page.getByRole('status').filter({ hasText: 'Cambios guardados.' })).toBeVisible();
  const stored = await getJson<{ practitionerName: string; notes: string; startsAt: string }>(
    request,
    token,
    `/api/appointments/${booked.id}`,
  );
  expect(stored.practitionerName).toBe(DEMO.practitioner2.name);
  expect(stored.notes).toBe('Cambio de fisioterapeuta a petición del paciente');
  expect(stored.startsAt).toBe(booked.startsAt);
});

test('an empty slot shows apart and is given to a patient from it', async ({ page, request }) => {
  const token = await login(page, DEMO.receptionist.email, DEMO.receptionist.name);
  const { laura } = await people(request, token);
  const monday = futureMonday();
  const created = await request.post('/api/appointments/empty-slots', {
    headers: { Authorization: `Bearer ${token}` },
    data: { practitionerId: laura.id, from: monday, to: monday, duration: 45 },
  });
  expect(created.status(), await created.text()).toBe(201);
  const slots = ((await created.json()) as { member: { id: string; startsAt: string }[] }).member;
  expect(slots.length).toBeGreaterThan(5);
  const first = slots[0]!;
  await openWeek(page, monday, laura.id);
  const slot = page.locator('.fc-event.appointment-empty_slot', { has: eventOf(page, first.id) });
  await expect(slot).toContainText('Hueco libre');
  await expect(slot).toHaveCSS('border-top-style', 'dashed');

  await slot.click();
  const dialog = page.getByRole('dialog', { name: 'Hueco libre' });
  await dialog.getByRole('searchbox', { name: 'Paciente' }).fill('garcia nunez');
  await dialog.getByRole('button', { name: /José García Núñez/ }).click();
  await dialog.getByRole('button', { name: 'Asignar el hueco' }).click();
  await expect(page.getByRole('status').filter({ hasText: 'Hueco asignado a José García Núñez.' })).toBeVisible();
  await expect(eventOf(page, first.id)).toContainText('José García Núñez');
  const stored = await getJson<{ kind: string; patientName: string; startsAt: string }>(
    request,
    token,
    `/api/appointments/${first.id}`,
  );
  expect(stored).toMatchObject({ kind: 'appointment', patientName: 'José García Núñez', startsAt: first.startsAt });
});

test('in English the calendar speaks English, FullCalendar included', async ({ page, request }) => {
  const token = await login(page, DEMO.receptionist.email, DEMO.receptionist.name);
  const { laura } = await people(request, token);
  await page.getByLabel('Idioma').selectOption('en');
  await expect(page.getByLabel('Language')).toHaveValue('en'); // stored before we navigate
  await openWeekIn(page, futureMonday(), laura.id, 'Calendar');
  await expect(page.getByRole('button', { name: 'Week', exact: true })).toBeVisible();
  await expect(page.getByRole('button', { name: 'Today', exact: true })).toBeVisible();
  await expect(page.getByRole('button', { name: 'New appointment' })).toBeVisible();
  await expect(page.locator('.fc-col-header-cell').first()).toContainText('Mon');
});
