import { configure, screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { beforeAll, describe, expect, it } from 'vitest';
import type { Episode } from '../../api/records';
import { setLocale } from '../../i18n/i18n';
import { episodeRecord, page, recordsServer } from '../../test/recordsFixtures';
import { renderApp } from '../../test/renderApp';

const open: Episode = episodeRecord();
const closed: Episode = episodeRecord({
  id: 'ep-0',
  reason: 'Cervicalgia',
  openedOn: '2028-01-10',
  dischargedOn: '2028-02-29',
  dischargeReason: 'Objetivos alcanzados',
  retainUntil: '2033-02-28',
});

describe('how long an episode’s history is kept (Ley 41/2002)', { timeout: 30_000 }, () => {
  beforeAll(async () => {
    configure({ asyncUtilTimeout: 5_000 }); // a whole app per test, on a busy shared machine
    await import('../patients/PatientDetailPage');
  }, 60_000);

  it('shows the retention date of a discharged episode, and none while it is open', async () => {
    const server = recordsServer().on('GET /api/episodes', page([open, closed], false, '/api/episodes'));
    await renderApp(server, '/patients/p-jose');
    const panel = await screen.findByRole('region', { name: 'Episodios de atención' });
    const [openRow, closedRow] = await within(panel).findAllByTestId('episode');
    expect(closedRow).toHaveTextContent('Del 10 ene 2028 al 29 feb 2028');
    expect(closedRow).toHaveTextContent(
      'Se conserva al menos hasta el 28 feb 2033 (Ley 41/2002: cinco años desde el alta).',
    );
    expect(openRow).toHaveTextContent('Abierto desde el 20 nov 2026');
    expect(openRow).not.toHaveTextContent(/Se conserva/);
    // Nothing offers to delete an episode, open or closed.
    expect(within(panel).queryByRole('button', { name: /Eliminar|Borrar/ })).not.toBeInTheDocument();
  });

  it('shows the date after a discharge, as the API answers it', async () => {
    let episodes: Episode[] = [open];
    const server = recordsServer()
      .on('GET /api/episodes', () => page(episodes, false, '/api/episodes'))
      .on('POST /api/episodes/ep-1/discharge', () => {
        episodes = [{ ...open, dischargedOn: '2026-12-03', dischargeReason: 'Sin dolor', retainUntil: '2031-12-03', version: 2 }];
        return { status: 200, body: episodes[0] };
      });
    await renderApp(server, '/patients/p-jose');
    const user = userEvent.setup();
    const panel = await screen.findByRole('region', { name: 'Episodios de atención' });
    await user.click(await within(panel).findByRole('button', { name: 'Dar de alta: Lumbalgia mecánica' }));
    const dialog = screen.getByRole('dialog', { name: 'Alta del episodio «Lumbalgia mecánica»' });
    await user.type(within(dialog).getByLabelText('Motivo del alta'), 'Sin dolor');
    await user.click(within(dialog).getByRole('button', { name: 'Dar de alta' }));
    expect(await within(panel).findByText(/Se conserva al menos hasta el 3 dic 2031/)).toBeInTheDocument();
  });

  it('says it in English too', async () => {
    await setLocale('en');
    await renderApp(recordsServer().on('GET /api/episodes', page([closed], false, '/api/episodes')), '/patients/p-jose');
    const panel = await screen.findByRole('region', { name: 'Episodes of care' });
    const [row] = await within(panel).findAllByTestId('episode');
    expect(row).toHaveTextContent('Kept at least until 28 Feb 2033 (Spanish Law 41/2002: five years after discharge).');
  });
});
