import { useQuery } from '@tanstack/react-query';
import { Link } from '@tanstack/react-router';
import { getPatientBalance } from '../../api/billing';
import { invoiceKeys } from '../../api/queryKeys';
import { linkClass } from '../../components/styles';
import { useI18n } from '../../i18n/useI18n';
import { formatMoney, isPositive } from './money';

/**
 * The patient's invoices at a glance for the front desk: how many were issued and what they
 * still owe across payers (the patient, an insurer…), with a link to the unpaid ones.
 */
export function PatientBalance({ patientId }: { patientId: string }) {
  const { t, locale } = useI18n();
  const balance = useQuery({
    queryKey: invoiceKeys.balance(patientId),
    queryFn: () => getPatientBalance(patientId),
  });
  if (balance.isPending) return null;
  if (balance.isError) {
    return <p className="text-sm text-slate-600">{t('patients.balance.unknown')}</p>;
  }
  const { issuedInvoices, outstanding } = balance.data;
  const owes = isPositive(outstanding);
  return (
    <section aria-labelledby="patient-balance-title" className="rounded-lg border border-slate-200 bg-white p-4">
      <h2 id="patient-balance-title" className="text-lg font-semibold">
        {t('patients.balance.title')}
      </h2>
      <p className="mt-1" data-testid="patient-balance">
        {t('patients.balance.summary', {
          count: issuedInvoices, // a number: t() picks the plural form by it
          amount: formatMoney(outstanding, locale),
        })}
      </p>
      <p className="mt-2 flex flex-wrap gap-4 text-sm">
        {owes && (
          <Link to="/invoices" search={{ patientId, outstanding: true }} className={linkClass}>
            {t('patients.balance.unpaid')}
          </Link>
        )}
        {issuedInvoices > 0 && (
          <Link to="/invoices" search={{ patientId }} className={linkClass}>
            {t('patients.balance.all')}
          </Link>
        )}
      </p>
    </section>
  );
}
