import { type APIRequestContext, expect, type Locator, type Page, test } from '@playwright/test';
import { DEMO, login, resetDb, fillStart, type Named, expectAccessible, futureMonday, getJson } from './helpers';

// Issue 14, defects 1–3 at the front desk: a weekly series books the weekdays the user sees, a time
// outside the physiotherapist's hours is booked only once confirmed, and "Reservando para …" ends
// with the booking it was for.

// The whole working day on screen, so every slot clicked is visible.
test.use({ viewport: { width: 1280, height: 1800 } });

test.beforeEach(async ({ request }) => {
  await resetDb(request);
});

interface Booked {
  id: string;
  startsAt: string;
  seriesId: string | null;
  notes: string | null;
}

/** `YYYY-MM-DD` `days` after `date`. */
function plusDays(date: string, days: number): string {
  const day = new Date(`${date}T12:00:00Z`);
  day.setUTCDate(day.getUTCDate() + days);
  return day.toISOString().slice(0, 10);
}

/** "8 dic 2026": a date as the app writes it in Spanish. */
function spanishDate(date: string): string {
  return new Intl.DateTimeFormat('es-ES', { dateStyle: 'medium', timeZone: 'UTC' }).format(new Date(`${date}T12:00:00Z`));
}

/** `YYYY-MM-DD HH:MM` in Madrid of an instant the API answered. */
function inMadrid(instant: string): string {
  const parts = new Date(instant).toLocaleString('sv-SE', { timeZone: 'Europe/Madrid' });
  return parts.slice(0, 16);
}

/** Laura and José, looked up through the API. */
async function people(request: APIRequestContext, token: string) {
  const practitioners = await getJson<{ member: Named[] }>(request, token, '/api/practitioners');
  const laura = practitioners.member.find((p) => p.fullName === DEMO.practitioner.name);
  const patients = await getJson<{ member: Named[] }>(request, token, '/api/patients?search=garcia%20nunez');
  const jose = patients.member.find((p) => p.fullName === 'José García Núñez');
  expect(laura && jose).toBeTruthy();
  return { laura: laura!, jose: jose! };
}

/** José's appointments, by start. */
async function josesAppointments(request: APIRequestContext, token: string, joseId: string): Promise<Booked[]> {
  return (await getJson<{ member: Booked[] }>(request, token, `/api/appointments?patientId=${joseId}`)).member;
}

/** Laura's week from `monday`, once what a booking starts from (her, the types) has loaded. */
async function openWeek(page: Page, monday: string, query: string) {
  const types = page.waitForResponse((r) => r.url().includes('/api/appointment-types') && r.ok());
  await page.goto(`/calendar?date=${monday}&view=timeGridWeek&${query}`);
  await expect(page.getByRole('heading', { level: 1, name: 'Agenda' })).toBeVisible();
  await expect(page.locator(`td.fc-timegrid-col[data-date="${monday}"]`)).toBeVisible();
  const shown = page.getByRole('group', { name: 'Fisioterapeutas' });
  await expect(shown.getByRole('checkbox', { name: DEMO.practitioner.name })).toBeChecked();
  await types;
  // Loaded: the days shown are final (a weekend nobody works is hidden once the week is in, and
  // the columns widen), so a slot measured now is still there when it is clicked.
  await expect(page.getByTestId('calendar')).toHaveAttribute('aria-busy', 'false');
}

/** Click the week grid at `time` on `date` and return the booking dialog it opens. */
async function clickSlot(page: Page, date: string, time: string): Promise<Locator> {
  const column = await page.locator(`td.fc-timegrid-col[data-date="${date}"]`).boundingBox();
  const row = await page.locator(`td.fc-timegrid-slot-lane[data-time="${time}:00"]`).boundingBox();
  if (!column || !row) throw new Error(`no slot at ${date} ${time}`);
  await page.mouse.click(column.x + column.width / 2, row.y + 3);
  const dialog = page.getByRole('dialog', { name: 'Reservar cita' });
  await expect(dialog).toBeVisible();
  return dialog;
}

async function pickJose(dialog: Locator) {
  await dialog.getByRole('combobox', { name: 'Paciente' }).fill('garcia nunez');
  await dialog.getByRole('option', { name: /José García Núñez/ }).click();
  await expect(dialog.getByTestId('picked-patient')).toHaveText('José García Núñez');
}

const notice = (page: Page, text: string | RegExp) => page.getByRole('status').filter({ hasText: text });

test('a weekly series moved to Tuesdays books Tuesdays, as its summary says', async ({ page, request }) => {
  const token = await login(page, DEMO.receptionist.email, DEMO.receptionist.name);
  const { laura, jose } = await people(request, token);
  const monday = futureMonday();
  const [tuesday, thursday] = [plusDays(monday, 1), plusDays(monday, 3)];
  await openWeek(page, monday, `practitionerId=${laura.id}`);

  // Opened from Thursday at 10:00, but the patient comes on Tuesdays.
  const dialog = await clickSlot(page, thursday, '10:00');
  await pickJose(dialog);
  await dialog.getByLabel('Repetir cada semana (tratamiento)').check();
  const weekdays = dialog.getByRole('group', { name: 'Días de la semana' });
  await expect(weekdays.getByLabel('jue')).toBeChecked();
  await fillStart(dialog, `${tuesday}T10:00`);
  await expect(weekdays.getByLabel('mar')).toBeChecked();
  await expect(weekdays.getByLabel('jue')).not.toBeChecked();
  await dialog.getByLabel('Número de sesiones').fill('3');

  const last = plusDays(tuesday, 14);
  const summary = `3 sesiones, martes 10:00, ${spanishDate(tuesday)} → ${spanishDate(last)}`;
  await expect(dialog.getByTestId('booking-summary')).toHaveText(`Se reservará: ${summary}`);
  await expectAccessible(page, 'the booking dialog with its summary', 'dialog[open]');
  const answer = page.waitForResponse((r) => r.url().endsWith('/api/appointments') && r.request().method() === 'POST');
  await dialog.getByRole('button', { name: 'Reservar', exact: true }).click();
  expect((await answer).status()).toBe(201);
  await expect(notice(page, `Reserva hecha: ${summary}.`)).toBeVisible();

  const booked = await josesAppointments(request, token, jose.id);
  expect(booked.map((a) => inMadrid(a.startsAt))).toEqual([
    `${tuesday} 10:00`,
    `${plusDays(tuesday, 7)} 10:00`,
    `${last} 10:00`,
  ]);
  expect(new Set(booked.map((a) => a.seriesId)).size).toBe(1);
});

test('a Saturday is booked only after "book anyway?", keeping what was typed', async ({ page, request }) => {
  const token = await login(page, DEMO.receptionist.email, DEMO.receptionist.name);
  const { laura, jose } = await people(request, token);
  const saturday = plusDays(futureMonday(), 5);
  await openWeek(page, futureMonday(), `practitionerId=${laura.id}`);

  // Nobody works at weekends, so the week leaves Saturday out: the time is typed instead.
  await expect(page.locator(`td.fc-timegrid-col[data-date="${saturday}"]`)).toHaveCount(0);
  const dialog = await clickSlot(page, futureMonday(), '10:00');
  await fillStart(dialog, `${saturday}T10:00`);
  await pickJose(dialog);
  await dialog.getByLabel('Notas').fill('Sábado: lo autoriza la dirección');
  const refused = page.waitForResponse((r) => r.url().endsWith('/api/appointments') && r.request().method() === 'POST');
  await dialog.getByRole('button', { name: 'Reservar', exact: true }).click();
  const problem = await refused;
  expect(problem.status()).toBe(422);
  expect(await problem.json()).toMatchObject({ code: 'outside_working_hours', reason: 'closed' });

  const confirm = dialog.getByRole('group', { name: 'Fuera del horario de trabajo: ¿reservar igualmente?' });
  await expect(confirm).toContainText('Esa hora queda fuera del horario de trabajo del fisioterapeuta.');
  const anyway = confirm.getByRole('button', { name: 'Reservar igualmente' });
  await expect(anyway).toBeFocused();
  await expect(dialog.getByLabel('Notas')).toHaveValue('Sábado: lo autoriza la dirección');
  await expect(dialog.getByTestId('picked-patient')).toHaveText('José García Núñez');
  expect(await josesAppointments(request, token, jose.id)).toEqual([]);
  await expectAccessible(page, 'the outside-hours question', 'dialog[open]');

  // From the keyboard: Enter on the focused answer sends it again, deliberately.
  const deliberate = page.waitForRequest((r) => r.url().endsWith('/api/appointments') && r.method() === 'POST');
  await page.keyboard.press('Enter');
  expect((await deliberate).postDataJSON()).toMatchObject({ allowOutsideHours: true, notes: 'Sábado: lo autoriza la dirección' });
  await expect(notice(page, `Reserva hecha: sábado ${spanishDate(saturday)}, 10:00.`)).toBeVisible();
  await expect(dialog).toBeHidden();
  const booked = await josesAppointments(request, token, jose.id);
  expect(booked.map((a) => [inMadrid(a.startsAt), a.notes])).toEqual([
    [`${saturday} 10:00`, 'Sábado: lo autoriza la dirección'],
  ]);
});

test('"Reservando para" ends with the booking; another one for the patient is offered', async ({ page, request }) => {
  const token = await login(page, DEMO.receptionist.email, DEMO.receptionist.name);
  const { laura, jose } = await people(request, token);
  const monday = futureMonday();
  await openWeek(page, monday, `practitionerId=${laura.id}&patientId=${jose.id}`);
  const banner = page.getByText('Reservando para José García Núñez: elige un hueco en la agenda.');
  await expect(banner).toBeVisible();

  let dialog = await clickSlot(page, monday, '10:00');
  await expect(dialog.getByTestId('picked-patient')).toHaveText('José García Núñez');
  await dialog.getByRole('button', { name: 'Reservar', exact: true }).click();
  const done = notice(page, 'Reserva hecha');
  await expect(done).toBeVisible();
  await expect(banner).toBeHidden();
  await expect(done).toContainText(`Reserva hecha: lunes ${spanishDate(monday)}, 10:00.`);
  expect(new URL(page.url()).searchParams.has('patientId')).toBe(false);
  const again = done.getByRole('button', { name: 'Otra cita para José García Núñez' });
  await expect(again).toBeVisible();
  await expectAccessible(page, 'the booked notice with its offer', '[aria-live="polite"]');

  // Asked for explicitly: booking for José again.
  await again.click();
  await expect(banner).toBeVisible();
  dialog = await clickSlot(page, monday, '12:00');
  await expect(dialog.getByTestId('picked-patient')).toHaveText('José García Núñez');
  await dialog.getByRole('button', { name: 'Reservar', exact: true }).click();
  await expect(done).toBeVisible();
  await expect(banner).toBeHidden();

  // Not asked for: the next time clicked starts with nobody.
  dialog = await clickSlot(page, monday, '16:00');
  await expect(dialog.getByTestId('picked-patient')).toHaveCount(0);
  await expect(dialog.getByRole('combobox', { name: 'Paciente' })).toHaveValue('');
  await dialog.getByRole('button', { name: 'Cancelar' }).click();
  expect((await josesAppointments(request, token, jose.id)).map((a) => inMadrid(a.startsAt))).toEqual([
    `${monday} 10:00`,
    `${monday} 12:00`,
  ]);
});

// Issue 14, defect 4: keyboard users got stuck in dialogs.

/** Where focus is: 'dialog' when inside the open dialog, else the tag it sits on (BODY…). */
const focusPlace = (page: Page) =>
  page.evaluate(() => {
    const active = document.activeElement;
    return active?.closest('dialog[open]') ? 'dialog' : (active?.tagName ?? 'none');
  });

/** Press Tab `times` times; focus must stay inside the dialog every time. */
async function tabAround(page: Page, times: number, shift = false) {
  for (let i = 0; i < times; i++) {
    await page.keyboard.press(shift ? 'Shift+Tab' : 'Tab');
    expect(await focusPlace(page), `Tab ${i + 1}`).toBe('dialog');
  }
}

test('the keyboard alone picks a patient and survives a failed save, never leaving the dialog', async ({ page, request }) => {
  const token = await login(page, DEMO.receptionist.email, DEMO.receptionist.name);
  const { laura } = await people(request, token);
  const monday = futureMonday();
  await openWeek(page, monday, `practitionerId=${laura.id}`);
  const dialog = await clickSlot(page, monday, '10:00');

  // The picker is a combobox: focused first, its list named by aria-controls, driven by the arrows.
  const picker = dialog.getByRole('combobox', { name: 'Paciente' });
  await expect(picker).toBeFocused();
  await expect(picker).toHaveAttribute('aria-expanded', 'false');
  await page.keyboard.type('garcia nunez');
  const list = dialog.getByRole('listbox', { name: 'Pacientes encontrados' });
  const jose = list.getByRole('option', { name: /José García Núñez/ });
  await expect(jose).toBeVisible();
  await expect(picker).toHaveAttribute('aria-expanded', 'true');
  expect(await picker.getAttribute('aria-controls')).toBe(await list.getAttribute('id'));
  await page.keyboard.press('ArrowDown');
  await expect(picker).toHaveAttribute('aria-activedescendant', (await jose.getAttribute('id'))!);
  await expect(jose).toHaveAttribute('aria-selected', 'true');
  await expectAccessible(page, 'the booking dialog with the patient list open', 'dialog[open]');

  // Escape closes the list only; the dialog stays.
  await page.keyboard.press('Escape');
  await expect(list).toBeHidden();
  await expect(dialog).toBeVisible();
  await page.keyboard.press('ArrowDown');
  await page.keyboard.press('Enter');
  await expect(dialog.getByTestId('picked-patient')).toHaveText('José García Núñez');
  // The search box was replaced: focus went to "Cambiar", not to <body>.
  await expect(dialog.getByRole('button', { name: 'Cambiar' })).toBeFocused();
  await tabAround(page, 16);
  await tabAround(page, 4, true);

  // The server fails the save.
  await page.route(
    (url) => url.pathname === '/api/appointments',
    (route) =>
      route.request().method() === 'POST'
        ? route.fulfill({
            status: 503,
            contentType: 'application/problem+json',
            body: JSON.stringify({ type: 'about:blank', title: 'Service Unavailable', status: 503 }),
          })
        : route.fallback(),
  );
  const book = dialog.getByRole('button', { name: 'Reservar', exact: true });
  await book.focus();
  await page.keyboard.press('Enter');
  await expect(dialog.getByRole('alert')).toContainText('Este servicio no está disponible ahora mismo.');
  await expect(book).toBeFocused();
  await tabAround(page, 16);
  await expect(dialog.getByTestId('picked-patient')).toHaveText('José García Núñez');

  // Escape works wherever focus is, and gives it back to the page.
  await page.keyboard.press('Escape');
  await expect(dialog).toBeHidden();
  expect(await focusPlace(page)).not.toBe('dialog');
});

test('a dialog whose focused control vanished still answers Tab and Escape', async ({ page, request }) => {
  const token = await login(page, DEMO.receptionist.email, DEMO.receptionist.name);
  const { laura } = await people(request, token);
  const monday = futureMonday();
  await openWeek(page, monday, `practitionerId=${laura.id}`);
  const dialog = await clickSlot(page, monday, '10:00');
  // A mouse pick: the focused search box is replaced by the patient's name.
  await pickJose(dialog);
  expect(await focusPlace(page)).toBe('dialog');
  // Even with focus forced onto <body>, the page behind stays out of reach and Escape closes.
  await page.evaluate(() => (document.activeElement as HTMLElement | null)?.blur());
  await tabAround(page, 3);
  await page.evaluate(() => (document.activeElement as HTMLElement | null)?.blur());
  await page.keyboard.press('Escape');
  await expect(dialog).toBeHidden();
});

// Issue 14, "next free slot": from the booking dialog and after a 409, the next free times of the
// physiotherapist, or of anyone when the patient does not mind.
test('a taken time offers the next free ones, of anyone if the patient does not mind', async ({ page, request }) => {
  const token = await login(page, DEMO.receptionist.email, DEMO.receptionist.name);
  const { laura, jose } = await people(request, token);
  const monday = futureMonday();
  const headers = { Authorization: `Bearer ${token}` };
  const lucia = (await getJson<{ member: Named[] }>(request, token, '/api/patients?search=lucia%20fernandez')).member[0]!;
  const taken = await request.post('/api/appointments', {
    headers,
    data: { practitionerId: laura.id, patientId: lucia.id, type: 'follow_up', startsAt: `${monday}T10:00:00+01:00` },
  });
  expect(taken.status(), await taken.text()).toBe(201);
  await openWeek(page, monday, `practitionerId=${laura.id}`);
  const dialog = await clickSlot(page, monday, '12:00');
  await pickJose(dialog);
  await fillStart(dialog, `${monday}T10:00`);
  const refused = page.waitForResponse((r) => r.url().endsWith('/api/appointments') && r.request().method() === 'POST');
  const slots = page.waitForResponse((r) => r.url().includes('/api/appointments/free-slots') && r.ok());
  await dialog.getByRole('button', { name: 'Reservar', exact: true }).click();
  expect((await refused).status()).toBe(409);
  await slots;
  // Laura's own next times first: 10:45, once Lucía's 45 minutes are over.
  const offered = dialog.getByRole('list', { name: 'Próximos huecos libres' }).getByRole('button');
  await expect(offered.first()).toContainText('10:45');
  await expect(offered.first()).not.toContainText('Jordi');
  await expectAccessible(page, 'the next free times after a clash', 'dialog[open]');

  await dialog.getByLabel('Con cualquier fisioterapeuta (al paciente le da igual)').check();
  const jordis = offered.filter({ hasText: DEMO.practitioner2.name });
  await expect(jordis.first()).toBeVisible();
  const label = (await jordis.first().textContent()) ?? '';
  await jordis.first().click();
  await expect(dialog.getByLabel('Fisioterapeuta', { exact: true })).toHaveValue(/.+/);
  const chosen = await dialog.getByLabel('Fisioterapeuta', { exact: true }).locator('option:checked').textContent();
  expect(chosen).toBe(DEMO.practitioner2.name);
  expect(label).toContain(DEMO.practitioner2.name);
  const posted = page.waitForResponse((r) => r.url().endsWith('/api/appointments') && r.request().method() === 'POST');
  await dialog.getByRole('button', { name: 'Reservar', exact: true }).click();
  expect((await posted).status()).toBe(201);
  await expect(dialog).toBeHidden();
  const booked = await josesAppointments(request, token, jose.id);
  expect(booked).toHaveLength(1);
});
