import { focusRing } from '../../components/styles';
import { formatDateTime } from '../../i18n/format';
import { useI18n } from '../../i18n/useI18n';
import type { SessionLine } from './invoiceForm';
import { formatMoney, vatRateOf } from './money';

interface SessionsFieldProps {
  id: string;
  sessions: readonly SessionLine[];
  chosen: readonly string[];
  onChange: (sessionIds: string[]) => void;
  loading: boolean;
  failed: string | null;
  error?: string | undefined;
}

/** The patient's completed sessions not invoiced yet, each a checkbox (one line per session). */
export function SessionsField({ id, sessions, chosen, onChange, loading, failed, error }: SessionsFieldProps) {
  const { t, locale } = useI18n();
  const toggle = (sessionId: string, on: boolean) =>
    onChange(on ? [...chosen, sessionId] : chosen.filter((other) => other !== sessionId));

  return (
    <fieldset
      id={id}
      tabIndex={-1}
      aria-describedby={error ? `${id}-error` : undefined}
      className="flex flex-col gap-2"
    >
      <legend className="mb-1 text-base font-semibold text-slate-900">{t('invoices.sessions')}</legend>
      {error && (
        <p id={`${id}-error`} className="text-sm font-medium text-red-700">
          {error}
        </p>
      )}
      {loading && <p className="text-sm text-slate-600">{t('common.loading')}</p>}
      {failed && (
        <p role="alert" className="text-sm text-red-700">
          {failed}
        </p>
      )}
      {!loading && !failed && sessions.length === 0 && (
        <p className="text-sm text-slate-600">{t('invoices.noSessions')}</p>
      )}
      {sessions.length > 0 && (
        <ul className="flex flex-col divide-y divide-slate-100 rounded-md border border-slate-200 bg-white">
          {sessions.map((session) => {
            const checked = chosen.includes(session.id);
            const exempt = vatRateOf(session.vatRate) === '0';
            return (
              <li key={session.id} className="px-3 py-2">
                <div className="flex items-start gap-3">
                  <input
                    id={`${id}-${session.id}`}
                    type="checkbox"
                    className={`mt-1 h-5 w-5 shrink-0 rounded border-slate-400 ${focusRing}`}
                    checked={checked}
                    disabled={!!session.reservedBy && !checked}
                    aria-describedby={`${id}-${session.id}-details`}
                    onChange={(event) => toggle(session.id, event.target.checked)}
                  />
                  <div className="flex min-w-0 flex-1 flex-wrap justify-between gap-x-4">
                    <div className="min-w-0">
                      <label htmlFor={`${id}-${session.id}`} className="block font-medium">
                        {session.description}
                      </label>
                      <p id={`${id}-${session.id}-details`} className="text-sm text-slate-600">
                        {[
                          session.startsAt && formatDateTime(session.startsAt, locale),
                          exempt ? t('invoices.exemptShort') : `${t('invoices.vat')} ${vatRateOf(session.vatRate) ?? ''} %`,
                          session.payerName && t('invoices.paidBy', { name: session.payerName }),
                          session.reservedBy && t('invoices.reserved'),
                        ]
                          .filter(Boolean)
                          .join(' · ')}
                      </p>
                    </div>
                    <span className="tabular-nums">{formatMoney(session.unitPrice, locale)}</span>
                  </div>
                </div>
              </li>
            );
          })}
        </ul>
      )}
    </fieldset>
  );
}
