import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it } from 'vitest';
import type { Entry, Episode } from '../../api/records';
import { problem } from '../../test/fakeServer';
import { admin, practitioner } from '../../test/fixtures';
import { entryRecord, episodeRecord, page, paged, recordsServer } from '../../test/recordsFixtures';
import { renderApp } from '../../test/renderApp';

const signedNote = entryRecord({
  amendments: [
    { id: 'am-1', authorId: 'u-laura', text: 'La flexión era de 50°, no 60°.', signedAt: '2026-12-02T12:00:00Z' },
  ],
});
const myDraft = entryRecord({
  id: 'e-2',
  type: 'evolution',
  date: '2026-12-03',
  status: 'draft',
  subjective: 'Borrador de hoy.',
  objective: null,
  assessment: null,
  plan: null,
  painVas: null,
  signedBy: null,
  signedAt: null,
  version: 1,
});
const othersDraft = entryRecord({ ...myDraft, id: 'e-3', authorId: 'u-pablo' });

describe('the clinical history on the patient page', () => {
  it('shows the notes newest first, with badges, SOAP, pain, author and amendments under the original', async () => {
    const server = recordsServer().on('GET /api/records', page([myDraft, signedNote]));
    await renderApp(server, '/patients/p-jose');
    const history = await screen.findByRole('region', { name: 'Historia clínica' });
    const notes = await within(history).findAllByTestId('record-entry');
    expect(notes).toHaveLength(2);
    const [draft, signed] = notes as [HTMLElement, HTMLElement];
    expect(within(draft).getByRole('heading', { level: 4 })).toHaveTextContent('Evolución · 3 dic 2026');
    expect(within(draft).getByText('Borrador')).toBeInTheDocument();
    expect(within(draft).getByText('Escrita por Laura Martínez')).toBeInTheDocument();
    expect(within(draft).getByRole('link', { name: 'Editar borrador: Evolución del 3 dic 2026' })).toHaveAttribute(
      'href',
      '/records/e-2/edit',
    );
    expect(within(draft).queryByRole('button', { name: /Añadir enmienda/ })).not.toBeInTheDocument();

    expect(within(signed).getByRole('heading', { level: 4 })).toHaveTextContent('Tratamiento · 2 dic 2026');
    expect(within(signed).getByText('Firmada')).toBeInTheDocument();
    expect(within(signed).getByText(/^Firmada por Laura Martínez el/)).toBeInTheDocument();
    expect(within(signed).getByText('Subjetivo (S)')).toBeInTheDocument();
    expect(within(signed).getByText('Flexión lumbar 60°.')).toBeInTheDocument();
    expect(within(signed).getByTestId('entry-pain')).toHaveTextContent('4/10');
    const amendments = within(signed).getByRole('region', { name: 'Enmiendas' });
    expect(within(amendments).getByText('La flexión era de 50°, no 60°.')).toBeInTheDocument();
    expect(within(signed).queryByRole('link', { name: /Editar borrador/ })).not.toBeInTheDocument();
  });

  it('offers no edit on someone else’s draft', async () => {
    const server = recordsServer(admin).on('GET /api/records', page([othersDraft]));
    await renderApp(server, '/patients/p-jose');
    const [note] = await screen.findAllByTestId('record-entry');
    expect(within(note!).getByText('Escrita por Pablo Ruiz')).toBeInTheDocument();
    expect(within(note!).queryByRole('link', { name: /Editar borrador/ })).not.toBeInTheDocument();
  });

  it('loads the next page on "show more" (N+1: the API says whether there is one)', async () => {
    const older = entryRecord({ id: 'e-0', date: '2026-11-20', type: 'assessment' });
    const server = recordsServer().on('GET /api/records', (request) =>
      request.params.page === 1 ? page([signedNote], true) : page([older]),
    );
    await renderApp(server, '/patients/p-jose');
    const user = userEvent.setup();
    await user.click(await screen.findByRole('button', { name: 'Ver más' }));
    await waitFor(() => expect(screen.getAllByTestId('record-entry')).toHaveLength(2));
    expect(server.calls('GET /api/records').map((call) => call.params.page)).toEqual([1, 2]);
    expect(screen.queryByRole('button', { name: 'Ver más' })).not.toBeInTheDocument();
  });

  it('amends a signed note in a dialog and shows the amendment under it', async () => {
    let current: Entry = entryRecord();
    const server = recordsServer()
      .on('GET /api/records', () => page([current]))
      .on('POST /api/records/e-1/amendments', (request) => {
        const { text } = request.body as { text: string };
        current = {
          ...current,
          amendments: [{ id: 'am-9', authorId: 'u-laura', text, signedAt: '2026-12-03T12:00:00Z' }],
        };
        return { status: 201, body: current };
      });
    await renderApp(server, '/patients/p-jose');
    const user = userEvent.setup();
    await user.click(await screen.findByRole('button', { name: 'Añadir enmienda: Tratamiento del 2 dic 2026' }));
    const dialog = screen.getByRole('dialog', { name: 'Enmendar una nota firmada' });
    await user.click(within(dialog).getByRole('button', { name: 'Firmar enmienda' }));
    expect(within(dialog).getByText('Escribe la corrección.')).toBeInTheDocument();
    expect(within(dialog).getByLabelText('Texto de la enmienda')).toHaveFocus();
    await user.type(within(dialog).getByLabelText('Texto de la enmienda'), 'EVA era 5.');
    await user.click(within(dialog).getByRole('button', { name: 'Firmar enmienda' }));

    expect(await screen.findByText('Enmienda firmada.')).toBeInTheDocument();
    expect(screen.queryByRole('dialog')).not.toBeInTheDocument();
    expect(await screen.findByText('EVA era 5.')).toBeInTheDocument();
    const [amend] = server.calls('POST /api/records/e-1/amendments');
    expect(amend!.body).toEqual({ text: 'EVA era 5.' });
    expect(amend!.headers.get('Idempotency-Key')).toMatch(/^[0-9a-f-]{36}$/);
  });

  it('lists the episodes, opens a new one and discharges one', async () => {
    let episodes: Episode[] = [episodeRecord(), episodeRecord({ id: 'ep-0', reason: 'Cervicalgia', dischargedOn: '2026-06-01', dischargeReason: 'Objetivos alcanzados', openedOn: '2026-05-01' })];
    const server = recordsServer(practitioner)
      .on('GET /api/episodes', () => page(episodes, false, '/api/episodes'))
      .on('POST /api/episodes', (request) => {
        const body = request.body as { reason: string; bodyRegion: string | null };
        const opened = episodeRecord({ id: 'ep-2', reason: body.reason, bodyRegion: body.bodyRegion, openedOn: '2026-12-03' });
        episodes = [opened, ...episodes];
        return { status: 201, body: opened };
      })
      .on('POST /api/episodes/ep-1/discharge', (request) => {
        episodes = episodes.map((episode) =>
          episode.id === 'ep-1'
            ? { ...episode, dischargedOn: '2026-12-03', dischargeReason: (request.body as { reason: string }).reason, version: 2 }
            : episode,
        );
        return { status: 200, body: episodes.find((episode) => episode.id === 'ep-1') };
      });
    await renderApp(server, '/patients/p-jose');
    const panel = await screen.findByRole('region', { name: 'Episodios de atención' });
    const rows = await within(panel).findAllByTestId('episode');
    expect(rows[0]).toHaveTextContent('Lumbalgia mecánica · lumbar');
    expect(rows[0]).toHaveTextContent('Abierto desde el 20 nov 2026');
    expect(rows[1]).toHaveTextContent('Cervicalgia');
    expect(rows[1]).toHaveTextContent('Motivo del alta: Objetivos alcanzados');

    const user = userEvent.setup();
    await user.click(within(panel).getByRole('button', { name: 'Nuevo episodio' }));
    let dialog = screen.getByRole('dialog', { name: 'Nuevo episodio' });
    await user.type(within(dialog).getByLabelText('Motivo de consulta'), 'Hombro doloroso');
    await user.type(within(dialog).getByLabelText('Región corporal'), 'hombro');
    await user.click(within(dialog).getByRole('button', { name: 'Abrir episodio' }));
    expect(await within(panel).findByText('Episodio abierto.')).toBeInTheDocument();
    const [open] = server.calls('POST /api/episodes');
    expect(open!.body).toMatchObject({ patientId: 'p-jose', reason: 'Hombro doloroso', bodyRegion: 'hombro' });
    expect(open!.headers.get('Idempotency-Key')).toBeTruthy();
    expect(await within(panel).findByText(/Hombro doloroso/)).toBeInTheDocument();

    await user.click(within(panel).getByRole('button', { name: 'Dar de alta: Lumbalgia mecánica' }));
    dialog = screen.getByRole('dialog', { name: 'Alta del episodio «Lumbalgia mecánica»' });
    await user.type(within(dialog).getByLabelText('Motivo del alta'), 'Sin dolor');
    await user.click(within(dialog).getByRole('button', { name: 'Dar de alta' }));
    expect(await within(panel).findByText('Episodio dado de alta.')).toBeInTheDocument();
    const [discharge] = server.calls('POST /api/episodes/ep-1/discharge');
    expect(discharge!.headers.get('If-Match')).toBe('"1"');
    expect(discharge!.body).toEqual({ reason: 'Sin dolor' });
    expect(await within(panel).findByText('Motivo del alta: Sin dolor')).toBeInTheDocument();
  });

  it('lists every episode of a patient with more than a page of them, an old open one included', async () => {
    // Latest opened first, as the API sends them: 119 short discharged episodes opened after a
    // long open one, which lands on the API's second page (100 a page at most).
    const discharged = Array.from({ length: 119 }, (_, n) =>
      episodeRecord({ id: `ep-d${n}`, reason: `Episodio ${n}`, openedOn: '2026-10-01', dischargedOn: '2026-10-15', dischargeReason: 'Alta' }),
    );
    const open = episodeRecord({ reason: 'Hombro crónico', openedOn: '2025-01-10' });
    const server = recordsServer().on('GET /api/episodes', paged([...discharged, open], '/api/episodes'));
    await renderApp(server, '/patients/p-jose');
    const panel = await screen.findByRole('region', { name: 'Episodios de atención' });
    const rows = await within(panel).findAllByTestId('episode');
    expect(rows).toHaveLength(120);
    // Open episodes come first, so the physiotherapist sees it (and can discharge it) at once.
    expect(rows[0]).toHaveTextContent('Hombro crónico');
    expect(within(panel).getByRole('button', { name: 'Dar de alta: Hombro crónico' })).toBeInTheDocument();
    expect(server.calls('GET /api/episodes').every((call) => Number(call.params.itemsPerPage) <= 100)).toBe(true);
  });

  it('says so when the records service fails, and the rest of the page works', async () => {
    const server = recordsServer().on('GET /api/records', problem(500)).on('GET /api/episodes', problem(500));
    await renderApp(server, '/patients/p-jose');
    const history = await screen.findByRole('region', { name: 'Historia clínica' });
    await waitFor(() => expect(within(history).getAllByText('Algo ha ido mal. Inténtalo de nuevo.')).toHaveLength(2));
    expect(screen.getByRole('region', { name: 'Datos personales' })).toBeInTheDocument();
  });
});
