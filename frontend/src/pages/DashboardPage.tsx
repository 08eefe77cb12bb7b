import { useQuery } from '@tanstack/react-query';
import { type DashboardStats, fetchDashboardStats } from '../api/dashboard';
import { errorMessage } from '../api/problem';
import { dashboardKeys } from '../api/queryKeys';
import { Alert } from '../components/Alert';
import { secondaryButton } from '../components/styles';
import { useDocumentTitle } from '../components/useDocumentTitle';
import type { TranslationKey } from '../i18n/catalogs';
import { formatNumber } from '../i18n/format';
import { useI18n } from '../i18n/useI18n';
import { TodayAppointments } from './appointments/TodayAppointments';

// A counter marked `optional` is an extra a context may add: shown only when it was sent.
const COUNTERS = [
  { field: 'totalPatients', label: 'dashboard.totalPatients' },
  { field: 'activePatients', label: 'dashboard.activePatients', optional: true },
  { field: 'newPatientsThisMonth', label: 'dashboard.newPatientsThisMonth', optional: true },
  { field: 'totalAppointments', label: 'dashboard.totalAppointments' },
  { field: 'totalInvoices', label: 'dashboard.totalInvoices' },
] as const satisfies readonly {
  field: keyof DashboardStats;
  label: TranslationKey;
  optional?: boolean;
}[];

const CONTEXT_NAMES: Record<string, TranslationKey> = {
  identity: 'context.identity',
  patients: 'context.patients',
  scheduling: 'context.scheduling',
  billing: 'context.billing',
  records: 'context.records',
};

/**
 * `/`: the clinic's counters, a note naming the parts that are not answering, and today's
 * appointments (asked separately, so either half works without the other).
 */
export function DashboardPage() {
  const { t, locale } = useI18n();
  useDocumentTitle(t('dashboard.title'));
  const stats = useQuery({ queryKey: dashboardKeys.stats, queryFn: fetchDashboardStats });

  const contextName = (context: string) => {
    const key = CONTEXT_NAMES[context];
    return key ? t(key) : context;
  };

  return (
    <section aria-labelledby="dashboard-title">
      <h1 id="dashboard-title" className="mb-4 text-2xl font-semibold">
        {t('dashboard.title')}
      </h1>
      {stats.isPending && <p role="status">{t('common.loading')}</p>}
      {stats.isError && (
        <div className="flex flex-col items-start gap-3">
          <Alert>{errorMessage(stats.error, t)}</Alert>
          <button type="button" className={secondaryButton} onClick={() => void stats.refetch()}>
            {t('common.retry')}
          </button>
        </div>
      )}
      {stats.data && (
        <>
          {stats.data.degraded.length > 0 && (
            <Alert tone="warning" className="mb-4">
              {t('dashboard.degraded', {
                contexts: stats.data.degraded.map(contextName).join(', '),
              })}
            </Alert>
          )}
          <dl className="grid grid-cols-1 gap-4 sm:grid-cols-3">
            {COUNTERS.filter(
              (counter) => !('optional' in counter) || typeof stats.data[counter.field] === 'number',
            ).map(({ field, label }) => {
              const value = stats.data[field];
              return (
                <div key={field} className="rounded-lg bg-white p-4 shadow-sm ring-1 ring-slate-200">
                  <dt className="text-sm font-medium text-slate-600">{t(label)}</dt>
                  <dd className="mt-1 text-3xl font-semibold text-slate-900" data-testid={field}>
                    {typeof value === 'number' ? (
                      formatNumber(value, locale)
                    ) : (
                      <span className="text-base font-normal text-slate-500">
                        {t('dashboard.notAvailable')}
                      </span>
                    )}
                  </dd>
                </div>
              );
            })}
          </dl>
        </>
      )}
      <TodayAppointments />
    </section>
  );
}
