import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { getRouteApi, Link, useNavigate, useRouterState } from '@tanstack/react-router';
import { useCallback } from 'react';
import { listInvoices } from '../../api/billing';
import { errorMessage } from '../../api/problem';
import { invoiceKeys } from '../../api/queryKeys';
import { useSession } from '../../auth/SessionContext';
import { hasRole } from '../../auth/types';
import { Alert } from '../../components/Alert';
import { DateField } from '../../components/DateField';
import { Pager } from '../../components/Pager';
import { SearchBox } from '../../components/SearchBox';
import { focusRing, inputClass, linkClass, primaryButton, secondaryButton } from '../../components/styles';
import { useDocumentTitle } from '../../components/useDocumentTitle';
import { useI18n } from '../../i18n/useI18n';
import { isRealDate } from '../../lib/dates';
import { ChainStatus } from './ChainStatus';
import { InvoicesTable } from './InvoicesTable';
import { BILLING_NOTICES, INVOICE_STATUSES, SERIES, SERIES_LABELS, STATUS_LABELS } from './labels';
import type { InvoiceListSearch } from './listSearch';
import { SalesBookExport } from './SalesBookExport';

const route = getRouteApi('/app/invoices/');
const SEARCH_MAX = 100;
const labelClass = 'mb-1 block text-sm font-medium text-slate-800';

/** `/invoices`: find invoices by number or customer, filter them, a page at a time. */
export function InvoicesListPage() {
  const { t } = useI18n();
  useDocumentTitle(t('invoices.title'));
  const { user } = useSession();
  const search = route.useSearch();
  const { q = '', status, series, from, to, outstanding = false, customerId, patientId, page = 1 } = search;
  const navigate = useNavigate({ from: '/invoices/' });
  const notice = useRouterState({ select: (state) => state.location.state.billingNotice });
  const criteria = { q, status, series, from, to, outstanding, customerId, patientId, page };
  const invoices = useQuery({
    queryKey: invoiceKeys.list(criteria),
    queryFn: () => listInvoices(criteria),
    placeholderData: keepPreviousData,
  });
  const hasNext = !!invoices.data?.view?.next;

  // Every change of the criteria starts again from the first page.
  const refine = useCallback(
    (change: Partial<InvoiceListSearch>) =>
      void navigate({
        search: (previous) => {
          const next: InvoiceListSearch = { ...previous, ...change, page: undefined };
          const kept = Object.entries(next).filter(
            ([, value]) => value !== undefined && value !== false && value !== '',
          );
          return Object.fromEntries(kept);
        },
        replace: true,
      }),
    [navigate],
  );
  const onSearch = useCallback((query: string) => refine({ q: query }), [refine]);
  const pageSearch = (target: number) => ({ ...search, page: target > 1 ? target : undefined });
  const empty = invoices.data?.member.length === 0;
  const filtered = !!(q || status || series || from || to || outstanding || customerId || patientId);

  return (
    <section aria-labelledby="invoices-title">
      <div className="mb-2 flex flex-wrap items-center justify-between gap-3">
        <h1 id="invoices-title" className="text-2xl font-semibold">
          {t('invoices.title')}
        </h1>
        <div className="flex flex-wrap gap-2">
          {hasRole(user, 'ROLE_ADMIN') && (
            <Link to="/settings/billing" className={secondaryButton}>
              {t('nav.billingSettings')}
            </Link>
          )}
          <Link to="/invoices/new" className={primaryButton}>
            {t('invoices.new')}
          </Link>
        </div>
      </div>
      <div className="mb-4">
        <ChainStatus />
      </div>
      {notice && (
        <Alert tone="success" className="mb-4">
          {t(BILLING_NOTICES[notice])}
        </Alert>
      )}

      <div role="search" className="mb-4 grid grid-cols-1 items-start gap-4 sm:grid-cols-2 lg:grid-cols-6">
        <div className="sm:col-span-2">
          <SearchBox
            id="invoice-search"
            label={t('invoices.search')}
            hint={t('invoices.searchHint')}
            value={q}
            onSearch={onSearch}
            maxLength={SEARCH_MAX}
          />
        </div>
        <div>
          <label htmlFor="invoice-status-filter" className={labelClass}>
            {t('invoices.statusLabel')}
          </label>
          <select
            id="invoice-status-filter"
            className={inputClass}
            value={status ?? ''}
            onChange={(event) =>
              refine({ status: INVOICE_STATUSES.find((value) => value === event.target.value) })
            }
          >
            <option value="">{t('invoices.filter.anyStatus')}</option>
            {INVOICE_STATUSES.map((value) => (
              <option key={value} value={value}>
                {t(STATUS_LABELS[value])}
              </option>
            ))}
          </select>
        </div>
        <div>
          <label htmlFor="invoice-series-filter" className={labelClass}>
            {t('invoices.seriesLabel')}
          </label>
          <select
            id="invoice-series-filter"
            className={inputClass}
            value={series ?? ''}
            onChange={(event) => refine({ series: SERIES.find((value) => value === event.target.value) })}
          >
            <option value="">{t('invoices.filter.anySeries')}</option>
            {SERIES.map((value) => (
              <option key={value} value={value}>
                {t(SERIES_LABELS[value])}
              </option>
            ))}
          </select>
        </div>
        <DateField
          id="invoice-from-filter"
          label={t('invoices.filter.from')}
          value={from ?? ''}
          max={to}
          onChange={(value) => {
            if (!value || isRealDate(value)) refine({ from: value || undefined });
          }}
        />
        <DateField
          id="invoice-to-filter"
          label={t('invoices.filter.to')}
          value={to ?? ''}
          min={from}
          onChange={(value) => {
            if (!value || isRealDate(value)) refine({ to: value || undefined });
          }}
        />
        <label className="flex items-center gap-2 text-base sm:col-span-2 lg:col-span-6">
          <input
            type="checkbox"
            className={`h-5 w-5 rounded border-slate-400 ${focusRing}`}
            checked={outstanding}
            onChange={(event) => refine({ outstanding: event.target.checked })}
          />
          {t('invoices.filter.outstanding')}
        </label>
      </div>
      {(customerId || patientId) && (
        <p className="mb-4 flex flex-wrap items-center gap-3 text-sm">
          <span>{t(customerId ? 'invoices.filter.oneCustomer' : 'invoices.filter.onePatient')}</span>
          <button
            type="button"
            className={`${linkClass} text-sm`}
            onClick={() => refine({ customerId: undefined, patientId: undefined })}
          >
            {t('invoices.filter.showAll')}
          </button>
        </p>
      )}

      {invoices.isPending && <p role="status">{t('common.loading')}</p>}
      {invoices.isError && (
        <div className="flex flex-col items-start gap-3">
          <Alert>{errorMessage(invoices.error, t)}</Alert>
          <button type="button" className={secondaryButton} onClick={() => void invoices.refetch()}>
            {t('common.retry')}
          </button>
        </div>
      )}
      {invoices.data && empty && (
        <div role="status" className="rounded-lg bg-white p-4 ring-1 ring-slate-200">
          {filtered || page > 1 ? (
            <p>{q ? t('invoices.noMatch', { query: q }) : t('invoices.noMatchFilters')}</p>
          ) : (
            <p>{t('invoices.empty')}</p>
          )}
        </div>
      )}
      {invoices.data && !empty && <InvoicesTable invoices={invoices.data.member} busy={invoices.isFetching} />}
      {invoices.data && (
        <Pager
          page={page}
          hasNext={hasNext}
          renderLink={(target, props) => <Link to="/invoices" search={pageSearch(target)} {...props} />}
        />
      )}
      <SalesBookExport key={`${from ?? ''}:${to ?? ''}`} from={from} to={to} />
    </section>
  );
}
