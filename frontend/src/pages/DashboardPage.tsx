import { useQuery } from '@tanstack/react-query';
import type { BillingStats } from '../api/billing';
import { type DashboardStats, fetchDashboardStats, type SchedulingStats } from '../api/dashboard';
import type { RecordsStats } from '../api/records';
import { errorMessage } from '../api/problem';
import { useSession } from '../auth/SessionContext';
import { isPractitionerOnly } from '../auth/types';
import { dashboardKeys } from '../api/queryKeys';
import { Alert } from '../components/Alert';
import { secondaryButton } from '../components/styles';
import { useDocumentTitle } from '../components/useDocumentTitle';
import type { TranslationKey } from '../i18n/catalogs';
import { formatNumber } from '../i18n/format';
import { useI18n } from '../i18n/useI18n';
import { TodayAppointments } from './appointments/TodayAppointments';
import { canBill } from './billing/access';
import { formatMoney } from './billing/money';
import { writesNotes } from './records/access';
import { SessionsWithoutNote } from './records/SessionsWithoutNote';

type Stats = DashboardStats & BillingStats & RecordsStats & Partial<Omit<SchedulingStats, 'totalAppointments'>>;

// What the day and the week need, not all-time totals, each from its context: shown when the
// context sent it, or as "No disponible" when that context is `degraded` (one not deployed leaves
// no box at all). Those marked `billing` are the front desk's and admins' (billing refuses
// practitioners its numbers); `desk` ones are not a practitioner's business.
const COUNTERS = [
  { field: 'appointmentsToday', label: 'dashboard.appointmentsToday', context: 'scheduling' },
  { field: 'appointmentsThisWeek', label: 'dashboard.appointmentsThisWeek', context: 'scheduling' },
  { field: 'noShows30d', label: 'dashboard.noShows30d', context: 'scheduling' },
  { field: 'newPatientsThisMonth', label: 'dashboard.newPatientsThisMonth', context: 'patients', desk: true },
  { field: 'issuedThisMonth', label: 'dashboard.issuedThisMonth', context: 'billing', billing: true },
  {
    field: 'outstandingAmount',
    label: 'dashboard.outstandingAmount',
    context: 'billing',
    billing: true,
    money: true,
  },
  // records' (practitioners and admins; it refuses receptionists, and then sends none).
  { field: 'sessionsWithoutNote', label: 'dashboard.sessionsWithoutNote', context: 'records' },
] as const satisfies readonly {
  field: keyof Stats;
  label: TranslationKey;
  context: string;
  billing?: boolean;
  desk?: boolean;
  money?: boolean;
}[];

type Counter = (typeof COUNTERS)[number];

const CONTEXT_NAMES: Record<string, TranslationKey> = {
  identity: 'context.identity',
  patients: 'context.patients',
  scheduling: 'context.scheduling',
  billing: 'context.billing',
  records: 'context.records',
};

/**
 * `/`: the day's and the week's counters (a physiotherapist's own), a note naming the parts that
 * are not answering, and today's appointments (asked separately, so either half works without the
 * other) — first, with their actions, for a physiotherapist.
 */
export function DashboardPage() {
  const { t, locale } = useI18n();
  useDocumentTitle(t('dashboard.title'));
  const { user } = useSession();
  const stats = useQuery({ queryKey: dashboardKeys.stats, queryFn: fetchDashboardStats });
  const data: Stats | undefined = stats.data;
  const billing = canBill(user);
  const practitionerOnly = isPractitionerOnly(user);
  const shown = (counter: Counter) => {
    if ('billing' in counter && !billing) return false;
    if ('desk' in counter && practitionerOnly) return false;
    if (data?.degraded.includes(counter.context)) return true;
    const value = data?.[counter.field];
    return 'money' in counter ? typeof value === 'string' : typeof value === 'number';
  };
  const show = (counter: Counter) => {
    const value = data?.[counter.field];
    if ('money' in counter && typeof value === 'string') return formatMoney(value, locale);
    if (typeof value === 'number') return formatNumber(value, locale);
    return null;
  };

  const contextName = (context: string) => {
    const key = CONTEXT_NAMES[context];
    return key ? t(key) : context;
  };

  return (
    <section aria-labelledby="dashboard-title">
      <h1 id="dashboard-title" className="mb-4 text-2xl font-semibold">
        {t('dashboard.title')}
      </h1>
      {/* A physiotherapist runs the day from this list (on a phone too): it comes first. */}
      {practitionerOnly && <TodayAppointments />}
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
          {typeof stats.data.practitionerId === 'string' && (
            <p className="mb-2 text-sm text-slate-700">{t('dashboard.figuresMine')}</p>
          )}
          <dl className="grid grid-cols-1 gap-4 sm:grid-cols-3">
            {COUNTERS.filter(shown).map((counter) => {
              const value = show(counter);
              return (
                <div key={counter.field} className="rounded-lg bg-white p-4 shadow-sm ring-1 ring-slate-200">
                  <dt className="text-sm font-medium text-slate-600">{t(counter.label)}</dt>
                  <dd className="mt-1 text-3xl font-semibold text-slate-900" data-testid={counter.field}>
                    {value ?? (
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
      {writesNotes(user) && <SessionsWithoutNote />}
      {!practitionerOnly && <TodayAppointments />}
    </section>
  );
}
