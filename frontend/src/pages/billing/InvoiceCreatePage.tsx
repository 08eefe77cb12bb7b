import { useQuery } from '@tanstack/react-query';
import { getRouteApi, Link } from '@tanstack/react-router';
import { getCustomer } from '../../api/billing';
import { getPatient } from '../../api/patients';
import { customerKeys, patientKeys } from '../../api/queryKeys';
import { linkClass, secondaryButton } from '../../components/styles';
import { useDocumentTitle } from '../../components/useDocumentTitle';
import { useI18n } from '../../i18n/useI18n';
import { emptyInvoiceForm, type InvoiceFormValues } from './invoiceForm';
import { InvoiceEditor } from './InvoiceEditor';

const route = getRouteApi('/app/invoices/new');

/**
 * `/invoices/new`: a new invoice, blank or for a patient (`?patientId=`, from the patients list)
 * and one of their sessions (`&sessionId=`, from a completed appointment), or for a customer.
 */
export function InvoiceCreatePage() {
  const { t } = useI18n();
  useDocumentTitle(t('invoices.new'));
  const { patientId, sessionId, customerId } = route.useSearch();
  const patient = useQuery({
    queryKey: patientKeys.detail(patientId ?? ''),
    queryFn: () => getPatient(patientId ?? ''),
    enabled: !!patientId,
  });
  const customer = useQuery({
    queryKey: customerKeys.detail(customerId ?? ''),
    queryFn: () => getCustomer(customerId ?? ''),
    enabled: !!customerId,
  });
  const waiting = (!!patientId && patient.isPending) || (!!customerId && customer.isPending);

  const initial = (): InvoiceFormValues => {
    const stored = patient.data?.data;
    const payer = customer.data?.data;
    return {
      ...emptyInvoiceForm(),
      patient: stored ? { id: stored.id, fullName: stored.fullName } : null,
      customer: payer ? { id: payer.id, name: payer.name } : null,
      sessionIds: stored && sessionId ? [sessionId] : [],
    };
  };

  return (
    <section aria-labelledby="invoice-create-title">
      <p className="mb-2">
        <Link to="/invoices" className={linkClass}>
          {t('invoices.backToList')}
        </Link>
      </p>
      <h1 id="invoice-create-title" className="mb-4 text-2xl font-semibold">
        {t('invoices.new')}
      </h1>
      {waiting ? (
        <p role="status">{t('common.loading')}</p>
      ) : (
        <InvoiceEditor
          initial={initial()}
          keptName={`invoice-new:${patientId ?? ''}:${sessionId ?? ''}:${customerId ?? ''}`}
          lookUpPayer={!!patient.data && !customer.data}
        >
          <Link to="/invoices" className={secondaryButton}>
            {t('common.cancel')}
          </Link>
        </InvoiceEditor>
      )}
    </section>
  );
}
