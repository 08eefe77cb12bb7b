import { Link } from '@tanstack/react-router';
import type { InvoiceSummary } from '../../api/billing';
import { linkClass } from '../../components/styles';
import { formatCalendarDate } from '../../i18n/format';
import { useI18n } from '../../i18n/useI18n';
import { InvoiceStatusBadge, OutstandingBadge } from './Badges';
import { recipientName } from './labels';
import { formatMoney, isPositive } from './money';

const cell = 'px-3 py-2 text-left align-top';
const amountCell = 'px-3 py-2 text-right align-top tabular-nums whitespace-nowrap';
const wideOnly = 'hidden md:table-cell';
const narrowHidden = 'hidden sm:table-cell';

/** One page of invoices; on a phone the number cell carries the date and status too. */
export function InvoicesTable({ invoices, busy }: { invoices: readonly InvoiceSummary[]; busy: boolean }) {
  const { t, locale } = useI18n();
  return (
    <div className="overflow-x-auto rounded-lg bg-white shadow-sm ring-1 ring-slate-200" aria-busy={busy}>
      <table className="min-w-full divide-y divide-slate-200 text-sm">
        <thead className="bg-slate-100 text-slate-700">
          <tr>
            <th scope="col" className={cell}>{t('invoices.number')}</th>
            <th scope="col" className={`${cell} ${wideOnly}`}>{t('invoices.issuedOn')}</th>
            <th scope="col" className={cell}>{t('invoices.customer')}</th>
            <th scope="col" className={`${amountCell} ${narrowHidden}`}>{t('invoices.total')}</th>
            <th scope="col" className={`${amountCell} ${narrowHidden}`}>{t('invoices.balance')}</th>
            <th scope="col" className={`${cell} ${narrowHidden}`}>{t('invoices.statusLabel')}</th>
          </tr>
        </thead>
        <tbody className="divide-y divide-slate-100">
          {invoices.map((invoice) => {
            const outstanding = invoice.status !== 'draft' && isPositive(invoice.balance);
            return (
              <tr key={invoice.id}>
                <td className={cell}>
                  <Link
                    to="/invoices/$invoiceId"
                    params={{ invoiceId: invoice.id }}
                    className={`${linkClass} font-medium whitespace-nowrap`}
                    aria-label={
                      invoice.number ?? t('invoices.draftFor', { name: recipientName(invoice.customer.name, t) })
                    }
                  >
                    {invoice.number ?? t('invoices.draft')}
                  </Link>
                  <span className="block text-slate-600 md:hidden">
                    {invoice.issuedOn && formatCalendarDate(invoice.issuedOn, locale)}
                  </span>
                  <span className="mt-1 flex flex-wrap gap-1 sm:hidden">
                    <InvoiceStatusBadge status={invoice.status} />
                    {outstanding && <OutstandingBadge amount={invoice.balance} />}
                  </span>
                </td>
                <td className={`${cell} ${wideOnly}`}>
                  {invoice.issuedOn && formatCalendarDate(invoice.issuedOn, locale)}
                </td>
                <td className={`${cell} break-words`}>
                  {recipientName(invoice.customer.name, t)}
                  <span className="block text-slate-600 sm:hidden">
                    {formatMoney(invoice.total, locale)}
                  </span>
                </td>
                <td className={`${amountCell} ${narrowHidden}`}>{formatMoney(invoice.total, locale)}</td>
                <td className={`${amountCell} ${narrowHidden}`}>
                  {outstanding ? (
                    <OutstandingBadge amount={invoice.balance} />
                  ) : (
                    <span className="text-slate-600">
                      {invoice.status === 'draft' ? '—' : formatMoney(invoice.balance, locale)}
                    </span>
                  )}
                </td>
                <td className={`${cell} ${narrowHidden}`}>
                  <InvoiceStatusBadge status={invoice.status} />
                </td>
              </tr>
            );
          })}
        </tbody>
      </table>
    </div>
  );
}
