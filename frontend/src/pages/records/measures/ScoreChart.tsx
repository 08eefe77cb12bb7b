import { lazy, Suspense } from 'react';
import { formatCalendarDate, formatNumber } from '../../../i18n/format';
import { useI18n } from '../../../i18n/useI18n';
import { CHART_HEIGHT } from './chartSize';
import type { Measure } from '../../../api/records';
import { activitiesSummary, INSTRUMENT_SPECS, mcidTarget } from './instruments';

// Recharts is big: only a patient page with measures to chart loads it (its own chunk).
const ScoreLineChart = lazy(() => import('./ScoreLineChart'));

/**
 * One instrument's scores over time: a line chart (Recharts, ScoreLineChart) with the same
 * numbers in a table beside it. The table is what screen readers, and anyone who prefers
 * numbers, read; it shows at once, while the chart's module loads. The dashed line is the
 * score that would be a clinically important change from the first one (baseline ∓ MCID).
 */
export function ScoreChart({ measures }: { measures: Measure[] }) {
  const { t, locale } = useI18n();
  const first = measures[0];
  const last = measures.at(-1);
  if (!first || !last) return null;
  const label = t(INSTRUMENT_SPECS[first.instrument].label);
  const target = mcidTarget(first.score, first);
  const score = (value: number) => formatNumber(value, locale);
  const headingId = `chart-${first.instrument}-title`;
  const hasActivities = measures.some((measure) => measure.activities?.length);
  const summary = t('measures.chart.summary', {
    instrument: label,
    count: measures.length,
    from: formatCalendarDate(first.takenOn, locale),
    to: formatCalendarDate(last.takenOn, locale),
    first: score(first.score),
    last: score(last.score),
    max: score(first.scoreMax),
    target: score(target),
  });

  return (
    <figure aria-labelledby={headingId} className="flex flex-col gap-2 rounded-md border border-slate-200 p-3" data-testid="measure-chart">
      <h4 id={headingId} className="font-semibold">
        {label}
      </h4>
      <Suspense fallback={<div style={{ height: CHART_HEIGHT }} />}>
        <ScoreLineChart
          measures={measures}
          title={t('measures.chart.title', { instrument: label })}
          summary={summary}
          target={target}
        />
      </Suspense>
      <figcaption className="text-sm text-slate-700">
        {t(first.direction === 'lower_is_better' ? 'measures.chart.lowerBetter' : 'measures.chart.higherBetter', {
          mcid: score(first.mcid),
          target: score(target),
        })}{' '}
        {t('measures.chart.keyboard')}
      </figcaption>
      <div className="overflow-x-auto">
        <table className="w-full text-left text-sm">
          <caption className="sr-only">{t('measures.chart.tableCaption', { instrument: label })}</caption>
          <thead>
            <tr className="border-b border-slate-200">
              <th scope="col" className="py-1 pr-3 font-medium">
                {t('measures.date')}
              </th>
              <th scope="col" className="py-1 pr-3 font-medium">
                {t('measures.score')}
              </th>
              {hasActivities && (
                <th scope="col" className="py-1 pr-3 font-medium">
                  {t('measures.activities')}
                </th>
              )}
            </tr>
          </thead>
          <tbody>
            {measures.map((m) => (
              <tr key={m.id} className="border-b border-slate-100">
                <td className="py-1 pr-3">{formatCalendarDate(m.takenOn, locale)}</td>
                <td className="py-1 pr-3">
                  {t('measures.scoreOf', { score: score(m.score), max: score(m.scoreMax) })}
                  {m.missing > 0 && ` · ${t('measures.missingCount', { count: m.missing })}`}
                </td>
                {hasActivities && <td className="py-1 pr-3">{m.activities?.length ? activitiesSummary(m) : '—'}</td>}
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </figure>
  );
}
