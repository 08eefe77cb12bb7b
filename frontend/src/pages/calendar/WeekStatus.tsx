import type { ReactNode } from 'react';
import { errorMessage } from '../../api/problem';
import { primaryButton } from '../../components/styles';
import { useI18n } from '../../i18n/useI18n';
import type { WeekState } from './useCalendarData';

interface WeekStatusProps {
  week: WeekState;
  /** The practitioners and appointment types are in (nothing can be booked before). */
  setupReady: boolean;
  error: unknown;
  /** A retry is on its way: the button stays (focus stays on it) but says so. */
  retrying: boolean;
  onRetry: () => void;
  /** The calendar grid. */
  children: ReactNode;
}

/**
 * The calendar's frame, saying what state its grid is in, so an unloaded week never passes for a
 * free one: while loading, a "Cargando…" note over a dimmed grid (still navigable); when the
 * range could not be read, the grid is disabled (inert: no click, no Tab) under the reason and
 * "Reintentar".
 */
export function WeekStatus({ week, setupReady, error, retrying, onRetry, children }: WeekStatusProps) {
  const { t } = useI18n();
  const failed = week === 'error';
  const loading = !failed && (week === 'loading' || !setupReady);
  return (
    <div
      className={`relative rounded-lg border border-slate-200 bg-white p-2 shadow-sm ${loading ? 'calendar-loading' : ''}`}
      data-testid="calendar"
      data-week-state={failed ? 'error' : loading ? 'loading' : week}
      aria-busy={loading}
    >
      <div inert={failed} className={failed ? 'calendar-failed' : undefined}>
        {children}
      </div>
      {loading && (
        // Over the grid, below the toolbar; it lets clicks through to the week buttons.
        <p
          role="status"
          className="pointer-events-none absolute top-16 left-1/2 z-10 -translate-x-1/2 rounded-md border border-slate-300 bg-white px-4 py-2 text-sm font-medium text-slate-800 shadow"
        >
          {t(setupReady ? 'calendar.loadingWeek' : 'calendar.loadingSetup')}
        </p>
      )}
      {failed && (
        <div className="absolute inset-0 z-10 flex items-start justify-center p-4 pt-24">
          <div role="alert" className="max-w-md rounded-md border border-red-300 bg-white px-5 py-4 text-center text-red-900 shadow-lg">
            <p className="font-medium">{t('calendar.loadFailed')}</p>
            {error !== null && error !== undefined && <p className="mt-1 text-sm">{errorMessage(error, t)}</p>}
            <button
              type="button"
              className={`${primaryButton} mt-3 aria-disabled:cursor-wait aria-disabled:opacity-60`}
              aria-disabled={retrying}
              onClick={() => {
                if (!retrying) onRetry();
              }}
            >
              {retrying ? t('common.loading') : t('common.retry')}
            </button>
          </div>
        </div>
      )}
    </div>
  );
}
