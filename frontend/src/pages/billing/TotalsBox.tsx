import { useI18n } from '../../i18n/useI18n';
import { formatMoney, formatPercent } from './money';

export interface TotalsRow {
  vatRate: string;
  exemption: string | null;
  /** The text the invoice prints for its exemption (the server's, in the invoice's language). */
  exemptionText?: string | null;
  base: string;
  tax: string;
}

interface TotalsBoxProps {
  breakdown: readonly TotalsRow[];
  base: string;
  tax: string;
  total: string;
  /** Paid so far and still owed (an issued invoice). */
  paid?: string;
  balance?: string;
  /** Lines left out because they cannot be computed yet (the form's). */
  incomplete?: number;
  title?: string;
  live?: boolean;
}

const row = 'flex justify-between gap-4 py-0.5';
const amount = 'tabular-nums whitespace-nowrap';

/** The VAT breakdown per rate (exemption text on 0 %), then base, VAT, total and the balance. */
export function TotalsBox(props: TotalsBoxProps) {
  const { t, locale } = useI18n();
  const exemptionTexts = [
    ...new Set(props.breakdown.flatMap((item) => (item.exemptionText ? [item.exemptionText] : []))),
  ];
  return (
    <section
      aria-label={props.title ?? t('invoices.totals')}
      aria-live={props.live ? 'polite' : undefined}
      className="w-full rounded-lg bg-white p-4 text-sm shadow-sm ring-1 ring-slate-200 sm:max-w-md"
    >
      {props.breakdown.length > 0 && (
        <table className="mb-2 w-full text-sm">
          <caption className="sr-only">{t('invoices.breakdown')}</caption>
          <thead className="text-slate-600">
            <tr>
              <th scope="col" className="py-1 text-left font-medium">{t('invoices.vatRate')}</th>
              <th scope="col" className="py-1 pl-3 text-right font-medium">{t('invoices.base')}</th>
              <th scope="col" className="py-1 pl-3 text-right font-medium">{t('invoices.tax')}</th>
            </tr>
          </thead>
          <tbody>
            {props.breakdown.map((item) => (
              <tr key={`${item.vatRate}-${item.exemption ?? ''}`}>
                <th scope="row" className="py-0.5 text-left font-normal">
                  {item.exemption
                    ? t('invoices.exempt')
                    : formatPercent(item.vatRate, locale)}
                </th>
                <td className={`py-0.5 pl-3 text-right ${amount}`}>{formatMoney(item.base, locale)}</td>
                <td className={`py-0.5 pl-3 text-right ${amount}`}>{formatMoney(item.tax, locale)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      <dl className="border-t border-slate-200 pt-2">
        <div className={row}>
          <dt>{t('invoices.base')}</dt>
          <dd className={amount}>{formatMoney(props.base, locale)}</dd>
        </div>
        <div className={row}>
          <dt>{t('invoices.tax')}</dt>
          <dd className={amount}>{formatMoney(props.tax, locale)}</dd>
        </div>
        <div className={`${row} text-base font-semibold`}>
          <dt>{t('invoices.total')}</dt>
          <dd className={amount} data-testid="invoice-total">
            {formatMoney(props.total, locale)}
          </dd>
        </div>
        {props.paid !== undefined && (
          <div className={row}>
            <dt>{t('invoices.paid')}</dt>
            <dd className={amount}>{formatMoney(props.paid, locale)}</dd>
          </div>
        )}
        {props.balance !== undefined && (
          <div className={`${row} font-semibold`}>
            <dt>{t('invoices.balance')}</dt>
            <dd className={amount} data-testid="invoice-balance">
              {formatMoney(props.balance, locale)}
            </dd>
          </div>
        )}
      </dl>
      {!!props.incomplete && (
        <p className="mt-2 text-slate-600">{t('invoices.incompleteLines', { count: props.incomplete })}</p>
      )}
      {exemptionTexts.map((text) => (
        <p key={text} className="mt-2 text-xs text-slate-600">
          {text}
        </p>
      ))}
    </section>
  );
}
