import { useMutation } from '@tanstack/react-query';
import { type FormEvent, useState } from 'react';
import {
  type Invoice,
  type ReasonCode,
  type RectificationMethod,
  type RectifyBody,
  rectifyInvoice,
} from '../../api/billing';
import { useIdempotencyKey } from '../../api/idempotency';
import { errorMessage, toApiError } from '../../api/problem';
import { Alert } from '../../components/Alert';
import { SelectField, TextAreaField } from '../../components/Field';
import { Modal } from '../../components/Modal';
import { focusRing, primaryButton, secondaryButton } from '../../components/styles';
import type { TranslationKey } from '../../i18n/catalogs';
import { useI18n } from '../../i18n/useI18n';
import {
  type InvoiceFieldErrors,
  invoiceFieldErrors,
  invoiceFieldId,
  type LineField,
  lineErrors,
  lineFromInvoice,
  type LineValues,
  toLineBody,
} from './invoiceForm';
import { RECTIFICATION_METHOD_LABELS, REASON_CODES, REASON_LABELS } from './labels';
import { LinesEditor } from './LinesEditor';
import { computeTotals, formatMoney, fromCents, toCents } from './money';

export const REASON_MAX = 500;

interface RectifyDialogProps {
  invoice: Invoice;
  onClose: () => void;
  /** The rectifying invoice just issued (null when the server sent no body). */
  onRectified: (rectifying: Invoice | null) => void;
}

type RectifyField = 'method' | 'reasonCode' | 'reason';
type Errors = InvoiceFieldErrors & Partial<Record<RectifyField, TranslationKey>>;

const METHOD_HINTS: Record<RectificationMethod, TranslationKey> = {
  substitution: 'invoices.rectify.method.substitutionHint',
  differences: 'invoices.rectify.method.differencesHint',
};

const PREFIX = 'rectify';

/**
 * Issue a rectifying invoice (series R): by substitution (the corrected lines replace the
 * original's) or by differences (the original is deducted and the corrected lines added; with no
 * lines, the invoice is cancelled in full), with the reason code R1–R5 and the reason in words.
 */
export function RectifyDialog({ invoice, onClose, onRectified }: RectifyDialogProps) {
  const { t, locale } = useI18n();
  const simplified = invoice.series === 'S';
  // R5 is for simplified invoices, and only for them (RD 1619/2012; billing refuses otherwise).
  const codes = REASON_CODES.filter((code) => (code === 'R5') === simplified);
  const [method, setMethod] = useState<RectificationMethod>('differences');
  const [cancelInFull, setCancelInFull] = useState(true);
  const [reasonCode, setReasonCode] = useState<ReasonCode>(simplified ? 'R5' : 'R4');
  const [reason, setReason] = useState('');
  const [lines, setLines] = useState<LineValues[]>(() => invoice.lines.map((line) => lineFromInvoice(line, locale)));
  const [checked, setChecked] = useState<Errors>({});
  const idempotency = useIdempotencyKey();
  const withLines = method === 'substitution' || !cancelInFull;

  const rectify = useMutation({
    mutationFn: (body: RectifyBody) => rectifyInvoice(invoice.id, body, idempotency.keyFor(body)),
    onSuccess: (rectifying) => {
      idempotency.reset();
      onRectified(rectifying);
    },
  });
  const error = rectify.error ? toApiError(rectify.error) : null;
  const serverErrors: Errors = {};
  if (error) {
    Object.assign(serverErrors, invoiceFieldErrors(error));
    for (const { field } of error.fieldErrors) {
      if (field === 'reason') serverErrors.reason = 'invoices.rectify.errors.reason';
      if (field === 'reasonCode') serverErrors.reasonCode = 'invoices.rectify.errors.reasonCode';
      if (field === 'method') serverErrors.method = 'errors.invalidValue';
      if (field === 'lines' && withLines) serverErrors.lines = 'invoices.rectify.errors.unchanged';
    }
  }
  const errors: Errors = { ...serverErrors, ...checked };
  const message = (path: keyof Errors) => {
    const key = errors[path];
    return key ? t(key) : undefined;
  };

  const corrected = computeTotals(withLines ? lines : []);
  const originalCents = toCents(invoice.total) ?? 0n;
  // A substitution carries the corrected lines whole; differences, the corrected less the original.
  const rectifyingTotal =
    method === 'substitution' ? corrected.total : fromCents(corrected.totalCents - originalCents);

  function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const found: Errors = {};
    if (!reason.trim() || reason.trim().length > REASON_MAX) found.reason = 'invoices.rectify.errors.reason';
    if (withLines) {
      if (lines.length === 0) found.lines = 'invoices.rectify.errors.noLines';
      lines.forEach((line, index) => Object.assign(found, lineErrors(line, index)));
    }
    setChecked(found);
    const first = Object.keys(found)[0];
    if (first) {
      const id = first === 'reason' ? 'rectify-reason' : invoiceFieldId(first as `lines.${number}.${LineField}`, PREFIX);
      document.getElementById(id)?.focus();
      return;
    }
    const body: RectifyBody = { method, reasonCode, reason: reason.trim() };
    if (withLines) body.lines = lines.map((line) => toLineBody(line));
    rectify.mutate(body);
  }

  const hasFieldErrors = Object.keys(errors).length > 0;
  return (
    <Modal
      title={t('invoices.rectify.title', { number: invoice.number ?? '' })}
      closeLabel={t('common.close')}
      onClose={onClose}
    >
      <form onSubmit={submit} noValidate className="flex flex-col gap-4" aria-busy={rectify.isPending}>
        {error && <Alert>{hasFieldErrors ? t('errors.validation') : errorMessage(error, t)}</Alert>}
        <p className="text-sm text-slate-700">{t('invoices.rectify.intro')}</p>

        <fieldset className="flex flex-col gap-2">
          <legend className="mb-1 text-sm font-medium text-slate-800">{t('invoices.rectify.method')}</legend>
          {(['differences', 'substitution'] as const).map((value) => (
            <div key={value} className="flex items-start gap-3">
              <input
                id={`rectify-method-${value}`}
                type="radio"
                name="rectify-method"
                value={value}
                className={`mt-1 h-4 w-4 shrink-0 ${focusRing}`}
                checked={method === value}
                aria-describedby={`rectify-method-${value}-hint`}
                data-autofocus={value === 'differences' ? '' : undefined}
                onChange={() => setMethod(value)}
              />
              <div>
                <label htmlFor={`rectify-method-${value}`} className="block font-medium">
                  {t(RECTIFICATION_METHOD_LABELS[value])}
                </label>
                <p id={`rectify-method-${value}-hint`} className="text-sm text-slate-600">
                  {t(METHOD_HINTS[value])}
                </p>
              </div>
            </div>
          ))}
          {message('method') && <p className="text-sm font-medium text-red-700">{message('method')}</p>}
        </fieldset>

        {method === 'differences' && (
          <div className="flex items-start gap-3 rounded-md border border-slate-200 p-3">
            <input
              id="rectify-cancelInFull"
              type="checkbox"
              className={`mt-1 h-5 w-5 shrink-0 rounded border-slate-400 ${focusRing}`}
              checked={cancelInFull}
              aria-describedby="rectify-cancelInFull-hint"
              onChange={(event) => setCancelInFull(event.target.checked)}
            />
            <div>
              <label htmlFor="rectify-cancelInFull" className="block font-medium">
                {t('invoices.rectify.cancelInFull')}
              </label>
              <p id="rectify-cancelInFull-hint" className="text-sm text-slate-600">
                {t('invoices.rectify.cancelInFullHint')}
              </p>
            </div>
          </div>
        )}

        <SelectField
          id="rectify-reasonCode"
          label={t('invoices.rectify.reasonCode')}
          value={reasonCode}
          error={message('reasonCode')}
          hint={t(REASON_LABELS[reasonCode])}
          onChange={(event) => setReasonCode(codes.find((code) => code === event.target.value) ?? reasonCode)}
        >
          {codes.map((code) => (
            <option key={code} value={code}>
              {`${code} · ${t(REASON_LABELS[code])}`}
            </option>
          ))}
        </SelectField>
        <TextAreaField
          id="rectify-reason"
          label={t('invoices.rectify.reason')}
          hint={t('invoices.rectify.reasonHint')}
          rows={2}
          maxLength={REASON_MAX}
          value={reason}
          error={message('reason')}
          onChange={(event) => {
            setChecked(({ reason: _fixed, ...rest }) => rest);
            setReason(event.target.value);
          }}
        />

        {withLines && (
          <section aria-labelledby="rectify-lines-title" className="flex flex-col gap-2">
            <h3 id="rectify-lines-title" className="text-sm font-medium text-slate-800">
              {t('invoices.rectify.lines')}
            </h3>
            <p
              id={invoiceFieldId('lines', PREFIX)}
              tabIndex={-1}
              className={`text-sm ${message('lines') ? 'font-medium text-red-700' : 'text-slate-600'}`}
            >
              {message('lines') ?? t('invoices.rectify.linesHint')}
            </p>
            <LinesEditor
              lines={lines}
              amounts={corrected.amounts}
              errors={errors}
              idPrefix={PREFIX}
              onEdited={(path) =>
                setChecked((current) => {
                  const next = { ...current };
                  delete next[path];
                  return next;
                })
              }
              onChange={setLines}
            />
          </section>
        )}

        <dl className="rounded-md bg-slate-50 p-3 text-sm" aria-live="polite">
          <div className="flex justify-between gap-4">
            <dt>{t('invoices.rectify.originalTotal')}</dt>
            <dd className="tabular-nums">{formatMoney(invoice.total, locale)}</dd>
          </div>
          <div className="flex justify-between gap-4">
            <dt>{t('invoices.rectify.correctedTotal')}</dt>
            <dd className="tabular-nums">{formatMoney(corrected.total, locale)}</dd>
          </div>
          <div className="flex justify-between gap-4 font-semibold">
            <dt>{t('invoices.rectify.rectifyingTotal')}</dt>
            <dd className="tabular-nums" data-testid="rectify-total">
              {formatMoney(rectifyingTotal, locale)}
            </dd>
          </div>
        </dl>
        <p className="text-sm text-slate-700">{t('invoices.rectify.final')}</p>

        <div className="flex flex-wrap gap-2">
          <button type="submit" className={primaryButton} disabled={rectify.isPending}>
            {rectify.isPending ? t('invoices.issuing') : t('invoices.rectify.submit')}
          </button>
          <button type="button" className={secondaryButton} onClick={onClose}>
            {t('common.cancel')}
          </button>
        </div>
      </form>
    </Modal>
  );
}
