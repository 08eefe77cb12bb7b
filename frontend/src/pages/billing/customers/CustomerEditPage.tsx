import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { getRouteApi, Link, useNavigate, useRouterState } from '@tanstack/react-router';
import { useState } from 'react';
import { type Customer, deleteCustomer, getCustomer, updateCustomer } from '../../../api/billing';
import type { Versioned } from '../../../api/http';
import { errorMessage, toApiError } from '../../../api/problem';
import { customerKeys } from '../../../api/queryKeys';
import { useSession } from '../../../auth/SessionContext';
import { Alert } from '../../../components/Alert';
import { dangerButton, linkClass, secondaryButton } from '../../../components/styles';
import { useDocumentTitle } from '../../../components/useDocumentTitle';
import { useI18n } from '../../../i18n/useI18n';
import { OutstandingBadge } from '../Badges';
import { keptForm, useKeepOnExpiry } from '../keptForm';
import { BILLING_NOTICES, CUSTOMER_KIND_LABELS } from '../labels';
import { formatMoney, isPositive } from '../money';
import { CustomerForm } from './CustomerForm';
import { type CustomerFormValues, customerFormFrom, toCustomerBody } from './customerFields';

const route = getRouteApi('/app/customers/$customerId');

/** `/customers/$customerId`: a payer's data (edited with If-Match), their invoices, deletion. */
export function CustomerEditPage() {
  const { t } = useI18n();
  const { customerId } = route.useParams();
  const [loads, setLoads] = useState(0);
  const customer = useQuery({
    queryKey: customerKeys.detail(customerId),
    queryFn: () => getCustomer(customerId),
  });
  const stored = customer.data?.data;
  useDocumentTitle(stored?.name ?? t('customers.title'));

  async function reload() {
    await customer.refetch();
    setLoads((n) => n + 1);
  }

  return (
    <section aria-labelledby="customer-title">
      <p className="mb-2">
        <Link to="/customers" className={linkClass}>
          {t('customers.backToList')}
        </Link>
      </p>
      {customer.isPending && <p role="status">{t('common.loading')}</p>}
      {customer.isError && (
        <>
          <h1 id="customer-title" className="mb-4 text-2xl font-semibold">
            {t('customers.title')}
          </h1>
          <Alert>{errorMessage(customer.error, t)}</Alert>
        </>
      )}
      {customer.data && (
        <CustomerEditor key={loads} loaded={customer.data} onReload={() => void reload()} />
      )}
    </section>
  );
}

function CustomerEditor({ loaded, onReload }: { loaded: Versioned<Customer>; onReload: () => void }) {
  const { t, locale } = useI18n();
  const { user } = useSession();
  const navigate = useNavigate();
  const queryClient = useQueryClient();
  const notice = useRouterState({ select: (state) => state.location.state.billingNotice });
  const keptName = `customer-edit:${loaded.data.id}`;
  // The version this editor started from: a refetch meanwhile must not silently become the base.
  const [{ data: stored, etag }, setBase] = useState(
    () => keptForm<{ values: CustomerFormValues; base: Versioned<Customer> }>(keptName, user?.id)?.base ?? loaded,
  );
  const [values, setValues] = useState<CustomerFormValues>(
    () => keptForm<{ values: CustomerFormValues }>(keptName, user?.id)?.values ?? customerFormFrom(loaded.data),
  );
  useKeepOnExpiry(keptName, { values, base: { data: stored, etag } });
  const [saved, setSaved] = useState(false);
  const [confirmingDelete, setConfirmingDelete] = useState(false);
  const save = useMutation({
    mutationFn: () => updateCustomer(stored.id, toCustomerBody(values, stored), etag),
    onSuccess: async (result) => {
      queryClient.setQueryData(customerKeys.detail(stored.id), result);
      await queryClient.invalidateQueries({ queryKey: customerKeys.lists() });
      setBase(result);
      setValues(customerFormFrom(result.data));
      setSaved(true);
    },
  });
  const remove = useMutation({
    mutationFn: () => deleteCustomer(stored.id),
    onSuccess: async () => {
      queryClient.removeQueries({ queryKey: customerKeys.detail(stored.id) });
      await queryClient.invalidateQueries({ queryKey: customerKeys.lists() });
      await navigate({ to: '/customers', state: { billingNotice: 'customerDeleted' } });
    },
    onError: () => setConfirmingDelete(false),
  });
  const error = save.error ? toApiError(save.error) : null;
  const deleteError = remove.error ? toApiError(remove.error) : null;
  const shownNotice = saved ? 'customerSaved' : notice;

  return (
    <div className="flex flex-col gap-4">
      <div className="flex flex-wrap items-start justify-between gap-3">
        <div>
          <h1 id="customer-title" className="flex flex-wrap items-center gap-3 text-2xl font-semibold">
            {stored.name}
            {isPositive(stored.outstanding) && <OutstandingBadge amount={stored.outstanding} />}
          </h1>
          <p className="mt-1 text-slate-700">
            {[
              t(CUSTOMER_KIND_LABELS[stored.kind]),
              t('customers.outstandingTotal', { amount: formatMoney(stored.outstanding, locale) }),
            ].join(' · ')}
          </p>
          {stored.patientId && (
            <p className="mt-1 text-sm">
              <Link to="/patients/$patientId" params={{ patientId: stored.patientId }} className={linkClass}>
                {t('customers.seePatient')}
              </Link>
            </p>
          )}
        </div>
        <div className="flex flex-wrap gap-2">
          <Link to="/invoices" search={{ customerId: stored.id }} className={secondaryButton}>
            {t('customers.invoices')}
          </Link>
          <Link to="/invoices/new" search={{ customerId: stored.id }} className={secondaryButton}>
            {t('invoices.new')}
          </Link>
        </div>
      </div>
      {shownNotice && (
        <Alert tone="success">{t(BILLING_NOTICES[shownNotice])}</Alert>
      )}
      {error?.status === 412 && (
        <Alert tone="warning">
          <p className="mb-2">{t('errors.staleEdit')}</p>
          <button type="button" className={secondaryButton} onClick={onReload}>
            {t('common.reload')}
          </button>
        </Alert>
      )}
      {deleteError && (
        <Alert>
          {deleteError.status === 409 ? t('customers.errors.hasInvoices') : errorMessage(deleteError, t)}
        </Alert>
      )}
      <CustomerForm
        values={values}
        onChange={(next) => {
          setSaved(false);
          setValues(next);
        }}
        onSubmit={() => save.mutate()}
        submitting={save.isPending}
        error={error}
        customerId={stored.id}
      >
        <Link to="/customers" className={secondaryButton}>
          {t('common.cancel')}
        </Link>
      </CustomerForm>

      <section aria-labelledby="customer-delete-title" className="mt-4 max-w-3xl border-t border-slate-200 pt-4">
        <h2 id="customer-delete-title" className="mb-2 text-lg font-semibold">
          {t('customers.deleteTitle')}
        </h2>
        <p className="mb-3 text-sm text-slate-700">{t('customers.deleteHint')}</p>
        {confirmingDelete ? (
          <div role="group" aria-labelledby="customer-delete-question" className="rounded-md border border-red-200 bg-red-50 p-4">
            <p id="customer-delete-question" className="mb-3 text-red-900">
              {t('customers.deleteConfirm', { name: stored.name })}
            </p>
            <div className="flex flex-wrap gap-3">
              <button type="button" className={dangerButton} disabled={remove.isPending} onClick={() => remove.mutate()}>
                {t('customers.delete')}
              </button>
              <button type="button" className={secondaryButton} onClick={() => setConfirmingDelete(false)}>
                {t('common.cancel')}
              </button>
            </div>
          </div>
        ) : (
          <button
            type="button"
            className={dangerButton}
            onClick={() => {
              remove.reset();
              setConfirmingDelete(true);
            }}
          >
            {t('customers.delete')}
          </button>
        )}
      </section>
    </div>
  );
}
