import { useQuery } from '@tanstack/react-query';
import { lazy, Suspense } from 'react';
import { getPainSeries, type PainPoint } from '../../../api/records';
import { errorMessage } from '../../../api/problem';
import { Alert } from '../../../components/Alert';
import { secondaryButton } from '../../../components/styles';
import { formatCalendarDate, formatNumber } from '../../../i18n/format';
import { useI18n } from '../../../i18n/useI18n';
import { ENTRY_TYPE_LABELS } from '../labels';
import { CHART_HEIGHT } from './chartSize';
import { measureKeys } from './keys';

// Recharts is big: its own chunk, loaded only when there is pain to draw (like ScoreChart's).
const PainLineChart = lazy(() => import('./PainLineChart'));

/**
 * The patient's pain over time, beside the outcome charts: the pain VAS of each note and the
 * pain scales (VAS, NPRS) taken as measures, one line 0–10 (GET /api/records/pain, an audited
 * read). The table of the same ratings shows at once and is what screen readers use; nothing
 * shows while the patient has no rating.
 */
export function PainChart({ patientId }: { patientId: string }) {
  const { t, locale } = useI18n();
  const series = useQuery({ queryKey: measureKeys.pain(patientId), queryFn: () => getPainSeries(patientId) });
  if (series.isError) {
    return (
      <div className="flex flex-col items-start gap-3">
        <Alert>{errorMessage(series.error, t)}</Alert>
        <button type="button" className={secondaryButton} onClick={() => void series.refetch()}>
          {t('common.retry')}
        </button>
      </div>
    );
  }
  const points = series.data?.points ?? [];
  const first = points[0];
  const last = points.at(-1);
  if (!first || !last) return null;
  const pain = (point: PainPoint) => t('records.painValue', { value: formatNumber(point.pain, locale) });
  const sourceOf = (point: PainPoint) =>
    point.source === 'entry'
      ? t('records.pain.source.entry', { type: point.entryType ? t(ENTRY_TYPE_LABELS[point.entryType]) : '' })
      : t(`records.pain.source.${point.source}`);
  const sourceWithStatus = (point: PainPoint) => (point.signed ? sourceOf(point) : `${sourceOf(point)} (${t('records.pain.draft')})`);
  const describe = (point: PainPoint) =>
    `${formatCalendarDate(point.date, locale)} · ${pain(point)} · ${sourceWithStatus(point)}`;
  const summary = t('records.pain.summary', {
    count: points.length,
    from: formatCalendarDate(first.date, locale),
    to: formatCalendarDate(last.date, locale),
    first: formatNumber(first.pain, locale),
    last: formatNumber(last.pain, locale),
  });

  return (
    <figure aria-labelledby="pain-chart-title" className="flex flex-col gap-2 rounded-md border border-slate-200 p-3" data-testid="pain-chart">
      <h4 id="pain-chart-title" className="font-semibold">
        {t('records.pain.title')}
      </h4>
      <Suspense fallback={<div style={{ height: CHART_HEIGHT }} />}>
        <PainLineChart points={points} title={t('records.pain.chartTitle')} summary={summary} describe={describe} />
      </Suspense>
      <figcaption className="text-sm text-slate-700">
        {t('records.pain.caption')} {t('records.pain.keyboard')}
      </figcaption>
      <div className="overflow-x-auto">
        <table className="w-full text-left text-sm">
          <caption className="sr-only">{t('records.pain.tableCaption')}</caption>
          <thead>
            <tr className="border-b border-slate-200">
              <th scope="col" className="py-1 pr-3 font-medium">
                {t('measures.date')}
              </th>
              <th scope="col" className="py-1 pr-3 font-medium">
                {t('records.pain.value')}
              </th>
              <th scope="col" className="py-1 pr-3 font-medium">
                {t('records.pain.source')}
              </th>
            </tr>
          </thead>
          <tbody>
            {points.map((point) => (
              <tr key={point.entryId ?? point.measureId} className="border-b border-slate-100">
                <td className="py-1 pr-3">{formatCalendarDate(point.date, locale)}</td>
                <td className="py-1 pr-3">{pain(point)}</td>
                <td className="py-1 pr-3">{sourceWithStatus(point)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </figure>
  );
}
