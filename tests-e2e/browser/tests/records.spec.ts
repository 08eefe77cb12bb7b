import { type APIRequestContext, expect, test } from '@playwright/test';
import { DEMO, login, resetDb, clinicDate, apiToken, auth, expectAccessible, expectNoSideways, registerPatient, completedVisit } from './helpers';

// Clinical records (issue 13): a completed session shows on the physiotherapist's dashboard as
// "without a note"; the note is written from its template, saves itself, is signed and amended;
// the receptionist sees no clinical content (and asks for none); the admin reads the audit.
// Records learns about completed appointments from events, so the steps that need them wait.

test.beforeEach(async ({ request }) => {
  await resetDb(request);
});

/** Laura's completed visit of the last working day (`completedVisit`), once records lists it as without a note. */
async function completedSession(request: APIRequestContext, desk: string, laura: string, patientId: string) {
  const appointment = await completedVisit(request, desk, patientId);
  await expect
    .poll(
      async () => {
        const response = await request.get('/api/records/sessions-without-note', { headers: auth(laura) });
        const body = (await response.json()) as { member?: { appointmentId: string }[] };
        return body.member?.map((session) => session.appointmentId) ?? [];
      },
      { timeout: 20_000 },
    )
    .toContain(appointment.id);
  return appointment;
}

test('a session without a note is written from its template, signed and amended', async ({ page, request }) => {
  test.setTimeout(120_000);
  const desk = await apiToken(request, DEMO.receptionist.email);
  const laura = await apiToken(request, DEMO.practitioner.email);
  const patientId = await registerPatient(request, desk, 'Nerea', 'Iturbe Goñi');
  const session = await completedSession(request, desk, laura, patientId);

  await login(page, DEMO.practitioner.email, DEMO.practitioner.name);
  const list = page.getByRole('region', { name: 'Sesiones sin nota' });
  await list.getByRole('link', { name: /^Escribir la nota de Nerea Iturbe Goñi/ }).click();
  await expect(page).toHaveURL(new RegExp(`/records/new\\?patientId=${patientId}&appointmentId=${session.id}`));
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Nueva nota de Nerea Iturbe Goñi');
  await expect(page.getByLabel('Tipo de nota')).toHaveValue('treatment');
  await expect(page.getByLabel('Fecha', { exact: true })).toHaveValue(clinicDate(session.date));
  // The template prefills; what is typed stays when the type changes.
  await expect(page.getByLabel('Subjetivo (S)')).not.toHaveValue('');
  await page.getByLabel('Subjetivo (S)').fill('Refiere menos dolor al levantarse.');
  await page.getByLabel('Tipo de nota').selectOption({ label: 'Evolución' });
  await expect(page.getByLabel('Subjetivo (S)')).toHaveValue('Refiere menos dolor al levantarse.');
  await page.getByLabel('Dolor (EVA 0–10)').fill('4');
  await expect(page.getByText(/^Borrador guardado a las/)).toBeVisible({ timeout: 10_000 });
  await expectAccessible(page, 'the SOAP form');

  await page.getByRole('button', { name: 'Firmar', exact: true }).click();
  const confirm = page.getByRole('dialog', { name: '¿Firmar la nota?' });
  await expect(confirm).toContainText('Una nota firmada no se puede cambiar');
  await expectAccessible(page, 'the sign confirmation');
  await confirm.getByRole('button', { name: 'Firmar ahora' }).click();

  await expect(page).toHaveURL(new RegExp(`/patients/${patientId}$`));
  await expect(page.getByText('Nota firmada.')).toBeVisible();
  const history = page.getByRole('region', { name: 'Historia clínica' });
  const note = history.getByTestId('record-entry').first();
  await expect(note).toContainText('Evolución');
  await expect(note).toContainText('Firmada');
  await expect(note).toContainText('Refiere menos dolor al levantarse.');
  await expect(note.getByTestId('entry-pain')).toHaveText('4/10');
  await expectAccessible(page, 'the clinical history');

  // A signed note is corrected by an amendment, shown under it.
  await note.getByRole('button', { name: /^Añadir enmienda/ }).click();
  const amend = page.getByRole('dialog', { name: 'Enmendar una nota firmada' });
  await amend.getByLabel('Texto de la enmienda').fill('El dolor era 5/10, no 4/10.');
  await expectAccessible(page, 'the amendment dialog');
  await amend.getByRole('button', { name: 'Firmar enmienda' }).click();
  await expect(page.getByText('Enmienda firmada.')).toBeVisible();
  await expect(note.getByTestId('amendment')).toContainText('El dolor era 5/10, no 4/10.');

  // The signed note clears the session from the dashboard.
  await expect
    .poll(
      async () => {
        const response = await request.get('/api/records/sessions-without-note', { headers: auth(laura) });
        const body = (await response.json()) as { member?: { appointmentId: string }[] };
        return body.member?.map((s) => s.appointmentId) ?? [];
      },
      { timeout: 20_000 },
    )
    .not.toContain(session.id);
  await page.goto('/');
  await expect(page.getByRole('region', { name: 'Sesiones sin nota' })).not.toContainText('Nerea Iturbe Goñi');
});

test('the receptionist sees no clinical content and asks for none', async ({ page, request }) => {
  const desk = await apiToken(request, DEMO.receptionist.email);
  const patientId = await registerPatient(request, desk, 'Unai', 'Lasa Mendia');
  const clinical: string[] = [];
  page.on('request', (r) => {
    if (/\/api\/(records|episodes|record-templates|measures)/.test(r.url())) clinical.push(r.url());
  });
  await login(page, DEMO.receptionist.email, DEMO.receptionist.name);
  await page.goto(`/patients/${patientId}`);
  await expect(page.getByRole('heading', { level: 1 })).toContainText('Unai Lasa Mendia');
  await expect(page.getByRole('region', { name: 'Citas', exact: true })).toBeVisible();
  await expect(page.getByRole('region', { name: 'Historia clínica' })).toHaveCount(0);
  await page.goto(`/records/new?patientId=${patientId}`);
  await expect(page.getByRole('heading', { name: 'Acceso no permitido' })).toBeVisible();
  expect(clinical).toEqual([]);
});

test('the admin reads who read whose history in the audit', async ({ page, request }) => {
  const desk = await apiToken(request, DEMO.receptionist.email);
  const laura = await apiToken(request, DEMO.practitioner.email);
  const patientId = await registerPatient(request, desk, 'Ane', 'Zubiri Olano');
  // Laura reads the patient's history: one audited read.
  await expect
    .poll(async () => (await request.get(`/api/records?patientId=${patientId}`, { headers: auth(laura) })).status(), {
      timeout: 20_000,
    })
    .toBe(200);

  await login(page, DEMO.admin.email, DEMO.admin.name);
  await page.getByRole('navigation', { name: 'Menú' }).getByRole('link', { name: 'Auditoría clínica' }).click();
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Auditoría de accesos a historias clínicas');
  await page.getByLabel('Usuario').selectOption({ label: DEMO.practitioner.name });
  await page.getByRole('button', { name: 'Filtrar' }).click();
  const row = page.getByTestId('audit-row').first();
  await expect(row).toContainText(DEMO.practitioner.name);
  await expect(row).toContainText('Historia clínica (página)');
  await expectAccessible(page, 'the audit');
});

test('on a phone the clinical history and the SOAP form fit the screen', { tag: '@phone' }, async ({
  page,
  request,
}) => {
  const desk = await apiToken(request, DEMO.receptionist.email);
  const patientId = await registerPatient(request, desk, 'Iker', 'Arana Sola');
  await login(page, DEMO.practitioner.email, DEMO.practitioner.name);
  await page.goto(`/patients/${patientId}`);
  const history = page.getByRole('region', { name: 'Historia clínica' });
  await expect(history).toBeVisible();
  await history.getByRole('button', { name: 'Nuevo episodio' }).click();
  const dialog = page.getByRole('dialog', { name: 'Nuevo episodio' });
  await dialog.getByLabel('Motivo de consulta').fill('Lumbalgia mecánica');
  await dialog.getByRole('button', { name: 'Abrir episodio' }).click();
  await expect(page.getByText('Episodio abierto.')).toBeVisible();
  await expectNoSideways(page);
  await expectAccessible(page, 'the clinical history on a phone');

  await history.getByRole('link', { name: 'Nueva nota' }).click();
  await expect(page.getByRole('combobox', { name: 'Episodio', exact: true })).toHaveValue(/.+/);
  await expectNoSideways(page);
  await expectAccessible(page, 'the SOAP form on a phone');
});

test('a pain score recorded in the dialog is charted with its table', async ({ page, request }) => {
  const desk = await apiToken(request, DEMO.receptionist.email);
  const patientId = await registerPatient(request, desk, 'Maite', 'Garate Ibarra');
  await login(page, DEMO.practitioner.email, DEMO.practitioner.name);
  await page.goto(`/patients/${patientId}`);
  const measures = page.getByRole('region', { name: 'Medidas de resultado' });
  await measures.getByRole('button', { name: 'Registrar una medida' }).click();
  const dialog = page.getByRole('dialog', { name: 'Registrar una medida' });
  await dialog.getByLabel('Instrumento').selectOption('NPRS');
  await dialog.getByLabel('Dolor EN (0–10, número entero)').fill('6');
  await dialog.getByRole('button', { name: 'Guardar medida' }).click();
  await expect(page.getByText('Medida registrada.')).toBeVisible();
  const table = measures.getByRole('table', { name: /Escala numérica del dolor/ });
  await expect(table).toContainText('6');
  await expect(measures.getByRole('img', { name: /Escala numérica del dolor/ })).toBeVisible();
  await expectAccessible(page, 'the outcome measures');
});

test('a PSFS names its activities, a note’s pain is charted, a discharged episode says how long it is kept', async ({
  page,
  request,
}) => {
  test.setTimeout(90_000);
  const desk = await apiToken(request, DEMO.receptionist.email);
  const laura = await apiToken(request, DEMO.practitioner.email);
  const patientId = await registerPatient(request, desk, 'Oihane', 'Etxeberria Sarasola');
  // Records learns of the patient from an event: the episode opens once it has arrived.
  let episodeId = '';
  await expect
    .poll(
      async () => {
        const opened = await request.post('/api/episodes', {
          headers: auth(laura),
          data: { patientId, reason: 'Gonalgia derecha', bodyRegion: 'rodilla' },
        });
        if (opened.status() === 201) episodeId = ((await opened.json()) as { id: string }).id;
        return opened.status();
      },
      { timeout: 20_000 },
    )
    .toBe(201);
  const today = new Date().toLocaleDateString('sv-SE', { timeZone: 'Europe/Madrid' });
  const written = await request.post('/api/records', {
    headers: auth(laura),
    data: { patientId, episodeId, type: 'treatment', date: today, subjective: 'Dolor al bajar escaleras.', painVas: 7 },
  });
  expect(written.status(), await written.text()).toBe(201);
  const entryId = ((await written.json()) as { id: string }).id;
  const signed = await request.post(`/api/records/${entryId}/sign`, { headers: auth(laura) });
  expect(signed.status(), await signed.text()).toBe(200);

  await login(page, DEMO.practitioner.email, DEMO.practitioner.name);
  await page.goto(`/patients/${patientId}`);
  const measures = page.getByRole('region', { name: 'Medidas de resultado' });

  // The note's pain, charted beside the outcome measures, with the table of its ratings.
  const pain = measures.getByTestId('pain-chart');
  await expect(pain.getByRole('heading', { name: 'Dolor a lo largo del tiempo' })).toBeVisible();
  await expect(pain.getByRole('img', { name: 'Dolor (0–10) a lo largo del tiempo' })).toBeVisible();
  const ratings = pain.getByRole('table', { name: 'Valoraciones del dolor' });
  await expect(ratings.getByRole('row')).toHaveCount(2);
  await expect(ratings.getByRole('row').nth(1)).toContainText('7/10');
  await expect(ratings.getByRole('row').nth(1)).toContainText('Nota: Tratamiento');

  // A PSFS with the name of each activity rated: shown in its chart's table.
  await measures.getByRole('button', { name: 'Registrar una medida', exact: true }).click();
  const dialog = page.getByRole('dialog', { name: 'Registrar una medida' });
  await dialog.getByLabel('Instrumento').selectOption('PSFS');
  await dialog.getByLabel('Actividad 1').fill('Bajar escaleras');
  await dialog.getByLabel('Puntuación 1 (0–10)').fill('3');
  await dialog.getByLabel('Actividad 2').fill('Ponerse de rodillas');
  await dialog.getByLabel('Puntuación 2 (0–10)').fill('6');
  await expectAccessible(page, 'the PSFS dialog');
  await dialog.getByRole('button', { name: 'Guardar medida' }).click();
  await expect(page.getByText('Medida registrada.')).toBeVisible();
  const psfs = measures.getByRole('table', { name: /Escala funcional específica del paciente/ });
  await expect(psfs).toContainText('Bajar escaleras: 3 · Ponerse de rodillas: 6');
  await expect(psfs).toContainText('4,5 de 10');
  await expectAccessible(page, 'the pain chart and the PSFS chart');

  // Discharged, the episode says until when its history is kept (Ley 41/2002: five years).
  const episodes = page.getByRole('region', { name: 'Episodios de atención' });
  await episodes.getByRole('button', { name: 'Dar de alta: Gonalgia derecha' }).click();
  const discharge = page.getByRole('dialog', { name: 'Alta del episodio «Gonalgia derecha»' });
  await discharge.getByLabel('Motivo del alta').fill('Objetivos alcanzados');
  await discharge.getByRole('button', { name: 'Dar de alta' }).click();
  const keptUntil = Number(today.slice(0, 4)) + 5;
  await expect(episodes.getByText(new RegExp(`Se conserva al menos hasta el \\d{1,2} \\S+ ${keptUntil}`))).toBeVisible();
  await expectAccessible(page, 'a discharged episode');
});
