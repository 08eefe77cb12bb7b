import { type APIRequestContext, expect, type Locator, type Page, test } from '@playwright/test';
import { DEMO, login, resetDb, expectStart, clinicDate, type Named, expectAccessible, futureMonday, getJson, lastWorkingDay, madrid } from './helpers';

// The whole working day on screen, so a drag's start and end are both visible.
test.use({ viewport: { width: 1280, height: 1800 } });

test.beforeEach(async ({ request }) => {
  await resetDb(request);
});

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
  await expectStart(dialog, `${monday}T10:00`);
  await expect(dialog.getByLabel('Fisioterapeuta')).toHaveValue(laura.id);
  await dialog.getByRole('combobox', { name: 'Paciente' }).fill('garcia nunez');
  await dialog.getByRole('option', { name: /José García Núñez/ }).click();
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
  await dialog.getByRole('combobox', { name: 'Paciente' }).fill('garcia nunez');
  await dialog.getByRole('option', { name: /José García Núñez/ }).click();
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
  await dialog.getByRole('combobox', { name: 'Paciente' }).fill('garcia nunez');
  await dialog.getByRole('option', { name: /José García Núñez/ }).click();
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

/** Set an appointment's status through the API (the whole appointment is PUT, with If-Match). */
async function setStatus(request: APIRequestContext, token: string, id: string, status: string) {
  const headers = { Authorization: `Bearer ${token}` };
  const current = await request.get(`/api/appointments/${id}`, { headers });
  const body = (await current.json()) as Record<string, unknown>;
  const { practitionerId, patientId, type, startsAt, endsAt, title, notes } = body;
  const response = await request.put(`/api/appointments/${id}`, {
    headers: { ...headers, 'If-Match': current.headers()['etag']! },
    data: {
      practitionerId,
      patientId,
      type,
      status,
      cancellationReason: status === 'cancelled' ? 'clinic' : null,
      startsAt,
      endsAt,
      title,
      notes,
    },
  });
  expect(response.status(), await response.text()).toBe(200);
}

// Issue 14, defect 5: a no-show was told apart by a red border the practitioner's colour hid.
test('a no-show and a cancelled appointment say so in words in the week, day and month views', async ({ page, request }) => {
  const token = await login(page, DEMO.receptionist.email, DEMO.receptionist.name);
  const { laura, jose, lucia } = await people(request, token);
  const date = lastWorkingDay();
  const missed = await book(request, token, { practitionerId: laura.id, patientId: jose.id, date, time: '10:00' });
  const called = await book(request, token, { practitionerId: laura.id, patientId: lucia.id, date, time: '12:00' });
  const kept = await book(request, token, { practitionerId: laura.id, patientId: jose.id, date, time: '16:00' });
  await setStatus(request, token, missed.id, 'no_show');
  await setStatus(request, token, called.id, 'cancelled');

  await page.goto(`/calendar?date=${date}&view=timeGridWeek&practitionerId=${laura.id}`);
  await expect(eventOf(page, missed.id)).toContainText('No acudió');
  await page.getByRole('checkbox', { name: 'Mostrar canceladas' }).check();
  for (const view of ['Semana', 'Día', 'Mes']) {
    await page.getByRole('button', { name: view, exact: true }).click();
    await expect(page.getByTestId('calendar')).toHaveAttribute('data-week-state', 'ready');
    await expect(eventOf(page, missed.id), view).toContainText('No acudió');
    await expect(eventOf(page, called.id), view).toContainText('Cancelada');
    await expect(eventOf(page, kept.id), view).toBeVisible();
    await expect(eventOf(page, kept.id), view).not.toContainText(/No acudió|Cancelada/);
    await expect(eventOf(page, missed.id).getByTestId('appointment-status-label')).toBeVisible();
    await expectAccessible(page, `the calendar's ${view} view`, '[data-testid="calendar"]');
    if (view === 'Semana') await page.screenshot({ path: test.info().outputPath('calendar-no-show-week.png'), fullPage: false });
    if (view === 'Mes') await page.screenshot({ path: test.info().outputPath('calendar-no-show-month.png'), fullPage: false });
  }
});

/** Answers the week's appointments with 503 while `failing()` says so. */
async function failWeekLoads(page: Page, failing: () => boolean) {
  await page.route(
    (url) => url.pathname === '/api/appointments' && url.searchParams.has('start'),
    (route) =>
      failing()
        ? route.fulfill({
            status: 503,
            contentType: 'application/problem+json',
            body: JSON.stringify({ type: 'about:blank', title: 'Service Unavailable', status: 503 }),
          })
        : route.fallback(),
  );
}

// Issue 14, defect 6: a failed week load looked like a free week.
test('a week that cannot be loaded is disabled with the reason and "Reintentar", never shown free', async ({ page, request }) => {
  const token = await login(page, DEMO.receptionist.email, DEMO.receptionist.name);
  const { laura, jose } = await people(request, token);
  const monday = futureMonday();
  const booked = await book(request, token, { practitionerId: laura.id, patientId: jose.id, date: monday, time: '10:00' });
  let failing = true;
  await failWeekLoads(page, () => failing);
  await openWeek(page, monday, laura.id);

  const calendar = page.getByTestId('calendar');
  const problem = calendar.getByRole('alert');
  await expect(problem).toContainText('No se han podido cargar las citas de estas fechas');
  await expect(calendar).toHaveAttribute('data-week-state', 'error');
  await expect(calendar.locator('[inert] .fc')).toHaveCount(1);
  await page.screenshot({ path: test.info().outputPath('calendar-week-error.png'), fullPage: false });
  await expectAccessible(page, 'the calendar that failed to load', '[data-testid="calendar"]');
  // The grid takes no booking: a click on a free-looking time opens nothing.
  const slot = await slotPoint(page, monday, '12:00');
  await page.mouse.click(slot.x, slot.y);
  await expect(page.getByRole('dialog')).toHaveCount(0);

  failing = false;
  await problem.getByRole('button', { name: 'Reintentar' }).click();
  await expect(eventOf(page, booked.id)).toContainText('José García Núñez');
  await expect(calendar).toHaveAttribute('data-week-state', 'ready');
  await expect(problem).toHaveCount(0);
  await expect(calendar.locator('[inert]')).toHaveCount(0);
});

test('the calendar says it is loading, and books only once physiotherapists and types are in', async ({ page, request }) => {
  const token = await login(page, DEMO.receptionist.email, DEMO.receptionist.name);
  const { laura } = await people(request, token);
  const monday = futureMonday();
  // Hold the appointment types and the week's appointments until told.
  let release: () => void = () => undefined;
  const held = new Promise<void>((resolve) => {
    release = resolve;
  });
  await page.route(
    (url) => url.pathname === '/api/appointment-types' || (url.pathname === '/api/appointments' && url.searchParams.has('start')),
    async (route) => {
      await held;
      await route.fallback();
    },
  );
  await page.goto(`/calendar?date=${monday}&view=timeGridWeek&practitionerId=${laura.id}`);
  const calendar = page.getByTestId('calendar');
  await expect(page.locator(`td.fc-timegrid-col[data-date="${monday}"]`)).toBeVisible();
  await expect(calendar).toHaveAttribute('aria-busy', 'true');
  await expect(calendar.getByRole('status')).toHaveText('Cargando fisioterapeutas y tipos de cita…');
  await expect(page.getByRole('button', { name: 'Nueva cita' })).toBeDisabled();
  // A click on the grid before the types are in opens no dialog without them.
  const slot = await slotPoint(page, monday, '10:00');
  await page.mouse.click(slot.x, slot.y);
  await expect(page.getByRole('dialog')).toHaveCount(0);

  release();
  await expect(calendar).toHaveAttribute('aria-busy', 'false');
  await expect(calendar.getByRole('status')).toHaveCount(0);
  await page.mouse.click(slot.x, slot.y);
  const dialog = page.getByRole('dialog', { name: 'Reservar cita' });
  await expect(dialog).toBeVisible();
  await expect(dialog.getByLabel('Tipo de cita')).toHaveValue('follow_up');
  await expect(dialog.getByLabel('Tipo de cita').locator('option')).not.toHaveCount(0);
});

// Issue 14, "the calendar staff expect": the day by columns, undo after a drag, a question before
// a move to another day or physiotherapist, tooltips, weekends, "+N más", scrolled to now.

/** The day by columns on `date`, every physiotherapist shown. */
async function openColumns(page: Page, date: string) {
  const types = page.waitForResponse((r) => r.url().includes('/api/appointment-types') && r.ok());
  await page.goto(`/calendar?date=${date}&view=practitionerDay`);
  await expect(page.getByRole('heading', { level: 1, name: 'Agenda' })).toBeVisible();
  await types;
  const columns = page.getByRole('group', { name: 'Agenda del día, una columna por fisioterapeuta' });
  await expect(columns.getByRole('region')).toHaveCount(2);
  return columns;
}

/** A physiotherapist's column of the day by columns. */
function columnOf(page: Page, name: string): Locator {
  return page.getByRole('group', { name: 'Agenda del día, una columna por fisioterapeuta' }).getByRole('region', { name });
}

/** The point of a column at `time` (a little below the slot's top edge). */
async function columnPoint(column: Locator, time: string) {
  const lane = await column.locator('td.fc-timegrid-col[data-date]').boundingBox();
  const row = await column.locator(`td.fc-timegrid-slot-lane[data-time="${time}:00"]`).boundingBox();
  if (!lane || !row) throw new Error(`no slot at ${time}`);
  return { x: lane.x + lane.width / 2, y: row.y + 3 };
}

test('the day by columns: one column per physiotherapist, a click books with that one', async ({ page, request }) => {
  const token = await login(page, DEMO.receptionist.email, DEMO.receptionist.name);
  const { laura, jose } = await people(request, token);
  const monday = futureMonday();
  const booked = await book(request, token, { practitionerId: laura.id, patientId: jose.id, date: monday, time: '10:00' });
  await openColumns(page, monday);
  const lauras = columnOf(page, DEMO.practitioner.name);
  const jordis = columnOf(page, DEMO.practitioner2.name);
  await expect(lauras.getByRole('heading', { name: DEMO.practitioner.name })).toBeVisible();
  // Laura's appointment in her column only.
  await expect(lauras.locator(`[data-appointment-id="${booked.id}"]`)).toContainText('José García Núñez');
  await expect(jordis.locator(`[data-appointment-id="${booked.id}"]`)).toHaveCount(0);
  await expect(page.getByRole('button', { name: 'Por fisio', exact: true })).toHaveClass(/fc-button-active/);

  // A click in Jordi's empty 11:00 books with Jordi at 11:00.
  const point = await columnPoint(jordis, '11:00');
  await page.mouse.click(point.x, point.y);
  const dialog = page.getByRole('dialog', { name: 'Reservar cita' });
  await expect(dialog).toBeVisible();
  await expect(dialog.getByLabel('Fisioterapeuta')).toHaveValue(await jordiId(request, token));
  await expectStart(dialog, `${monday}T11:00`);
  await dialog.getByRole('combobox', { name: 'Paciente' }).fill('garcia nunez');
  await dialog.getByRole('option', { name: /José García Núñez/ }).click();
  const posted = page.waitForRequest((r) => r.url().endsWith('/api/appointments') && r.method() === 'POST');
  await dialog.getByRole('button', { name: 'Reservar', exact: true }).click();
  expect((await posted).postDataJSON()).toMatchObject({ practitionerId: await jordiId(request, token) });
  await expect(page.getByRole('status').filter({ hasText: 'Reserva hecha' })).toBeVisible();
  await expect(jordis.locator('.fc-event')).toContainText('11:00 - 11:45');
  await expectAccessible(page, 'the day by columns', 'main');

  for (const [width, height] of [[1440, 900], [390, 844]] as const) {
    await page.setViewportSize({ width, height });
    await page.evaluate(() => window.scrollTo(0, 0));
    await page.screenshot({ path: test.info().outputPath(`calendar-columns-${width}x${height}.png`) });
  }
});

async function jordiId(request: APIRequestContext, token: string): Promise<string> {
  const practitioners = await getJson<{ member: Named[] }>(request, token, '/api/practitioners');
  return practitioners.member.find((p) => p.fullName === DEMO.practitioner2.name)!.id;
}

test('the keyboard alone books in a column: "Reservar con …", then a next free time', async ({ page, request }) => {
  const token = await login(page, DEMO.receptionist.email, DEMO.receptionist.name);
  const { laura, jose } = await people(request, token);
  const monday = futureMonday();
  // Laura's first hour is taken: the first free time after 09:00 is 09:45.
  await book(request, token, { practitionerId: laura.id, patientId: jose.id, date: monday, time: '09:00' });
  await openColumns(page, monday);
  const bookWith = columnOf(page, DEMO.practitioner.name).getByRole('button', { name: `Reservar con ${DEMO.practitioner.name}` });
  await bookWith.focus();
  await page.keyboard.press('Enter');
  const dialog = page.getByRole('dialog', { name: 'Reservar cita' });
  await expect(dialog.getByLabel('Fisioterapeuta')).toHaveValue(laura.id);
  await expectStart(dialog, `${monday}T09:00`);
  const find = dialog.getByRole('button', { name: 'Próximo hueco libre' });
  await find.focus();
  await page.keyboard.press('Enter');
  const offered = dialog.getByRole('list', { name: 'Próximos huecos libres' }).getByRole('button');
  await expect(offered.first()).toContainText('9:45');
  await offered.first().focus();
  await page.keyboard.press('Enter');
  await expectStart(dialog, `${monday}T09:45`);
  await expect(dialog.getByRole('button', { name: 'Reservar', exact: true })).toBeFocused();
  await expectAccessible(page, 'the next free times', 'dialog[open]');
});

/** Press Tab (Shift+Tab with `back`) until `target` has the focus; fails after `limit` presses. */
async function tabTo(page: Page, target: Locator, back = false, limit = 60) {
  for (let presses = 0; presses < limit; presses++) {
    if (await target.evaluate((el) => el === document.activeElement)) return;
    await page.keyboard.press(back ? 'Shift+Tab' : 'Tab');
  }
  await expect(target, `reached with ${limit} presses of ${back ? 'Shift+Tab' : 'Tab'}`).toBeFocused();
}

test('the keyboard alone books to the end: "Nueva cita", the patient typed, the time, Space on "Reservar"', async ({
  page,
  request,
}) => {
  const token = await login(page, DEMO.receptionist.email, DEMO.receptionist.name);
  const { laura, jose } = await people(request, token);
  const monday = futureMonday();
  const tuesday = new Date(`${monday}T12:00:00Z`);
  tuesday.setUTCDate(tuesday.getUTCDate() + 1);
  const day = tuesday.toISOString().slice(0, 10);
  await openWeek(page, monday, laura.id);
  await expect(page.getByTestId('calendar')).toHaveAttribute('aria-busy', 'false');
  // From the top of the page, Tab to "Nueva cita" and Enter: nothing here is clicked.
  await page.locator('body').focus();
  const newAppointment = page.getByRole('button', { name: 'Nueva cita' });
  await tabTo(page, newAppointment);
  await page.keyboard.press('Enter');
  const dialog = page.getByRole('dialog', { name: 'Reservar cita' });
  await expect(dialog).toBeVisible();
  const picker = dialog.getByRole('combobox', { name: 'Paciente' });
  await expect(picker).toBeFocused();
  await page.keyboard.type('garcia nunez');
  await expect(dialog.getByRole('option', { name: /José García Núñez/ })).toBeVisible();
  await page.keyboard.press('ArrowDown');
  await page.keyboard.press('Enter');
  await expect(dialog.getByTestId('picked-patient')).toHaveText('José García Núñez');
  await expect(dialog.getByLabel('Fisioterapeuta')).toHaveValue(laura.id);

  // The start: Tuesday at 11:30, typed over what the boxes held.
  await tabTo(page, dialog.getByLabel('Inicio', { exact: true }));
  await page.keyboard.press('ControlOrMeta+A');
  await page.keyboard.type(clinicDate(day));
  await page.keyboard.press('Tab');
  await expect(dialog.getByLabel('Inicio: hora')).toBeFocused();
  await page.keyboard.press('ControlOrMeta+A');
  await page.keyboard.type('11:30');
  await expectStart(dialog, `${day}T11:30`);

  const book = dialog.getByRole('button', { name: 'Reservar', exact: true });
  await tabTo(page, book);
  const answer = page.waitForResponse((r) => r.url().endsWith('/api/appointments') && r.request().method() === 'POST');
  await page.keyboard.press('Space');
  const response = await answer;
  expect(response.status(), await response.text()).toBe(201);
  const booked = (await response.json()) as { id: string; startsAt: string; patientId: string; practitionerId: string };
  expect(booked).toMatchObject({ patientId: jose.id, practitionerId: laura.id });
  expect(new Date(booked.startsAt).toISOString()).toBe(new Date(madrid(day, '11:30')).toISOString());
  await expect(dialog).toBeHidden();
  // On the calendar, in Tuesday's column, with its time and the patient.
  const event = page.locator(`td.fc-timegrid-col[data-date="${day}"] [data-appointment-id="${booked.id}"]`);
  await expect(event).toContainText('José García Núñez');
  await expect(event).toContainText('11:30');
});

test('on a desktop the calendar opens on the day with a column per physiotherapist', async ({ page, request }) => {
  const token = await login(page, DEMO.receptionist.email, DEMO.receptionist.name);
  const { laura, jose } = await people(request, token);
  const monday = futureMonday();
  const booked = await book(request, token, { practitionerId: laura.id, patientId: jose.id, date: monday, time: '10:00' });
  for (const [width, height] of [[1440, 900], [1024, 768]] as const) {
    await page.setViewportSize({ width, height });
    await page.goto(`/calendar?date=${monday}`);
    await expect(page).toHaveURL(/view=practitionerDay/);
    await expect(page.getByRole('button', { name: 'Por fisio', exact: true })).toHaveClass(/fc-button-active/);
    const columns = page.getByRole('group', { name: 'Agenda del día, una columna por fisioterapeuta' });
    await expect(columns.getByRole('region')).toHaveCount(2);
    await expect(columnOf(page, DEMO.practitioner.name).locator(`[data-appointment-id="${booked.id}"]`)).toContainText('José García Núñez');
    await expect(page.getByTestId('calendar')).toHaveAttribute('aria-busy', 'false');
    await expectAccessible(page, `the opening day by columns at ${width}x${height}`, 'main');
    await page.evaluate(() => window.scrollTo(0, 0));
    await page.screenshot({ path: test.info().outputPath(`calendar-opening-${width}x${height}.png`) });
  }
});

test('on a phone the calendar opens on the day as a list; the columns are a click away @phone', async ({ page, request }) => {
  await page.setViewportSize({ width: 390, height: 844 });
  const token = await login(page, DEMO.receptionist.email, DEMO.receptionist.name);
  const { laura, jose } = await people(request, token);
  const monday = futureMonday();
  const booked = await book(request, token, { practitionerId: laura.id, patientId: jose.id, date: monday, time: '10:00' });
  await page.goto(`/calendar?date=${monday}`);
  await expect(page).toHaveURL(/view=listDay/);
  await expect(page.getByRole('button', { name: 'Lista', exact: true })).toHaveClass(/fc-button-active/);
  const line = page.locator('.fc-list-event', { has: eventOf(page, booked.id) });
  await expect(line).toContainText('10:00');
  await expect(line).toContainText('José García Núñez');
  await expect(page.getByTestId('calendar')).toHaveAttribute('aria-busy', 'false');
  await expectAccessible(page, 'the day as a list on a phone', 'main');
  // Nothing wider than the phone: the toolbar wraps instead of pushing the page sideways.
  expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390);
  await page.screenshot({ path: test.info().outputPath('calendar-opening-390x844.png') });

  await page.getByRole('button', { name: 'Por fisio', exact: true }).click();
  await expect(page.getByRole('group', { name: 'Agenda del día, una columna por fisioterapeuta' })).toBeVisible();
  await expect(page).toHaveURL(/view=practitionerDay/);
});

test('after a drag the notice is in view with "Deshacer", which puts it back with If-Match', async ({ page, request }) => {
  const token = await login(page, DEMO.receptionist.email, DEMO.receptionist.name);
  const { laura, jose } = await people(request, token);
  const monday = futureMonday();
  const booked = await book(request, token, { practitionerId: laura.id, patientId: jose.id, date: monday, time: '17:00' });
  // A screen shorter than the day: the evening is scrolled to, far below the top of the page.
  await page.setViewportSize({ width: 1280, height: 800 });
  await openWeek(page, monday, laura.id);
  const event = eventOf(page, booked.id);
  await expect(event).toBeVisible();
  await page.evaluate(() => window.scrollTo(0, document.body.scrollHeight));
  const box = (await event.boundingBox())!;
  const target = await slotPoint(page, monday, '18:00');
  const answer = page.waitForResponse((r) => r.url().includes(`/api/appointments/${booked.id}`) && r.request().method() === 'PUT');
  await drag(page, { x: box.x + box.width / 2, y: box.y + 4 }, { x: box.x + box.width / 2, y: target.y + 1 });
  const moved = await answer;
  expect(moved.status()).toBe(200);
  const notice = page.getByRole('status').filter({ hasText: 'Cita movida.' });
  await expect(notice).toBeInViewport();
  await expect(eventOf(page, booked.id)).toContainText('18:00 - 18:45');

  const undone = page.waitForRequest((r) => r.url().includes(`/api/appointments/${booked.id}`) && r.method() === 'PUT');
  await notice.getByRole('button', { name: 'Deshacer' }).click();
  const request2 = await undone;
  expect(request2.headers()['if-match']).toBe(moved.headers()['etag']);
  await expect(page.getByRole('status').filter({ hasText: 'Movimiento deshecho' })).toBeInViewport();
  await expect(eventOf(page, booked.id)).toContainText('17:00 - 17:45');
  const stored = await getJson<{ startsAt: string }>(request, token, `/api/appointments/${booked.id}`);
  expect(new Date(stored.startsAt).getTime()).toBe(new Date(booked.startsAt).getTime());
});

test('a drag to another day asks first; "Cancelar" puts it back, "Mover" moves it', async ({ page, request }) => {
  const token = await login(page, DEMO.receptionist.email, DEMO.receptionist.name);
  const { laura, jose } = await people(request, token);
  const monday = futureMonday();
  const tuesday = new Date(`${monday}T12:00:00Z`);
  tuesday.setUTCDate(tuesday.getUTCDate() + 1);
  const tuesdayIso = tuesday.toISOString().slice(0, 10);
  const booked = await book(request, token, { practitionerId: laura.id, patientId: jose.id, date: monday, time: '10:00' });
  await openWeek(page, monday, laura.id);
  let puts = 0;
  page.on('request', (r) => {
    if (r.url().includes(`/api/appointments/${booked.id}`) && r.method() === 'PUT') puts += 1;
  });
  const dragToTuesday = async () => {
    const box = (await eventOf(page, booked.id).boundingBox())!;
    const target = await slotPoint(page, tuesdayIso, '11:00');
    await drag(page, { x: box.x + box.width / 2, y: box.y + 4 }, { x: target.x, y: target.y + 1 });
  };
  await dragToTuesday();
  const ask = page.getByRole('dialog', { name: '¿Mover la cita?' });
  await expect(ask).toContainText('José García Núñez pasa de lunes');
  await expect(ask).toContainText('a martes');
  await expect(ask.getByRole('button', { name: 'Mover' })).toBeFocused();
  await expectAccessible(page, 'the move question', 'dialog[open]');
  await ask.getByRole('button', { name: 'Cancelar' }).click();
  await expect(ask).toBeHidden();
  await expect(page.locator(`td.fc-timegrid-col[data-date="${monday}"] [data-appointment-id="${booked.id}"]`)).toContainText('10:00');
  expect(puts).toBe(0);

  await dragToTuesday();
  const answer = page.waitForResponse((r) => r.url().includes(`/api/appointments/${booked.id}`) && r.request().method() === 'PUT');
  await ask.getByRole('button', { name: 'Mover' }).click();
  expect((await answer).status()).toBe(200);
  await expect(page.locator(`td.fc-timegrid-col[data-date="${tuesdayIso}"] [data-appointment-id="${booked.id}"]`)).toContainText('11:00');
});

test('a drag into the other physiotherapist\'s column asks, then hands the appointment over', async ({ page, request }) => {
  const token = await login(page, DEMO.receptionist.email, DEMO.receptionist.name);
  const { laura, jose } = await people(request, token);
  const monday = futureMonday();
  const booked = await book(request, token, { practitionerId: laura.id, patientId: jose.id, date: monday, time: '10:00' });
  await openColumns(page, monday);
  const event = columnOf(page, DEMO.practitioner.name).locator(`[data-appointment-id="${booked.id}"]`);
  await event.scrollIntoViewIfNeeded();
  const box = (await event.boundingBox())!;
  const target = await columnPoint(columnOf(page, DEMO.practitioner2.name), '10:00');
  await drag(page, { x: box.x + box.width / 2, y: box.y + 4 }, { x: target.x, y: target.y + 1 });
  const ask = page.getByRole('dialog', { name: '¿Mover la cita?' });
  await expect(ask).toContainText(`Cambia de fisioterapeuta: de ${DEMO.practitioner.name} a ${DEMO.practitioner2.name}.`);
  const answer = page.waitForResponse((r) => r.url().includes(`/api/appointments/${booked.id}`) && r.request().method() === 'PUT');
  await ask.getByRole('button', { name: 'Mover' }).click();
  expect((await answer).status()).toBe(200);
  await expect(columnOf(page, DEMO.practitioner2.name).locator(`[data-appointment-id="${booked.id}"]`)).toContainText('10:00');
  const stored = await getJson<{ practitionerName: string }>(request, token, `/api/appointments/${booked.id}`);
  expect(stored.practitionerName).toBe(DEMO.practitioner2.name);
});

test('an event tells patient, type, time and status in a tooltip, on hover and on focus', async ({ page, request }) => {
  const token = await login(page, DEMO.receptionist.email, DEMO.receptionist.name);
  const { laura, jose } = await people(request, token);
  const monday = futureMonday();
  const booked = await book(request, token, { practitionerId: laura.id, patientId: jose.id, date: monday, time: '10:00' });
  await openWeek(page, monday, laura.id);
  const event = page.locator('.fc-event', { has: eventOf(page, booked.id) });
  await event.focus();
  const tooltip = page.getByRole('tooltip');
  await expect(tooltip).toContainText('José García Núñez');
  await expect(tooltip).toContainText('10:00');
  await expect(tooltip).toContainText('10:45');
  await expect(tooltip).toContainText('Estado: Programada');
  await expect(tooltip).toContainText(DEMO.practitioner.name);
  await expect(event).toHaveAttribute('aria-describedby', 'calendar-event-tooltip');
  await expectAccessible(page, 'a focused event with its tooltip', 'main');
  await event.blur();
  await expect(tooltip).toBeHidden();
  await event.hover();
  await expect(page.getByRole('tooltip')).toContainText('José García Núñez');
});

test('weekends nobody works are left out; a crowded day in the month says "+N más"', async ({ page, request }) => {
  const token = await login(page, DEMO.receptionist.email, DEMO.receptionist.name);
  const { laura, jose, lucia } = await people(request, token);
  const monday = futureMonday();
  const saturday = new Date(`${monday}T12:00:00Z`);
  saturday.setUTCDate(saturday.getUTCDate() + 5);
  await openWeek(page, monday, laura.id);
  await expect(page.locator(`td.fc-timegrid-col[data-date="${saturday.toISOString().slice(0, 10)}"]`)).toHaveCount(0);
  await expect(page.locator('td.fc-timegrid-col[data-date]')).toHaveCount(5);

  for (const time of ['09:00', '10:00', '11:00', '12:00', '13:00']) {
    await book(request, token, { practitionerId: laura.id, patientId: time < '11:00' ? jose.id : lucia.id, date: monday, time });
  }
  await page.goto(`/calendar?date=${monday}&view=dayGridMonth&practitionerId=${laura.id}`);
  await expect(page.locator(`td.fc-daygrid-day[data-date="${monday}"]`).getByText('+2 más')).toBeVisible();
});

test('the calendar opens scrolled to the current time', async ({ page, request }) => {
  await login(page, DEMO.receptionist.email, DEMO.receptionist.name);
  void request;
  // Today at 18:30 in Madrid: low in the day, below the first screen of a short window.
  const today = new Date().toLocaleDateString('sv-SE', { timeZone: 'Europe/Madrid' });
  await page.clock.setFixedTime(new Date(madrid(today, '18:30')));
  await page.setViewportSize({ width: 1280, height: 700 });
  await page.goto('/calendar?view=timeGridDay');
  const now = page.locator('.fc-timegrid-now-indicator-line').first();
  await expect(now).toBeInViewport();
});
