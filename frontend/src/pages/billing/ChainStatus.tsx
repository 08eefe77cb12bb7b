import { useQuery } from '@tanstack/react-query';
import { verifyChain } from '../../api/billing';
import { invoiceKeys } from '../../api/queryKeys';
import { formatNumber } from '../../i18n/format';
import { useI18n } from '../../i18n/useI18n';

/** "Cadena Verifactu íntegra" or where the hash chain first breaks (`GET …/chain/verify`). */
export function ChainStatus() {
  const { t, locale } = useI18n();
  const chain = useQuery({ queryKey: invoiceKeys.chain(), queryFn: verifyChain, staleTime: 60_000 });
  if (chain.isPending) return null;
  if (chain.isError) {
    return <p className="text-sm text-slate-600">{t('invoices.chain.unknown')}</p>;
  }
  const { ok, records, firstBreak } = chain.data;
  if (ok) {
    return (
      <p className="flex items-center gap-2 text-sm text-emerald-800" data-testid="chain-status">
        <span aria-hidden="true">✓</span>
        {t('invoices.chain.intact', { count: records, records: formatNumber(records, locale) })}
      </p>
    );
  }
  return (
    <p role="alert" className="rounded-md border border-red-300 bg-red-50 px-3 py-2 text-sm text-red-900" data-testid="chain-status">
      {firstBreak
        ? t('invoices.chain.broken', {
            position: formatNumber(firstBreak.position, locale),
            number: firstBreak.number ?? '—',
            reason: t(firstBreak.reason === 'hash' ? 'invoices.chain.reasonHash' : 'invoices.chain.reasonLink'),
          })
        : t('invoices.chain.brokenSomewhere')}
    </p>
  );
}
