import { useQuery } from '@tanstack/react-query';
import { errorMessage } from '../../../api/problem';
import { getEpisodeOutcomes, type Episode, type OutcomePoint } from '../../../api/records';
import { Alert } from '../../../components/Alert';
import { secondaryButton } from '../../../components/styles';
import { formatCalendarDate, formatNumber } from '../../../i18n/format';
import { useI18n } from '../../../i18n/useI18n';
import { INSTRUMENT_SPECS } from './instruments';
import { measureKeys } from './keys';

/** One episode's outcomes: baseline → latest → discharge, the change and whether it reaches the MCID. */
export function OutcomesTable({ episode, onRecord }: { episode: Episode; onRecord: () => void }) {
  const { t, locale } = useI18n();
  const outcomes = useQuery({
    queryKey: measureKeys.outcomes(episode.id),
    queryFn: () => getEpisodeOutcomes(episode.id),
  });
  const headingId = `outcomes-${episode.id}-title`;
  const number = (value: number) => formatNumber(value, locale);
  const point = (p: OutcomePoint | null) =>
    p ? `${number(p.score)} (${formatCalendarDate(p.takenOn, locale)})` : '—';
  const rows = outcomes.data?.outcomes ?? [];

  return (
    <section aria-labelledby={headingId} className="flex flex-col gap-2 rounded-md border border-slate-200 p-3" data-testid="episode-outcomes">
      <div className="flex flex-wrap items-center justify-between gap-2">
        <h4 id={headingId} className="font-semibold">
          {t('measures.outcomes.title', { reason: episode.reason })}
        </h4>
        <button
          type="button"
          className={secondaryButton}
          aria-label={t('measures.recordFor', { reason: episode.reason })}
          onClick={onRecord}
        >
          {t('measures.record')}
        </button>
      </div>
      {outcomes.isPending && <p role="status">{t('common.loading')}</p>}
      {outcomes.isError && (
        <div className="flex flex-col items-start gap-2">
          <Alert>{errorMessage(outcomes.error, t)}</Alert>
          <button type="button" className={secondaryButton} onClick={() => void outcomes.refetch()}>
            {t('common.retry')}
          </button>
        </div>
      )}
      {outcomes.isSuccess && rows.length === 0 && <p className="text-sm text-slate-600">{t('measures.outcomes.none')}</p>}
      {rows.length > 0 && (
        // Cells wrap on a narrow screen (390 px) rather than scroll sideways.
        <div className="overflow-x-auto">
          <table className="w-full text-left text-sm">
            <thead>
              <tr className="border-b border-slate-200">
                <th scope="col" className="py-1 pr-3 font-medium">{t('measures.outcomes.instrument')}</th>
                <th scope="col" className="py-1 pr-3 font-medium">{t('measures.outcomes.baseline')}</th>
                <th scope="col" className="py-1 pr-3 font-medium">{t('measures.outcomes.latest')}</th>
                <th scope="col" className="py-1 pr-3 font-medium">{t('measures.outcomes.discharge')}</th>
                <th scope="col" className="py-1 pr-3 font-medium">{t('measures.outcomes.change')}</th>
                <th scope="col" className="py-1 pr-3 font-medium">{t('measures.outcomes.mcid')}</th>
              </tr>
            </thead>
            <tbody>
              {rows.map((row) => (
                <tr key={row.instrument} className="border-b border-slate-100" data-testid="outcome-row">
                  <th scope="row" className="py-1 pr-3 font-medium">
                    {t(INSTRUMENT_SPECS[row.instrument].label)}
                  </th>
                  <td className="py-1 pr-3">{point(row.baseline)}</td>
                  <td className="py-1 pr-3">{point(row.latest)}</td>
                  <td className="py-1 pr-3">{point(row.discharge)}</td>
                  <td className="py-1 pr-3">
                    {t('measures.outcomes.changeValue', { change: `${row.change > 0 ? '+' : ''}${number(row.change)}` })}
                  </td>
                  <td className="py-1 pr-3">
                    <span
                      className={`rounded-full px-2 py-0.5 text-xs font-medium ${
                        row.reachesMcid ? 'bg-emerald-100 text-emerald-900' : 'bg-slate-200 text-slate-800'
                      }`}
                      title={row.mcidSource}
                    >
                      {t(row.reachesMcid ? 'measures.outcomes.reached' : 'measures.outcomes.notReached', {
                        mcid: number(row.mcid),
                      })}
                    </span>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </section>
  );
}
