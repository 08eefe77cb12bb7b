import { getRouteApi, Link, useNavigate } from '@tanstack/react-router';
import { useCallback } from 'react';
import { errorMessage } from '../../api/problem';
import { Alert } from '../../components/Alert';
import { Pager } from '../../components/Pager';
import { SearchBox } from '../../components/SearchBox';
import { focusRing, inputClass, primaryButton, secondaryButton } from '../../components/styles';
import { useDocumentTitle } from '../../components/useDocumentTitle';
import { usePatientSearch } from '../../hooks/usePatientSearch';
import { useI18n } from '../../i18n/useI18n';
import { STATUS_LABELS } from './labels';
import type { PatientListSearch } from './listSearch';
import { PatientsTable } from './PatientsTable';

const route = getRouteApi('/app/patients/');
const SEARCH_MAX = 100; // the API refuses longer queries

/** `/patients`: find patients by name, document, phone or email, a page at a time. */
export function PatientsListPage() {
  const { t } = useI18n();
  useDocumentTitle(t('patients.title'));
  const search = route.useSearch();
  const { q = '', fuzzy = false, status, page = 1 } = search;
  const navigate = useNavigate({ from: '/patients/' });
  // Exact first; when that finds nothing, the typo-tolerant search runs by itself.
  const patients = usePatientSearch({ q, fuzzy, status, page });
  const hasNext = !!patients.data?.view?.next;

  // Every change of the criteria starts again from the first page.
  const refine = useCallback(
    (change: Partial<PatientListSearch>) =>
      void navigate({
        search: (previous) => {
          const next: PatientListSearch = { ...previous, ...change, page: undefined };
          const kept = Object.entries(next).filter(([, value]) => value !== false && value !== '');
          return Object.fromEntries(kept.filter(([, value]) => value !== undefined));
        },
        replace: true,
      }),
    [navigate],
  );
  const onSearch = useCallback((query: string) => refine({ q: query }), [refine]);
  const pageSearch = (target: number) => ({ ...search, page: target > 1 ? target : undefined });

  const empty = patients.data?.member.length === 0;
  const filtered = !!q || !!status;

  return (
    <section aria-labelledby="patients-title">
      <div className="mb-4 flex flex-wrap items-center justify-between gap-3">
        <h1 id="patients-title" className="text-2xl font-semibold">
          {t('patients.title')}
        </h1>
        <Link to="/patients/new" className={primaryButton}>
          {t('patients.new')}
        </Link>
      </div>
      <div role="search" className="mb-4 grid grid-cols-1 items-start gap-4 sm:grid-cols-[1fr_auto_auto]">
        <SearchBox
          id="patient-search"
          label={t('patients.search')}
          hint={t('patients.searchHint')}
          value={q}
          onSearch={onSearch}
          maxLength={SEARCH_MAX}
          focusOnMount
        />
        <label className="flex items-center gap-2 text-base sm:mt-8">
          <input
            type="checkbox"
            className={`h-5 w-5 rounded border-slate-400 ${focusRing}`}
            checked={fuzzy}
            onChange={(event) => refine({ fuzzy: event.target.checked })}
          />
          {t('patients.fuzzy')}
        </label>
        <div>
          <label htmlFor="patient-status-filter" className="mb-1 block text-sm font-medium text-slate-800">
            {t('patients.statusFilter')}
          </label>
          <select
            id="patient-status-filter"
            className={inputClass}
            value={status ?? ''}
            onChange={(event) => {
              const value = event.target.value;
              refine({ status: value === 'active' || value === 'inactive' ? value : undefined });
            }}
          >
            <option value="">{t('patients.status.all')}</option>
            <option value="active">{t(STATUS_LABELS.active)}</option>
            <option value="inactive">{t(STATUS_LABELS.inactive)}</option>
          </select>
        </div>
      </div>

      {patients.isPending && <p role="status">{t('common.loading')}</p>}
      {patients.isError && (
        <div className="flex flex-col items-start gap-3">
          <Alert>{errorMessage(patients.error, t)}</Alert>
          <button type="button" className={secondaryButton} onClick={() => void patients.refetch()}>
            {t('common.retry')}
          </button>
        </div>
      )}
      {patients.data && empty && (
        <div role="status" className="rounded-lg bg-white p-4 ring-1 ring-slate-200">
          {!filtered && page === 1 && <p>{t('patients.emptyRegistry')}</p>}
          {q && <p>{t('patients.noMatch', { query: q })}</p>}
          {!q && filtered && <p>{t('patients.noMatchStatus')}</p>}
        </div>
      )}
      {patients.data && !empty && patients.approximate && (
        <div role="status" className="mb-3 rounded-lg bg-amber-50 p-3 ring-1 ring-amber-200">
          <p className="font-medium text-amber-950" data-testid="approximate-results">
            {t('patients.approximate')}
          </p>
          <p className="text-sm text-slate-800">{t('patients.approximateHint', { query: q })}</p>
        </div>
      )}
      {patients.data && !empty && (
        <PatientsTable patients={patients.data.member} busy={patients.isFetching} />
      )}
      {patients.data && (
        <Pager
          page={page}
          hasNext={hasNext}
          renderLink={(target, props) => (
            <Link to="/patients" search={pageSearch(target)} {...props} />
          )}
        />
      )}
    </section>
  );
}
