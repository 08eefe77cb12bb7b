import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it } from 'vitest';
import type { EpisodeOutcomes, Measure } from '../../../api/records';
import { problem } from '../../../test/fakeServer';
import { receptionist } from '../../../test/fixtures';
import { isRecordsUrl, page, recordsServer } from '../../../test/recordsFixtures';
import { renderApp } from '../../../test/renderApp';

function odi(overrides: Partial<Measure> = {}): Measure {
  return {
    id: 'm-1',
    patientId: 'p-jose',
    episodeId: 'ep-1',
    instrument: 'ODI',
    name: 'Oswestry Disability Index 2.1a',
    answers: [3, 3, 3, 3, 3, 3, 3, 3, 3, 3],
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

describe('outcome measures in the clinical history', () => {
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
    await choose(user, dialog, [1, 2, 3, 5, 6, 7, 8, 9, 10].map((item) => [`Ítem ${item} (0–5)`, String(item % 6)]));
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
    await choose(user, dialog, Array.from({ length: 11 }, (_, i) => [`Ítem ${i + 1} (1–5)`, '2']));
    await user.click(within(dialog).getByRole('button', { name: 'Guardar medida' }));
    const item4 = within(dialog).getByLabelText('Ítem 4 (1–5)');
    await waitFor(() => expect(item4).toHaveAttribute('aria-invalid', 'true'));
    expect(item4).toHaveAccessibleDescription('Elige un valor entero entre 1 y 5.');
    expect(within(dialog).getByLabelText('Ítem 3 (1–5)')).not.toHaveAttribute('aria-invalid');
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
    const image = within(chart).getByRole('img');
    expect(image.getAttribute('aria-label')).toContain('Índice de discapacidad de Oswestry (ODI): 2 medidas');
    expect(image.getAttribute('aria-label')).toContain('primera 60, última 35,6');
    const table = within(chart).getByRole('table', { name: 'Puntuaciones de Índice de discapacidad de Oswestry (ODI)' });
    const rows = within(table).getAllByRole('row');
    expect(rows).toHaveLength(3);
    expect(rows[1]).toHaveTextContent('20 nov 2026');
    expect(rows[1]).toHaveTextContent('60 de 100');
    expect(rows[2]).toHaveTextContent('35,6 de 100 · 1 sin responder');
    expect(within(chart).getByText(/primera puntuación − MCID \(10\) = 50/)).toBeInTheDocument();
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
