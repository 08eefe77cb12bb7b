import { useQuery } from '@tanstack/react-query';
import { getRouteApi, Link } from '@tanstack/react-router';
import { useState } from 'react';
import { getInvoice } from '../../api/billing';
import { getPatient } from '../../api/patients';
import { errorMessage } from '../../api/problem';
import { invoiceKeys, patientKeys } from '../../api/queryKeys';
import { Alert } from '../../components/Alert';
import { linkClass, secondaryButton } from '../../components/styles';
import { useDocumentTitle } from '../../components/useDocumentTitle';
import { useI18n } from '../../i18n/useI18n';
import { invoiceFormFrom, sessionLineOfInvoice } from './invoiceForm';
import { InvoiceEditor } from './InvoiceEditor';

const route = getRouteApi('/app/invoices/$invoiceId/edit');

/** `/invoices/$invoiceId/edit`: change a draft (If-Match: a stale edit is refused). */
export function InvoiceEditPage() {
  const { t, locale } = useI18n();
  useDocumentTitle(t('invoices.editDraft'));
  const { invoiceId } = route.useParams();
  const [loads, setLoads] = useState(0);
  const invoice = useQuery({ queryKey: invoiceKeys.detail(invoiceId), queryFn: () => getInvoice(invoiceId) });
  const stored = invoice.data?.data;
  const patientId = stored?.patientId ?? null;
  const patient = useQuery({
    queryKey: patientKeys.detail(patientId ?? ''),
    queryFn: () => getPatient(patientId ?? ''),
    enabled: !!patientId,
  });

  async function reload() {
    await invoice.refetch();
    setLoads((n) => n + 1); // a fresh editor, filled with what the server has now
  }

  return (
    <section aria-labelledby="invoice-edit-title">
      <p className="mb-2">
        <Link to="/invoices/$invoiceId" params={{ invoiceId }} className={linkClass}>
          {t('invoices.backToInvoice')}
        </Link>
      </p>
      <h1 id="invoice-edit-title" className="mb-4 text-2xl font-semibold">
        {t('invoices.editDraft')}
      </h1>
      {(invoice.isPending || (!!patientId && patient.isPending)) && <p role="status">{t('common.loading')}</p>}
      {invoice.isError && <Alert>{errorMessage(invoice.error, t)}</Alert>}
      {stored && stored.status !== 'draft' && (
        <Alert tone="warning">
          <p className="mb-2">{t('invoices.errors.notDraft')}</p>
          <Link to="/invoices/$invoiceId" params={{ invoiceId }} className={linkClass}>
            {t('invoices.seeInvoice')}
          </Link>
        </Alert>
      )}
      {invoice.data && stored?.status === 'draft' && (!patientId || !patient.isPending) && (
        <InvoiceEditor
          key={loads}
          initial={invoiceFormFrom(stored, patient.data?.data.fullName ?? null, locale)}
          draft={{
            id: stored.id,
            etag: invoice.data.etag,
            sessions: stored.lines.filter((line) => line.sessionId).map(sessionLineOfInvoice),
          }}
          keptName={`invoice-edit:${stored.id}`}
          onReload={() => void reload()}
        >
          <Link to="/invoices/$invoiceId" params={{ invoiceId }} className={secondaryButton}>
            {t('common.cancel')}
          </Link>
        </InvoiceEditor>
      )}
    </section>
  );
}
