import { act, configure, screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { beforeAll, describe, expect, it } from 'vitest';
import type { EpisodeOutcomes, Measure } from '../../../api/records';
import { setLocale } from '../../../i18n/i18n';
import { problem } from '../../../test/fakeServer';
import { receptionist } from '../../../test/fixtures';
import { isRecordsUrl, page, paged, recordsServer } from '../../../test/recordsFixtures';
import { renderApp } from '../../../test/renderApp';

const ODI_ES = ['Intensidad del dolor', 'Cuidados personales', 'Levantar peso', 'Andar', 'Estar sentado', 'Estar de pie', 'Dormir', 'Actividad sexual', 'Vida social', 'Viajar'];
const NDI_ES = ['Intensidad del dolor', 'Cuidados personales', 'Levantar peso', 'Leer', 'Dolor de cabeza', 'Concentración', 'Trabajo', 'Conducir', 'Dormir', 'Ocio'];
const QUICKDASH_ES = [
  'Abrir un frasco apretado',
  'Tareas domésticas pesadas',
  'Llevar una bolsa de la compra',
  'Lavarse la espalda',
  'Cortar la comida con cuchillo',
  'Ocio con fuerza o impacto en el brazo',
  'Actividades sociales',
  'Trabajo y actividades diarias',
  'Dolor de brazo, hombro o mano',
  'Hormigueo',
  'Dormir a pesar del dolor',
];
/** The label of item `n` (1-based) of a questionnaire: its number, its heading and its range. */
const itemOf = (names: string[], n: number, range: string) => `${n}. ${names[n - 1]} (${range})`;

function odi(overrides: Partial<Measure> = {}): Measure {
  return {
    id: 'm-1',
    patientId: 'p-jose',
    episodeId: 'ep-1',
    instrument: 'ODI',
    name: 'Oswestry Disability Index 2.1a',
    answers: [3, 3, 3, 3, 3, 3, 3, 3, 3, 3],
    activities: null,
    score: 60,
    percent: 60,
    scoreMax: 100,
    unit: '%',
    answered: 10,
    missing: 0,
    takenOn: '2026-11-20',
    takenBy: 'u-laura',
    direction: 'lower_is_better',
    mcid: 10,
    createdAt: '2026-11-20T10:00:00Z',
    ...overrides,
  };
}

/** A PSFS measure with its activity names (the API's `activities`). */
function psfs(overrides: Partial<Measure> & { activities: string[] }): Measure {
  return odi({ instrument: 'PSFS', name: 'Patient-Specific Functional Scale', scoreMax: 10, unit: 'points', direction: 'higher_is_better', mcid: 2, percent: null, ...overrides });
}

/** The calendar date `n` days after 1 Jan 2026. */
const dayOf2026 = (n: number) => new Date(Date.UTC(2026, 0, 1 + n)).toISOString().slice(0, 10);

/** Choose each [label, value] in turn (one after the other, like a person would). */
async function choose(user: ReturnType<typeof userEvent.setup>, dialog: HTMLElement, choices: string[][]) {
  await choices.reduce(async (previous, [label, value]) => {
    await previous;
    await user.selectOptions(within(dialog).getByLabelText(label!), value!);
  }, Promise.resolve());
}

const outcomes: EpisodeOutcomes = {
  episodeId: 'ep-1',
  patientId: 'p-jose',
  openedOn: '2026-11-20',
  dischargedOn: null,
  outcomes: [
    {
      instrument: 'ODI',
      name: 'Oswestry Disability Index 2.1a',
      direction: 'lower_is_better',
      unit: '%',
      count: 2,
      baseline: { measureId: 'm-1', takenOn: '2026-11-20', score: 60 },
      latest: { measureId: 'm-2', takenOn: '2026-12-02', score: 35.6 },
      discharge: null,
      change: 24.4,
      mcid: 10,
      mcidSource: 'Ostelo et al. 2008',
      reachesMcid: true,
    },
  ],
};

// A whole app per test, with dialogs of eleven selects: on a busy shared machine the defaults
// (1 s for a findBy, 5 s for a test) are too short; the assertions stay the same.
describe('outcome measures in the clinical history', { timeout: 30_000 }, () => {
  // The patient page and the chart (Recharts) are lazy modules: load them once, up front, so the
  // first test does not pay for the imports.
  beforeAll(async () => {
    configure({ asyncUtilTimeout: 5_000 });
    await Promise.all([import('../../patients/PatientDetailPage'), import('./ScoreLineChart')]);
  }, 60_000);

  it('records a valid ODI from the episode, with an idempotency key', async () => {
    const server = recordsServer().on('POST /api/measures', (request) => ({
      status: 201,
      body: odi({ id: 'm-9', ...(request.body as object) }),
    }));
    await renderApp(server, '/patients/p-jose');
    const user = userEvent.setup();
    await user.click(await screen.findByRole('button', { name: 'Registrar una medida en el episodio Lumbalgia mecánica' }));
    const dialog = screen.getByRole('dialog', { name: 'Registrar una medida' });
    expect(within(dialog).getByLabelText('Instrumento')).toHaveValue('ODI');
    expect(within(dialog).getByLabelText('Episodio')).toHaveValue('ep-1');
    await user.clear(within(dialog).getByLabelText('Fecha de la medida'));
    await user.type(within(dialog).getByLabelText('Fecha de la medida'), '2026-12-01');
    // Section 4 not answered: the ODI allows it.
    await choose(user, dialog, [1, 2, 3, 5, 6, 7, 8, 9, 10].map((item) => [itemOf(ODI_ES, item, '0–5'), String(item % 6)]));
    await user.click(within(dialog).getByRole('button', { name: 'Guardar medida' }));
    expect(await screen.findByText('Medida registrada.')).toBeInTheDocument();
    expect(screen.queryByRole('dialog')).not.toBeInTheDocument();
    const [call] = server.calls('POST /api/measures');
    expect(call!.body).toEqual({
      patientId: 'p-jose',
      episodeId: 'ep-1',
      instrument: 'ODI',
      answers: [1, 2, 3, null, 5, 0, 1, 2, 3, 4],
      takenOn: '2026-12-01',
    });
    expect(call!.headers.get('Idempotency-Key')).toMatch(/^[0-9a-f-]{36}$/);
    expect(server.calls('GET /api/measures').length).toBeGreaterThan(1);
  });

  it('refuses too many unanswered items without asking the server', async () => {
    const server = recordsServer();
    await renderApp(server, '/patients/p-jose');
    const user = userEvent.setup();
    const section = await screen.findByRole('region', { name: 'Medidas de resultado' });
    await user.click(within(section).getByRole('button', { name: 'Registrar una medida' }));
    const dialog = screen.getByRole('dialog', { name: 'Registrar una medida' });
    await user.click(within(dialog).getByRole('button', { name: 'Guardar medida' }));
    expect(within(dialog).getByText('Demasiados ítems sin responder: como máximo 2.')).toBeInTheDocument();
    expect(server.calls('POST /api/measures')).toEqual([]);
  });

  it('shows a 422 on answers.3 at item 4 and on takenOn at the date, keeping what was typed', async () => {
    const server = recordsServer().on(
      'POST /api/measures',
      problem(422, {
        errors: [
          { field: 'answers.3', message: 'must be a whole number from 1 to 5' },
          { field: 'takenOn', message: 'cannot be in the future' },
        ],
      }),
    );
    await renderApp(server, '/patients/p-jose');
    const user = userEvent.setup();
    const section = await screen.findByRole('region', { name: 'Medidas de resultado' });
    await user.click(within(section).getByRole('button', { name: 'Registrar una medida' }));
    const dialog = screen.getByRole('dialog', { name: 'Registrar una medida' });
    await user.selectOptions(within(dialog).getByLabelText('Instrumento'), 'QuickDASH');
    await choose(user, dialog, Array.from({ length: 11 }, (_, i) => [itemOf(QUICKDASH_ES, i + 1, '1–5'), '2']));
    await user.click(within(dialog).getByRole('button', { name: 'Guardar medida' }));
    const item4 = within(dialog).getByLabelText('4. Lavarse la espalda (1–5)');
    await waitFor(() => expect(item4).toHaveAttribute('aria-invalid', 'true'));
    expect(item4).toHaveAccessibleDescription('Elige un valor entero entre 1 y 5.');
    expect(within(dialog).getByLabelText('3. Llevar una bolsa de la compra (1–5)')).not.toHaveAttribute('aria-invalid');
    expect(within(dialog).getByLabelText('Fecha de la medida')).toHaveAccessibleDescription(
      'Escribe una fecha válida que no sea futura.',
    );
    expect(item4).toHaveValue('2');
    expect(within(dialog).getByLabelText('Instrumento')).toHaveValue('QuickDASH');
    expect((server.calls('POST /api/measures')[0]!.body as { instrument: string }).instrument).toBe('QuickDASH');
  });

  it('charts each instrument with a labelled image and a table of the same numbers', async () => {
    const server = recordsServer().on(
      'GET /api/measures',
      page([odi(), odi({ id: 'm-2', takenOn: '2026-12-02', score: 35.6, missing: 1, answered: 9 })], false, '/api/measures'),
    );
    await renderApp(server, '/patients/p-jose');
    const chart = (await screen.findAllByTestId('measure-chart'))[0]!;
    // The Recharts chart: one image named by its SVG title and summed up by its description.
    const image = await within(chart).findByRole('img', {
      name: 'Índice de discapacidad de Oswestry (ODI): puntuación a lo largo del tiempo',
    });
    expect(image.tagName.toLowerCase()).toBe('svg');
    expect(image.querySelector('desc')).toHaveTextContent(
      'Índice de discapacidad de Oswestry (ODI): 2 medidas del 20 nov 2026 al 2 dic 2026; primera 60, última 35,6 (escala 0–100; cambio importante en 50).',
    );
    // One dot per measure, on a line, and the MCID's dashed reference line, labelled.
    expect(image.querySelectorAll('.recharts-line-dot')).toHaveLength(2);
    expect(image.querySelector('.recharts-line-curve')).toBeInTheDocument();
    const mcidLine = image.querySelector('.recharts-reference-line-line');
    expect(mcidLine).toHaveAttribute('stroke-dasharray', '4 3');
    expect([...image.querySelectorAll('text')].map((text) => text.textContent)).toContain('MCID');
    // The baseline (60) is drawn above the MCID target (50), which is above the latest (35,6).
    const [baseline, latest] = [...image.querySelectorAll('.recharts-line-dot')].map((dot) => Number(dot.getAttribute('cy')));
    const target = Number(mcidLine!.getAttribute('y1'));
    expect(baseline).toBeLessThan(target);
    expect(target).toBeLessThan(latest!);
    const table = within(chart).getByRole('table', { name: 'Puntuaciones de Índice de discapacidad de Oswestry (ODI)' });
    const rows = within(table).getAllByRole('row');
    expect(rows).toHaveLength(3);
    expect(rows[1]).toHaveTextContent('20 nov 2026');
    expect(rows[1]).toHaveTextContent('60 de 100');
    expect(rows[2]).toHaveTextContent('35,6 de 100 · 1 sin responder');
    expect(within(chart).getByText(/primera puntuación − MCID \(10\) = 50/)).toBeInTheDocument();
  });

  it('charts every measure of a patient with more than a page of them, the newest included', async () => {
    // 130 ODIs, one a day from 1 Jan 2026 (oldest first, as the API sends them): the API pages
    // 100 at most, so the newest 30 are on page 2; the last one scores 12.
    const measures = Array.from({ length: 130 }, (_, n) => odi({ id: `m-${n}`, takenOn: dayOf2026(n), score: n === 129 ? 12 : 60 }));
    const server = recordsServer().on('GET /api/measures', paged(measures, '/api/measures'));
    await renderApp(server, '/patients/p-jose');
    const chart = (await screen.findAllByTestId('measure-chart'))[0]!;
    const table = within(chart).getByRole('table', { name: 'Puntuaciones de Índice de discapacidad de Oswestry (ODI)' });
    const rows = within(table).getAllByRole('row');
    expect(rows).toHaveLength(131);
    expect(rows.at(-1)).toHaveTextContent('10 may 2026');
    expect(rows.at(-1)).toHaveTextContent('12 de 100');
    const image = await within(chart).findByRole('img', { name: /ODI/ });
    expect(image.querySelector('desc')).toHaveTextContent('130 medidas del 1 ene 2026 al 10 may 2026; primera 60, última 12');
    expect(server.calls('GET /api/measures').map((call) => [call.params.page, call.params.itemsPerPage])).toEqual([
      [1, 100],
      [2, 100],
    ]);
  });

  it('lets the keyboard step through the chart’s measures with the arrow keys', async () => {
    const server = recordsServer().on(
      'GET /api/measures',
      page([odi(), odi({ id: 'm-2', takenOn: '2026-12-02', score: 35.6 })], false, '/api/measures'),
    );
    await renderApp(server, '/patients/p-jose');
    const user = userEvent.setup();
    const chart = (await screen.findAllByTestId('measure-chart'))[0]!;
    const image = await within(chart).findByRole('img', { name: /ODI/ });
    expect(image).toHaveAttribute('tabindex', '0');
    expect(within(chart).queryByRole('status')).not.toBeInTheDocument();
    // The next Tab stop after "Record a measure", like any control; focusing it shows the first
    // measure's tooltip.
    const section = screen.getByRole('region', { name: 'Medidas de resultado' });
    act(() => within(section).getAllByRole('button', { name: 'Registrar una medida' })[0]!.focus());
    await user.tab();
    expect(image).toHaveFocus();
    const status = await within(chart).findByRole('status');
    await waitFor(() => expect(status).toHaveTextContent('20 nov 2026'));
    expect(status).toHaveTextContent('60 de 100');
    await user.keyboard('{ArrowRight}');
    await waitFor(() => expect(status).toHaveTextContent('2 dic 2026'));
    expect(status).toHaveTextContent('35,6 de 100');
    await user.keyboard('{ArrowLeft}');
    await waitFor(() => expect(status).toHaveTextContent('20 nov 2026'));
    expect(within(chart).getByText(/las flechas izquierda y derecha recorren las medidas/)).toBeInTheDocument();
  });

  it('labels every item of the ODI, NDI and QuickDASH by its section, in Spanish and English', async () => {
    await renderApp(recordsServer(), '/patients/p-jose');
    const user = userEvent.setup();
    const section = await screen.findByRole('region', { name: 'Medidas de resultado' });
    await user.click(within(section).getByRole('button', { name: 'Registrar una medida' }));
    const dialog = screen.getByRole('dialog', { name: 'Registrar una medida' });
    const labels = () => within(dialog).getAllByRole('combobox').slice(2).map((select) => select.id && document.querySelector(`label[for="${select.id}"]`)!.textContent);
    expect(labels()).toEqual(ODI_ES.map((_, i) => itemOf(ODI_ES, i + 1, '0–5')));
    await user.selectOptions(within(dialog).getByLabelText('Instrumento'), 'NDI');
    expect(labels()).toEqual(NDI_ES.map((_, i) => itemOf(NDI_ES, i + 1, '0–5')));
    await user.selectOptions(within(dialog).getByLabelText('Instrumento'), 'QuickDASH');
    expect(labels()).toEqual(QUICKDASH_ES.map((_, i) => itemOf(QUICKDASH_ES, i + 1, '1–5')));
    expect(within(dialog).queryByText(/Ítem/)).not.toBeInTheDocument();
  });

  it('labels the items in English when the app is in English', async () => {
    await setLocale('en');
    await renderApp(recordsServer(), '/patients/p-jose');
    const user = userEvent.setup();
    const section = await screen.findByRole('region', { name: 'Outcome measures' });
    await user.click(within(section).getByRole('button', { name: 'Record a measure' }));
    const dialog = screen.getByRole('dialog', { name: 'Record a measure' });
    expect(within(dialog).getByLabelText('8. Sex life (0–5)')).toBeInTheDocument();
    expect(within(dialog).getByLabelText('10. Travelling (0–5)')).toBeInTheDocument();
    await user.selectOptions(within(dialog).getByLabelText('Instrument'), 'NDI');
    expect(within(dialog).getByLabelText('5. Headaches (0–5)')).toBeInTheDocument();
    expect(within(dialog).getByLabelText('10. Recreation (0–5)')).toBeInTheDocument();
    await user.selectOptions(within(dialog).getByLabelText('Instrument'), 'QuickDASH');
    expect(within(dialog).getByLabelText('1. Opening a tight jar (1–5)')).toBeInTheDocument();
    expect(within(dialog).getByLabelText('10. Tingling (pins and needles) (1–5)')).toBeInTheDocument();
  });

  it('records a PSFS with the name of each rated activity', async () => {
    const server = recordsServer().on('POST /api/measures', (request) => ({
      status: 201,
      body: odi({ id: 'm-9', instrument: 'PSFS', ...(request.body as object) }),
    }));
    await renderApp(server, '/patients/p-jose');
    const user = userEvent.setup();
    const section = await screen.findByRole('region', { name: 'Medidas de resultado' });
    await user.click(within(section).getByRole('button', { name: 'Registrar una medida' }));
    const dialog = screen.getByRole('dialog', { name: 'Registrar una medida' });
    await user.selectOptions(within(dialog).getByLabelText('Instrumento'), 'PSFS');
    expect(within(dialog).getByLabelText('Actividad 1')).toHaveAttribute('maxlength', '100');
    await user.type(within(dialog).getByLabelText('Actividad 1'), '  Subir escaleras ');
    await user.type(within(dialog).getByLabelText('Puntuación 1 (0–10)'), '3');
    await user.type(within(dialog).getByLabelText('Actividad 3'), 'Correr 5 km');
    await user.type(within(dialog).getByLabelText('Puntuación 3 (0–10)'), '8');
    await user.click(within(dialog).getByRole('button', { name: 'Guardar medida' }));
    expect(await screen.findByText('Medida registrada.')).toBeInTheDocument();
    const [call] = server.calls('POST /api/measures');
    expect(call!.body).toEqual({
      patientId: 'p-jose',
      episodeId: 'ep-1',
      instrument: 'PSFS',
      answers: [3, 8],
      activities: ['Subir escaleras', 'Correr 5 km'],
      takenOn: expect.stringMatching(/^\d{4}-\d{2}-\d{2}$/),
    });
  });

  it('asks for the name of a rated activity and the rating of a named one before sending', async () => {
    const server = recordsServer();
    await renderApp(server, '/patients/p-jose');
    const user = userEvent.setup();
    const section = await screen.findByRole('region', { name: 'Medidas de resultado' });
    await user.click(within(section).getByRole('button', { name: 'Registrar una medida' }));
    const dialog = screen.getByRole('dialog', { name: 'Registrar una medida' });
    await user.selectOptions(within(dialog).getByLabelText('Instrumento'), 'PSFS');
    await user.type(within(dialog).getByLabelText('Puntuación 1 (0–10)'), '4');
    await user.type(within(dialog).getByLabelText('Actividad 2'), 'Agacharse');
    await user.click(within(dialog).getByRole('button', { name: 'Guardar medida' }));
    const name1 = within(dialog).getByLabelText('Actividad 1');
    expect(name1).toHaveAttribute('aria-invalid', 'true');
    expect(name1).toHaveAccessibleDescription('Escribe el nombre de la actividad que se puntúa.');
    expect(name1).toHaveFocus();
    expect(within(dialog).getByLabelText('Puntuación 2 (0–10)')).toHaveAccessibleDescription(
      'Puntúa esta actividad de 0 a 10 o borra su nombre.',
    );
    expect(within(dialog).getByLabelText('Actividad 2')).not.toHaveAttribute('aria-invalid');
    expect(server.calls('POST /api/measures')).toEqual([]);
    // Typing the name clears its error.
    await user.type(name1, 'Ponerse los calcetines');
    expect(name1).not.toHaveAttribute('aria-invalid');
  });

  it('shows the server’s 422 on activities.1 at the second activity sent', async () => {
    const server = recordsServer().on(
      'POST /api/measures',
      problem(422, { errors: [{ field: 'activities.1', message: 'must name the activity' }] }),
    );
    await renderApp(server, '/patients/p-jose');
    const user = userEvent.setup();
    const section = await screen.findByRole('region', { name: 'Medidas de resultado' });
    await user.click(within(section).getByRole('button', { name: 'Registrar una medida' }));
    const dialog = screen.getByRole('dialog', { name: 'Registrar una medida' });
    await user.selectOptions(within(dialog).getByLabelText('Instrumento'), 'PSFS');
    await user.type(within(dialog).getByLabelText('Actividad 1'), 'Correr');
    await user.type(within(dialog).getByLabelText('Puntuación 1 (0–10)'), '5');
    await user.type(within(dialog).getByLabelText('Actividad 4'), 'Saltar');
    await user.type(within(dialog).getByLabelText('Puntuación 4 (0–10)'), '2');
    await user.click(within(dialog).getByRole('button', { name: 'Guardar medida' }));
    const name4 = within(dialog).getByLabelText('Actividad 4');
    await waitFor(() => expect(name4).toHaveAttribute('aria-invalid', 'true'));
    expect(within(dialog).getByLabelText('Actividad 1')).not.toHaveAttribute('aria-invalid');
    expect(name4).toHaveValue('Saltar');
  });

  it('shows each PSFS activity with its rating in the chart’s table and tooltip', async () => {
    const server = recordsServer().on(
      'GET /api/measures',
      page(
        [
          psfs({ id: 'm-1', answers: [3, 2], score: 2.5, activities: ['Subir escaleras', 'Correr 5 km'], takenOn: '2026-11-20' }),
          psfs({ id: 'm-2', answers: [7, 6], score: 6.5, activities: ['Subir escaleras', 'Correr 5 km'], takenOn: '2026-12-10' }),
        ],
        false,
        '/api/measures',
      ),
    );
    await renderApp(server, '/patients/p-jose');
    const user = userEvent.setup();
    const chart = (await screen.findAllByTestId('measure-chart'))[0]!;
    const table = within(chart).getByRole('table', { name: 'Puntuaciones de Escala funcional específica del paciente (PSFS)' });
    expect(within(table).getByRole('columnheader', { name: 'Actividades' })).toBeInTheDocument();
    const rows = within(table).getAllByRole('row');
    expect(rows[1]).toHaveTextContent('2,5 de 10');
    expect(rows[1]).toHaveTextContent('Subir escaleras: 3 · Correr 5 km: 2');
    expect(rows[2]).toHaveTextContent('Subir escaleras: 7 · Correr 5 km: 6');
    // Higher is better: the dashed line is the first score + MCID.
    expect(within(chart).getByText(/primera puntuación \+ MCID \(2\) = 4,5/)).toBeInTheDocument();
    const image = await within(chart).findByRole('img', { name: /PSFS/ });
    expect(image.querySelectorAll('.recharts-line-dot')).toHaveLength(2);
    act(() => image.focus());
    const status = await within(chart).findByRole('status');
    await waitFor(() => expect(status).toHaveTextContent('Subir escaleras: 3 · Correr 5 km: 2'));
    await user.keyboard('{ArrowRight}');
    await waitFor(() => expect(status).toHaveTextContent('Subir escaleras: 7 · Correr 5 km: 6'));
    expect(status).toHaveTextContent('6,5 de 10');
  });

  it('shows each episode’s outcomes: baseline → latest, change and MCID', async () => {
    const server = recordsServer().on('GET /api/episodes/ep-1/outcomes', { status: 200, body: outcomes });
    await renderApp(server, '/patients/p-jose');
    const block = await screen.findByRole('region', { name: 'Resultados del episodio: Lumbalgia mecánica' });
    const [row] = await within(block).findAllByTestId('outcome-row');
    expect(within(row!).getByRole('rowheader')).toHaveTextContent('Índice de discapacidad de Oswestry (ODI)');
    expect(row).toHaveTextContent('60 (20 nov 2026)');
    expect(row).toHaveTextContent('35,6 (2 dic 2026)');
    expect(row).toHaveTextContent('+24,4');
    expect(row).toHaveTextContent('MCID alcanzada (≥ 10)');
  });

  it('downloads the clinical history as a PDF with the session’s token', async () => {
    const server = recordsServer().on('GET /api/patients/p-jose/clinical-history.pdf', {
      status: 200,
      body: new Blob(['%PDF-1.7'], { type: 'application/pdf' }),
      headers: { 'content-disposition': 'attachment; filename="historia.pdf"' },
    });
    URL.createObjectURL = () => 'blob:fake';
    URL.revokeObjectURL = () => undefined;
    await renderApp(server, '/patients/p-jose');
    const user = userEvent.setup();
    await user.click(await screen.findByRole('button', { name: 'Descargar la historia clínica (PDF)' }));
    await waitFor(() => expect(server.calls('GET /api/patients/p-jose/clinical-history.pdf')).toHaveLength(1));
    const [call] = server.calls('GET /api/patients/p-jose/clinical-history.pdf');
    expect(call!.params).toEqual({ lang: 'es' });
    expect(call!.headers.get('Authorization')).toMatch(/^Bearer /);
  });

  it('offers each further part of a very long history after the first download', async () => {
    const server = recordsServer().on('GET /api/patients/p-jose/clinical-history.pdf', (request) => ({
      status: 200,
      body: new Blob(['%PDF-1.7'], { type: 'application/pdf' }),
      headers: {
        'content-disposition': `attachment; filename="historia-${String(request.params.part ?? 1)}.pdf"`,
        'clinical-history-parts': '3',
      },
    }));
    URL.createObjectURL = () => 'blob:fake';
    URL.revokeObjectURL = () => undefined;
    await renderApp(server, '/patients/p-jose');
    const user = userEvent.setup();
    await user.click(await screen.findByRole('button', { name: 'Descargar la historia clínica (PDF)' }));
    expect(await screen.findByText(/se entrega en 3 partes de hasta 200 anotaciones/)).toBeInTheDocument();
    expect(screen.getByRole('button', { name: 'Parte 1 de 3 (PDF)' })).toBeInTheDocument();
    await user.click(screen.getByRole('button', { name: 'Parte 3 de 3 (PDF)' }));
    const route = 'GET /api/patients/p-jose/clinical-history.pdf';
    await waitFor(() => expect(server.calls(route)).toHaveLength(2));
    expect(server.calls(route).map((call) => call.params)).toEqual([{ lang: 'es' }, { lang: 'es', part: 3 }]);
  });

  it('a receptionist sees no measures, charts, outcomes or PDF, and nothing is asked', async () => {
    const server = recordsServer(receptionist);
    await renderApp(server, '/patients/p-jose');
    await screen.findByRole('region', { name: 'Citas' });
    expect(screen.queryByRole('region', { name: 'Medidas de resultado' })).not.toBeInTheDocument();
    expect(screen.queryByRole('button', { name: /Registrar una medida/ })).not.toBeInTheDocument();
    expect(screen.queryByRole('button', { name: /PDF/ })).not.toBeInTheDocument();
    expect(server.requests.filter((request) => isRecordsUrl(request.url) || request.url.includes('clinical-history'))).toEqual([]);
  });
});
