import { act, screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { Entry, EntryCreate } from '../../api/records';
import { setLocale } from '../../i18n/i18n';
import { localIsoDate } from '../../lib/dates';
import { problem } from '../../test/fakeServer';
import { entryRecord, recordsServer } from '../../test/recordsFixtures';
import { renderApp } from '../../test/renderApp';
import { AUTOSAVE_DELAY_MS } from './EntryEditor';
import { isoToDisplayDate } from '../../lib/dateText';

/** The records server that stores what is posted (a draft e-new) and signs it. */
function writingServer() {
  let stored: Entry | null = null;
  const server = recordsServer()
    .on('POST /api/records', (request) => {
      const body = request.body as EntryCreate;
      stored = entryRecord({ ...body, id: 'e-new', status: 'draft', signedAt: null, signedBy: null, version: 1 });
      return { status: 201, body: stored, headers: { etag: '"1"' } };
    })
    .on('PUT /api/records/e-new', (request) => {
      stored = { ...stored!, ...(request.body as object), version: stored!.version + 1 };
      return { status: 200, body: stored, headers: { etag: `"${stored.version}"` } };
    })
    .on('POST /api/records/e-new/sign', () => {
      stored = { ...stored!, status: 'signed', signedBy: 'u-laura', signedAt: '2026-12-03T12:00:00Z', version: stored!.version + 1 };
      return { status: 200, body: stored, headers: { etag: `"${stored.version}"` } };
    });
  return server;
}

afterEach(() => {
  vi.useRealTimers();
});

describe('the SOAP form', () => {
  it('prefills the template of the type and keeps what was typed when the type changes', async () => {
    await renderApp(writingServer(), '/records/new?patientId=p-jose');
    expect(await screen.findByRole('heading', { level: 1, name: 'Nueva nota de José García Núñez' })).toBeInTheDocument();
    const subjective = screen.getByLabelText('Subjetivo (S)');
    await waitFor(() => expect(subjective).toHaveValue('Motivo de consulta:'));
    expect(screen.getByLabelText('Tipo de nota')).toHaveValue('assessment');
    expect(screen.getByLabelText('Fecha')).toHaveValue(isoToDisplayDate(localIsoDate()));
    // The only open episode is chosen for a new note.
    await waitFor(() => expect(screen.getByLabelText('Episodio')).toHaveValue('ep-1'));

    const user = userEvent.setup();
    await user.type(subjective, ' dolor lumbar de 3 semanas');
    await user.selectOptions(screen.getByLabelText('Tipo de nota'), 'treatment');
    expect(subjective).toHaveValue('Motivo de consulta: dolor lumbar de 3 semanas');
    expect(screen.getByLabelText('Objetivo (O)')).toHaveValue('Técnicas aplicadas:');
    expect(screen.getByLabelText('Valoración (A)')).toHaveValue('');
    expect(screen.getByLabelText('Plan (P)')).toHaveValue('Próxima sesión:');
  });

  it('asks the templates in English when the app is in English', async () => {
    await setLocale('en');
    const server = writingServer();
    await renderApp(server, '/records/new?patientId=p-jose');
    await waitFor(() => expect(screen.getByLabelText('Subjective (S)')).toHaveValue('Reason for visit:'));
    expect(server.calls('GET /api/record-templates')[0]!.params).toEqual({ lang: 'en' });
    expect(screen.getByLabelText('Pain (VAS 0–10)')).toBeInTheDocument();
  });

  it('saves a draft with an Idempotency-Key and goes back to the patient', async () => {
    const server = writingServer();
    await renderApp(server, '/records/new?patientId=p-jose');
    const user = userEvent.setup();
    await waitFor(() => expect(screen.getByLabelText('Subjetivo (S)')).toHaveValue('Motivo de consulta:'));
    await user.clear(screen.getByLabelText('Subjetivo (S)'));
    await user.type(screen.getByLabelText('Subjetivo (S)'), 'Dolor al agacharse');
    await user.type(screen.getByLabelText('Dolor (EVA 0–10)'), '6');
    await user.click(screen.getByRole('button', { name: 'Guardar borrador' }));

    expect(await screen.findByText('Borrador guardado.')).toBeInTheDocument();
    expect(screen.getByRole('heading', { level: 1, name: /José García Núñez/ })).toBeInTheDocument();
    const [create] = server.calls('POST /api/records');
    expect(create!.headers.get('Idempotency-Key')).toMatch(/^[0-9a-f-]{36}$/);
    expect(create!.body).toEqual({
      patientId: 'p-jose',
      type: 'assessment',
      date: localIsoDate(),
      appointmentId: null,
      episodeId: 'ep-1',
      subjective: 'Dolor al agacharse',
      objective: 'Exploración:',
      assessment: 'Diagnóstico fisioterápico:',
      plan: 'Objetivos y plan:',
      painVas: 6,
    });
  });

  it('signs after a confirmation, with the ETag of the saved draft, for the session it came from', async () => {
    const server = writingServer();
    await renderApp(server, '/records/new?patientId=p-jose&appointmentId=a-7&date=2026-12-03');
    const user = userEvent.setup();
    await waitFor(() => expect(screen.getByLabelText('Subjetivo (S)')).toHaveValue('Cómo llega hoy:'));
    expect(screen.getByLabelText('Tipo de nota')).toHaveValue('treatment');
    expect(screen.getByLabelText('Fecha')).toHaveValue('03/12/2026');
    expect(screen.getByTestId('entry-session')).toHaveTextContent('Nota de la sesión completada.');
    await user.type(screen.getByLabelText('Subjetivo (S)'), ' mejor');
    await user.click(screen.getByRole('button', { name: 'Firmar' }));

    const dialog = screen.getByRole('dialog', { name: '¿Firmar la nota?' });
    expect(dialog).toHaveTextContent('Una nota firmada no se puede cambiar: las correcciones se añaden como enmiendas.');
    expect(within(dialog).getByRole('button', { name: 'Firmar ahora' })).toHaveFocus();
    await user.click(within(dialog).getByRole('button', { name: 'Firmar ahora' }));

    expect(await screen.findByText('Nota firmada.')).toBeInTheDocument();
    const [create] = server.calls('POST /api/records');
    expect(create!.body).toMatchObject({ appointmentId: 'a-7', date: '2026-12-03', type: 'treatment' });
    expect(server.headerOf('POST /api/records/e-new/sign', 'If-Match')).toEqual(['"1"']);
  });

  it('checks the pain and the date before sending, focusing the first wrong field', async () => {
    const server = writingServer();
    await renderApp(server, '/records/new?patientId=p-jose');
    const user = userEvent.setup();
    await screen.findByLabelText('Subjetivo (S)');
    await user.type(screen.getByLabelText('Dolor (EVA 0–10)'), '11');
    await user.click(screen.getByRole('button', { name: 'Guardar borrador' }));
    expect(screen.getByText('El dolor es un número entero de 0 a 10.')).toBeInTheDocument();
    expect(screen.getByLabelText('Dolor (EVA 0–10)')).toHaveFocus();
    expect(screen.getByLabelText('Dolor (EVA 0–10)')).toHaveAttribute('aria-invalid', 'true');
    expect(server.calls('POST /api/records')).toEqual([]);
  });

  it('shows the server’s 422 beside its field and keeps what was typed', async () => {
    const server = writingServer().on(
      'POST /api/records',
      problem(422, { errors: [{ field: 'date', message: 'date in the future' }] }),
    );
    await renderApp(server, '/records/new?patientId=p-jose');
    const user = userEvent.setup();
    await user.type(await screen.findByLabelText('Plan (P)'), ' caminar 20 min');
    await user.click(screen.getByRole('button', { name: 'Guardar borrador' }));
    expect(await screen.findByText('Revisa los campos marcados.')).toBeInTheDocument();
    expect(screen.getByText('Indica una fecha válida.')).toBeInTheDocument();
    expect(screen.getByLabelText('Plan (P)')).toHaveValue('Objetivos y plan: caminar 20 min');
  });

  it.each([
    [409, 'Esta nota ya está firmada y no se puede cambiar: añade una enmienda desde la historia clínica.'],
    [403, 'Solo quien escribió el borrador puede firmarlo.'],
  ])('explains a %i on signing and keeps the text', async (status, text) => {
    const server = writingServer().on('POST /api/records/e-new/sign', problem(status));
    await renderApp(server, '/records/new?patientId=p-jose');
    const user = userEvent.setup();
    await user.type(await screen.findByLabelText('Objetivo (O)'), ' EVA 5');
    await user.click(screen.getByRole('button', { name: 'Firmar' }));
    await user.click(screen.getByRole('button', { name: 'Firmar ahora' }));
    expect(await screen.findByText(text)).toBeInTheDocument();
    expect(screen.queryByRole('dialog')).not.toBeInTheDocument();
    expect(screen.getByLabelText('Objetivo (O)')).toHaveValue('Exploración: EVA 5');
  });

  it('saves the draft by itself a few seconds after typing stops', async () => {
    vi.useFakeTimers({ shouldAdvanceTime: true });
    const server = writingServer();
    await renderApp(server, '/records/new?patientId=p-jose');
    const user = userEvent.setup({ advanceTimers: vi.advanceTimersByTime.bind(vi) });
    await user.type(await screen.findByLabelText('Plan (P)'), ' 2 sesiones/semana');
    expect(server.calls('POST /api/records')).toEqual([]);
    await act(() => vi.advanceTimersByTimeAsync(AUTOSAVE_DELAY_MS + 100));
    await waitFor(() => expect(server.calls('POST /api/records')).toHaveLength(1));
    expect(await screen.findByText(/^Borrador guardado a las/)).toBeInTheDocument();

    // More typing: the same draft is updated (PUT with its ETag), never a second one created.
    await user.type(screen.getByLabelText('Plan (P)'), ' y ejercicios');
    await act(() => vi.advanceTimersByTimeAsync(AUTOSAVE_DELAY_MS + 100));
    await waitFor(() => expect(server.calls('PUT /api/records/e-new')).toHaveLength(1));
    expect(server.headerOf('PUT /api/records/e-new', 'If-Match')).toEqual(['"1"']);
    expect(server.calls('POST /api/records')).toHaveLength(1);
  });
});

describe('editing a draft', () => {
  const draft = entryRecord({ status: 'draft', signedAt: null, signedBy: null, version: 3, subjective: 'Primer borrador' });

  it('on a stale save keeps the text and offers to reload', async () => {
    let current = draft;
    const server = recordsServer()
      .on('GET /api/records/e-1', () => ({ status: 200, body: current, headers: { etag: `"${current.version}"` } }))
      .on('PUT /api/records/e-1', problem(412));
    await renderApp(server, '/records/e-1/edit');
    const user = userEvent.setup();
    const subjective = await screen.findByLabelText('Subjetivo (S)');
    expect(subjective).toHaveValue('Primer borrador');
    await user.type(subjective, ' y más');
    current = { ...draft, version: 4, subjective: 'Cambiado en otra pestaña' };
    await user.click(screen.getByRole('button', { name: 'Guardar borrador' }));
    expect(await screen.findByText(/El borrador ha cambiado en otro sitio/)).toBeInTheDocument();
    expect(server.headerOf('PUT /api/records/e-1', 'If-Match')).toEqual(['"3"']);
    expect(screen.getByLabelText('Subjetivo (S)')).toHaveValue('Primer borrador y más');
    await user.click(screen.getByRole('button', { name: 'Recargar' }));
    await waitFor(() => expect(screen.getByLabelText('Subjetivo (S)')).toHaveValue('Cambiado en otra pestaña'));
  });

  it('refuses to edit a signed note (corrections are amendments)', async () => {
    const server = recordsServer().on('GET /api/records/e-1', {
      status: 200,
      body: entryRecord(),
      headers: { etag: '"2"' },
    });
    await renderApp(server, '/records/e-1/edit');
    expect(await screen.findByText(/Esta nota ya está firmada/)).toBeInTheDocument();
    expect(screen.queryByLabelText('Subjetivo (S)')).not.toBeInTheDocument();
  });
});
