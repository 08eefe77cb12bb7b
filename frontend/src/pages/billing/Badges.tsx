import type { InvoiceStatus, Money } from '../../api/billing';
import { useI18n } from '../../i18n/useI18n';
import { STATUS_LABELS } from './labels';
import { formatMoney } from './money';

const TONES: Record<InvoiceStatus, string> = {
  draft: 'bg-slate-200 text-slate-800 ring-slate-300',
  issued: 'bg-sky-100 text-sky-900 ring-sky-300',
  partially_paid: 'bg-amber-100 text-amber-950 ring-amber-300',
  paid: 'bg-emerald-100 text-emerald-900 ring-emerald-300',
};

const pill = 'inline-block whitespace-nowrap rounded-full px-2 py-0.5 text-xs font-medium ring-1';

/** "Borrador", "Emitida", "Pagada en parte", "Pagada" (the text, not the colour, carries it). */
export function InvoiceStatusBadge({ status }: { status: InvoiceStatus }) {
  const { t } = useI18n();
  return <span className={`${pill} ${TONES[status]}`}>{t(STATUS_LABELS[status])}</span>;
}

/** "Pendiente: 40,00 €" on an invoice or customer that still owes something. */
export function OutstandingBadge({ amount }: { amount: Money }) {
  const { t, locale } = useI18n();
  return (
    <span className={`${pill} bg-red-50 text-red-900 ring-red-300`}>
      {t('invoices.outstandingBadge', { amount: formatMoney(amount, locale) })}
    </span>
  );
}
