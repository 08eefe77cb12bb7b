import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { getRouteApi, Link, useNavigate, useRouterState } from '@tanstack/react-router';
import { useCallback } from 'react';
import { listCustomers } from '../../../api/billing';
import { errorMessage } from '../../../api/problem';
import { customerKeys } from '../../../api/queryKeys';
import { Alert } from '../../../components/Alert';
import { Pager } from '../../../components/Pager';
import { SearchBox } from '../../../components/SearchBox';
import { inputClass, linkClass, primaryButton, secondaryButton } from '../../../components/styles';
import { useDocumentTitle } from '../../../components/useDocumentTitle';
import { useI18n } from '../../../i18n/useI18n';
import { OutstandingBadge } from '../Badges';
import { BILLING_NOTICES, CUSTOMER_KIND_LABELS, CUSTOMER_KINDS } from '../labels';
import type { CustomerListSearch } from '../listSearch';
import { formatMoney, isPositive } from '../money';

const route = getRouteApi('/app/customers/');
const cell = 'px-3 py-2 text-left align-top';
const amountCell = 'px-3 py-2 text-right align-top tabular-nums whitespace-nowrap';

/** `/customers`: the payers by name, with what each still owes. */
export function CustomersListPage() {
  const { t, locale } = useI18n();
  useDocumentTitle(t('customers.title'));
  const search = route.useSearch();
  const { q = '', kind, page = 1 } = search;
  const navigate = useNavigate({ from: '/customers/' });
  const notice = useRouterState({ select: (state) => state.location.state.billingNotice });
  const criteria = { q, kind, page };
  const customers = useQuery({
    queryKey: customerKeys.list(criteria),
    queryFn: () => listCustomers(criteria),
    placeholderData: keepPreviousData,
  });
  const refine = useCallback(
    (change: Partial<CustomerListSearch>) =>
      void navigate({
        search: (previous) => {
          const next: CustomerListSearch = { ...previous, ...change, page: undefined };
          return Object.fromEntries(Object.entries(next).filter(([, value]) => value !== undefined && value !== ''));
        },
        replace: true,
      }),
    [navigate],
  );
  const onSearch = useCallback((query: string) => refine({ q: query }), [refine]);
  const empty = customers.data?.member.length === 0;

  return (
    <section aria-labelledby="customers-title">
      <div className="mb-4 flex flex-wrap items-center justify-between gap-3">
        <h1 id="customers-title" className="text-2xl font-semibold">
          {t('customers.title')}
        </h1>
        <Link to="/customers/new" className={primaryButton}>
          {t('customers.new')}
        </Link>
      </div>
      {notice && (
        <Alert tone="success" className="mb-4">
          {t(BILLING_NOTICES[notice])}
        </Alert>
      )}
      <div role="search" className="mb-4 grid grid-cols-1 items-start gap-4 sm:grid-cols-[1fr_auto]">
        <SearchBox
          id="customer-search"
          label={t('customers.search')}
          hint={t('customers.searchHint')}
          value={q}
          onSearch={onSearch}
          maxLength={100}
        />
        <div>
          <label htmlFor="customer-kind-filter" className="mb-1 block text-sm font-medium text-slate-800">
            {t('customers.kindLabel')}
          </label>
          <select
            id="customer-kind-filter"
            className={inputClass}
            value={kind ?? ''}
            onChange={(event) => refine({ kind: CUSTOMER_KINDS.find((value) => value === event.target.value) })}
          >
            <option value="">{t('customers.anyKind')}</option>
            {CUSTOMER_KINDS.map((value) => (
              <option key={value} value={value}>
                {t(CUSTOMER_KIND_LABELS[value])}
              </option>
            ))}
          </select>
        </div>
      </div>

      {customers.isPending && <p role="status">{t('common.loading')}</p>}
      {customers.isError && (
        <div className="flex flex-col items-start gap-3">
          <Alert>{errorMessage(customers.error, t)}</Alert>
          <button type="button" className={secondaryButton} onClick={() => void customers.refetch()}>
            {t('common.retry')}
          </button>
        </div>
      )}
      {customers.data && empty && (
        <p role="status" className="rounded-lg bg-white p-4 ring-1 ring-slate-200">
          {q ? t('customers.noMatch', { query: q }) : kind ? t('customers.noMatchKind') : t('customers.empty')}
        </p>
      )}
      {customers.data && !empty && (
        // A table, or on a phone a card per payer (index.css, `card-table`).
        <div className="card-table-box" aria-busy={customers.isFetching}>
          <table className="card-table min-w-full divide-y divide-slate-200 text-sm">
            <thead className="bg-slate-100 text-slate-700">
              <tr>
                <th scope="col" className={cell}>{t('customers.name')}</th>
                <th scope="col" className={cell}>{t('customers.kindLabel')}</th>
                <th scope="col" className={cell}>{t('customers.taxId')}</th>
                <th scope="col" className={cell}>{t('customers.contact')}</th>
                <th scope="col" className={amountCell}>{t('customers.outstanding')}</th>
              </tr>
            </thead>
            <tbody className="divide-y divide-slate-100">
              {customers.data.member.map((customer) => (
                <tr key={customer.id} className={customer.active ? '' : 'text-slate-500'}>
                  <td className={`${cell} card-title break-words`}>
                    <Link
                      to="/customers/$customerId"
                      params={{ customerId: customer.id }}
                      className={`${linkClass} font-medium`}
                    >
                      {customer.name}
                    </Link>
                    {!customer.active && (
                      <span className="mt-1 inline-block rounded bg-slate-200 px-2 text-xs font-medium text-slate-700">
                        {t('customers.inactive')}
                      </span>
                    )}
                  </td>
                  <td className={cell} data-label={t('customers.kindLabel')}>
                    {t(CUSTOMER_KIND_LABELS[customer.kind])}
                  </td>
                  <td className={cell} data-label={t('customers.taxId')}>{customer.taxId}</td>
                  <td className={`${cell} break-all`} data-label={t('customers.contact')}>
                    {[customer.email, customer.phoneDisplay ?? customer.phone].filter(Boolean).join(' · ')}
                  </td>
                  <td className={amountCell} data-label={t('customers.outstanding')}>
                    {isPositive(customer.outstanding) ? (
                      <OutstandingBadge amount={customer.outstanding} />
                    ) : (
                      <span className="text-slate-600">{formatMoney(customer.outstanding, locale)}</span>
                    )}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      {customers.data && (
        <Pager
          page={page}
          hasNext={!!customers.data.view?.next}
          renderLink={(target, props) => (
            <Link to="/customers" search={{ ...search, page: target > 1 ? target : undefined }} {...props} />
          )}
        />
      )}
    </section>
  );
}
