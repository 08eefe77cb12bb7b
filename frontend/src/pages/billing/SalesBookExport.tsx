import { useMutation } from '@tanstack/react-query';
import { type FormEvent, useState } from 'react';
import { downloadSalesBook } from '../../api/billing';
import { errorMessage } from '../../api/problem';
import { Alert } from '../../components/Alert';
import { secondaryButton } from '../../components/styles';
import { useI18n } from '../../i18n/useI18n';
import { isRealDate, localIsoDate } from '../../lib/dates';
import { saveFile } from './download';
import { DateField } from '../../components/DateField';

/** The first day of the quarter `today` is in ("2026-05-14" → "2026-04-01"). */
export function quarterStart(today: string): string {
  const month = Number(today.slice(5, 7));
  const first = month - ((month - 1) % 3);
  return `${today.slice(0, 4)}-${String(first).padStart(2, '0')}-01`;
}

/**
 * The sales book of a date range as a CSV for spreadsheets: fetched with the session's token
 * (the API needs it) and saved from memory.
 */
export function SalesBookExport({ from: initialFrom, to: initialTo }: { from?: string; to?: string }) {
  const { t } = useI18n();
  const today = localIsoDate();
  const [from, setFrom] = useState(initialFrom ?? quarterStart(today));
  const [to, setTo] = useState(initialTo ?? today);
  const [invalid, setInvalid] = useState(false);
  const exporting = useMutation({
    mutationFn: () => downloadSalesBook(from, to),
    onSuccess: saveFile,
  });

  function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const wrong = !isRealDate(from) || !isRealDate(to) || from > to;
    setInvalid(wrong);
    if (!wrong) exporting.mutate();
  }

  return (
    <section aria-labelledby="sales-book-title" className="mt-8 rounded-lg bg-white p-4 shadow-sm ring-1 ring-slate-200">
      <h2 id="sales-book-title" className="mb-1 text-lg font-semibold">
        {t('invoices.salesBook.title')}
      </h2>
      <p className="mb-3 text-sm text-slate-600">{t('invoices.salesBook.hint')}</p>
      <form onSubmit={submit} noValidate className="flex flex-wrap items-end gap-3">
        <DateField
          id="sales-book-from"
          label={t('invoices.salesBook.from')}
          value={from}
          required
          error={invalid ? t('invoices.salesBook.invalidRange') : undefined}
          onChange={setFrom}
        />
        <DateField
          id="sales-book-to"
          label={t('invoices.salesBook.to')}
          value={to}
          required
          onChange={setTo}
        />
        <button type="submit" className={secondaryButton} disabled={exporting.isPending}>
          {exporting.isPending ? t('invoices.downloading') : t('invoices.salesBook.download')}
        </button>
      </form>
      {exporting.isError && <Alert className="mt-3">{errorMessage(exporting.error, t)}</Alert>}
    </section>
  );
}
