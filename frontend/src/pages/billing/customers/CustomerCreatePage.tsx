import { useMutation, useQueryClient } from '@tanstack/react-query';
import { Link, useNavigate } from '@tanstack/react-router';
import { useState } from 'react';
import { createCustomer, type CustomerBody } from '../../../api/billing';
import { useIdempotencyKey } from '../../../api/idempotency';
import { toApiError } from '../../../api/problem';
import { customerKeys } from '../../../api/queryKeys';
import { useSession } from '../../../auth/SessionContext';
import { linkClass, secondaryButton } from '../../../components/styles';
import { useDocumentTitle } from '../../../components/useDocumentTitle';
import { useI18n } from '../../../i18n/useI18n';
import { keptForm, useKeepOnExpiry } from '../keptForm';
import { CustomerForm } from './CustomerForm';
import { type CustomerFormValues, emptyCustomerForm, toCustomerBody } from './customerFields';

const KEPT = 'customer-new';

/** `/customers/new`: a new payer (a person, a company or an insurer). */
export function CustomerCreatePage() {
  const { t } = useI18n();
  useDocumentTitle(t('customers.new'));
  const { user } = useSession();
  const navigate = useNavigate();
  const queryClient = useQueryClient();
  const [values, setValues] = useState<CustomerFormValues>(
    () => keptForm<CustomerFormValues>(KEPT, user?.id) ?? emptyCustomerForm(),
  );
  useKeepOnExpiry(KEPT, values);
  const idempotency = useIdempotencyKey();
  const create = useMutation({
    mutationFn: (body: CustomerBody) => createCustomer(body, idempotency.keyFor(body)),
    onSuccess: async (customer) => {
      idempotency.reset();
      await queryClient.invalidateQueries({ queryKey: customerKeys.lists() });
      await navigate({
        to: '/customers/$customerId',
        params: { customerId: customer.id },
        state: { billingNotice: 'customerCreated' },
      });
    },
  });

  return (
    <section aria-labelledby="customer-create-title">
      <p className="mb-2">
        <Link to="/customers" className={linkClass}>
          {t('customers.backToList')}
        </Link>
      </p>
      <h1 id="customer-create-title" className="mb-4 text-2xl font-semibold">
        {t('customers.new')}
      </h1>
      <CustomerForm
        values={values}
        onChange={setValues}
        onSubmit={() => create.mutate(toCustomerBody(values))}
        submitting={create.isPending}
        error={create.error ? toApiError(create.error) : null}
      >
        <Link to="/customers" className={secondaryButton}>
          {t('common.cancel')}
        </Link>
      </CustomerForm>
    </section>
  );
}
