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

/** One page of invoices: a table, or on a phone a card per invoice (index.css, `card-table`). */
export function InvoicesTable({ invoices, busy }: { invoices: readonly InvoiceSummary[]; busy: boolean }) {
  const { t, locale } = useI18n();
  return (
    <div className="card-table-box" aria-busy={busy}>
      <table className="card-table min-w-full divide-y divide-slate-200 text-sm">
        <thead className="bg-slate-100 text-slate-700">
          <tr>
            <th scope="col" className={cell}>{t('invoices.number')}</th>
            <th scope="col" className={cell}>{t('invoices.issuedOn')}</th>
            <th scope="col" className={cell}>{t('invoices.customer')}</th>
            <th scope="col" className={amountCell}>{t('invoices.total')}</th>
            <th scope="col" className={amountCell}>{t('invoices.balance')}</th>
            <th scope="col" className={cell}>{t('invoices.statusLabel')}</th>
          </tr>
        </thead>
        <tbody className="divide-y divide-slate-100">
          {invoices.map((invoice) => {
            const outstanding = invoice.status !== 'draft' && isPositive(invoice.balance);
            return (
              <tr key={invoice.id}>
                <td className={`${cell} card-title`}>
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
                </td>
                <td className={cell} data-label={t('invoices.issuedOn')}>
                  {invoice.issuedOn && formatCalendarDate(invoice.issuedOn, locale)}
                </td>
                <td className={`${cell} break-words`} data-label={t('invoices.customer')}>
                  {recipientName(invoice.customer.name, t)}
                </td>
                <td className={amountCell} data-label={t('invoices.total')}>{formatMoney(invoice.total, locale)}</td>
                <td className={amountCell} data-label={t('invoices.balance')}>
                  {outstanding ? (
                    <OutstandingBadge amount={invoice.balance} />
                  ) : (
                    <span className="text-slate-600">
                      {invoice.status === 'draft' ? '—' : formatMoney(invoice.balance, locale)}
                    </span>
                  )}
                </td>
                <td className={cell} data-label={t('invoices.statusLabel')}>
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
