import { act, configure, screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { beforeAll, describe, expect, it } from 'vitest';
import type { PainPoint, PainSeries } from '../../../api/records';
import { setLocale } from '../../../i18n/i18n';
import { problem } from '../../../test/fakeServer';
import { recordsServer } from '../../../test/recordsFixtures';
import { renderApp } from '../../../test/renderApp';

function point(overrides: Partial<PainPoint>): PainPoint {
  return {
    date: '2026-11-20',
    pain: 8,
    source: 'entry',
    episodeId: 'ep-1',
    signed: true,
    entryId: 'e-1',
    entryType: 'assessment',
    measureId: null,
    ...overrides,
  };
}

/** A signed assessment at 8, a VAS of 6.5 a week later, and the reader's own draft at 4. */
const series: PainSeries = {
  patientId: 'p-jose',
  episodeId: null,
  points: [
    point({}),
    point({ date: '2026-11-27', pain: 6.5, source: 'VAS', entryId: null, entryType: null, measureId: 'm-1' }),
    point({ date: '2026-12-04', pain: 4, signed: false, entryId: 'e-2', entryType: 'treatment', episodeId: null }),
  ],
};

const painReply = { status: 200, body: series };

describe('the chart of pain in the clinical history', { timeout: 30_000 }, () => {
  // The patient page and the chart (Recharts) are lazy modules: loaded once, up front.
  beforeAll(async () => {
    configure({ asyncUtilTimeout: 5_000 });
    await Promise.all([import('../../patients/PatientDetailPage'), import('./PainLineChart')]);
  }, 60_000);

  it('draws the patient’s pain with a table of every rating and where it came from', async () => {
    const server = recordsServer().on('GET /api/records/pain', painReply);
    await renderApp(server, '/patients/p-jose');
    const chart = await screen.findByTestId('pain-chart');
    expect(within(chart).getByRole('heading', { name: 'Dolor a lo largo del tiempo' })).toBeInTheDocument();
    const table = within(chart).getByRole('table', { name: 'Valoraciones del dolor' });
    const rows = within(table).getAllByRole('row').map((row) => row.textContent);
    expect(rows).toEqual([
      'FechaDolorOrigen',
      '20 nov 20268/10Nota: Valoración',
      '27 nov 20266,5/10Medida EVA',
      '4 dic 20264/10Nota: Tratamiento (borrador)',
    ]);
    expect(server.calls('GET /api/records/pain')[0]!.params).toEqual({ patientId: 'p-jose' });
  });

  it('is one image with a summary, a hollow dot for a draft and a keyboard tooltip', async () => {
    await renderApp(recordsServer().on('GET /api/records/pain', painReply), '/patients/p-jose');
    const user = userEvent.setup();
    const chart = await screen.findByTestId('pain-chart');
    const image = await within(chart).findByRole('img', { name: 'Dolor (0–10) a lo largo del tiempo' });
    expect(image.querySelector('desc')).toHaveTextContent(
      'Dolor: 3 valoraciones del 20 nov 2026 al 4 dic 2026; primera 8/10, última 4/10.',
    );
    const dots = [...image.querySelectorAll('.recharts-line-dot')];
    expect(dots.map((dot) => dot.getAttribute('fill'))).toEqual(['#0f766e', '#0f766e', '#ffffff']);
    act(() => image.focus());
    const status = await within(chart).findByRole('status');
    await waitFor(() => expect(status).toHaveTextContent('20 nov 2026 · 8/10 · Nota: Valoración'));
    await user.keyboard('{ArrowRight}');
    await waitFor(() => expect(status).toHaveTextContent('27 nov 2026 · 6,5/10 · Medida EVA'));
    await user.keyboard('{ArrowRight}');
    await waitFor(() => expect(status).toHaveTextContent('4 dic 2026 · 4/10 · Nota: Tratamiento (borrador)'));
  });

  it('shows nothing while there is no rating, and the error with a retry when the read fails', async () => {
    const server = recordsServer();
    await renderApp(server, '/patients/p-jose');
    await screen.findByRole('region', { name: 'Medidas de resultado' });
    await waitFor(() => expect(server.calls('GET /api/records/pain')).toHaveLength(1));
    expect(screen.queryByTestId('pain-chart')).not.toBeInTheDocument();

    let fail = true;
    const failing = recordsServer().on('GET /api/records/pain', () => (fail ? problem(503) : painReply));
    await renderApp(failing, '/patients/p-jose');
    const user = userEvent.setup();
    const retry = await screen.findByRole('button', { name: 'Reintentar' });
    fail = false;
    await user.click(retry);
    expect(await screen.findByTestId('pain-chart')).toBeInTheDocument();
  });

  it('speaks English too', async () => {
    await setLocale('en');
    await renderApp(recordsServer().on('GET /api/records/pain', painReply), '/patients/p-jose');
    const chart = await screen.findByTestId('pain-chart');
    expect(within(chart).getByRole('heading', { name: 'Pain over time' })).toBeInTheDocument();
    const table = within(chart).getByRole('table', { name: 'Pain ratings' });
    expect(within(table).getAllByRole('row').map((row) => row.textContent)).toEqual([
      'DatePainFrom',
      '20 Nov 20268/10Note: Assessment',
      '27 Nov 20266.5/10VAS measure',
      '4 Dec 20264/10Note: Treatment (draft)',
    ]);
  });
});
