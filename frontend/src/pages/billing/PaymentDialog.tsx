import { useMutation } from '@tanstack/react-query';
import { type FormEvent, useState } from 'react';
import { type Invoice, type PaymentBody, type PaymentMethod, recordPayment } from '../../api/billing';
import type { Versioned } from '../../api/http';
import { useIdempotencyKey } from '../../api/idempotency';
import { errorMessage, fieldErrorsByName, toApiError } from '../../api/problem';
import { Alert } from '../../components/Alert';
import { Field, SelectField } from '../../components/Field';
import { Modal } from '../../components/Modal';
import { primaryButton, secondaryButton } from '../../components/styles';
import type { TranslationKey } from '../../i18n/catalogs';
import { useI18n } from '../../i18n/useI18n';
import { isRealDate, localIsoDate } from '../../lib/dates';
import { PAYMENT_METHOD_LABELS, PAYMENT_METHODS } from './labels';
import { formatMoney, MONEY_SCALE, normaliseAmount, parseScaled, toCents, toInputDecimal } from './money';
import { DateField } from '../../components/DateField';

interface PaymentDialogProps {
  invoice: Pick<Invoice, 'id' | 'number' | 'balance' | 'issuedOn'>;
  onClose: () => void;
  /** The invoice as it stands after the payment, when the server answered it. */
  onRecorded: (invoice: Versioned<Invoice> | null) => void;
}

type PaymentField = 'amount' | 'method' | 'paidOn';

/** Record a payment: the amount starts at what is still owed, today, by card. */
export function PaymentDialog({ invoice, onClose, onRecorded }: PaymentDialogProps) {
  const { t, locale } = useI18n();
  const today = localIsoDate();
  const [amount, setAmount] = useState(() => toInputDecimal(invoice.balance, locale));
  const [method, setMethod] = useState<PaymentMethod>('card');
  const [paidOn, setPaidOn] = useState(today);
  const [checked, setChecked] = useState<Partial<Record<PaymentField, TranslationKey>>>({});
  const idempotency = useIdempotencyKey();
  const record = useMutation({
    mutationFn: (body: PaymentBody) => recordPayment(invoice.id, body, idempotency.keyFor(body)),
    onSuccess: (updated) => {
      idempotency.reset();
      onRecorded(updated);
    },
  });
  const error = record.error ? toApiError(record.error) : null;
  const serverErrors = error ? fieldErrorsByName(error) : new Map();
  const message = (field: PaymentField): string | undefined => {
    const key = checked[field];
    if (key) return t(key, { balance: formatMoney(invoice.balance, locale) });
    if (!serverErrors.has(field)) return undefined;
    return field === 'amount'
      ? t('invoices.payment.errors.amount', { balance: formatMoney(invoice.balance, locale) })
      : t(field === 'paidOn' ? 'invoices.payment.errors.date' : 'errors.invalidValue');
  };

  function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const found: Partial<Record<PaymentField, TranslationKey>> = {};
    const cents = parseScaled(amount, MONEY_SCALE);
    const balance = toCents(invoice.balance) ?? 0n;
    if (cents === null || cents <= 0n || cents > balance) found.amount = 'invoices.payment.errors.amount';
    const issuedOn = invoice.issuedOn ?? '';
    if (!isRealDate(paidOn) || paidOn > today || paidOn < issuedOn) found.paidOn = 'invoices.payment.errors.date';
    setChecked(found);
    const first = Object.keys(found)[0];
    if (first) {
      document.getElementById(`payment-${first}`)?.focus();
      return;
    }
    record.mutate({ amount: normaliseAmount(amount) ?? amount, method, paidOn });
  }

  const hasFieldErrors = Object.keys(checked).length > 0 || serverErrors.size > 0;
  return (
    <Modal
      title={t('invoices.payment.title', { number: invoice.number ?? '' })}
      closeLabel={t('common.close')}
      onClose={onClose}
    >
      <form onSubmit={submit} noValidate className="flex flex-col gap-4" aria-busy={record.isPending}>
        {error && !hasFieldErrors && <Alert>{errorMessage(error, t)}</Alert>}
        <p className="text-sm text-slate-700">
          {t('invoices.payment.balance', { balance: formatMoney(invoice.balance, locale) })}
        </p>
        <Field
          id="payment-amount"
          label={t('invoices.payment.amount')}
          inputMode="decimal"
          value={amount}
          error={message('amount')}
          hint={t('invoices.payment.amountHint')}
          data-autofocus
          onChange={(event) => {
            setChecked(({ amount: _fixed, ...rest }) => rest);
            setAmount(event.target.value);
          }}
        />
        <SelectField
          id="payment-method"
          label={t('invoices.payment.method')}
          value={method}
          error={message('method')}
          onChange={(event) => setMethod(PAYMENT_METHODS.find((value) => value === event.target.value) ?? 'card')}
        >
          {PAYMENT_METHODS.map((value) => (
            <option key={value} value={value}>
              {t(PAYMENT_METHOD_LABELS[value])}
            </option>
          ))}
        </SelectField>
        <DateField
          id="payment-paidOn"
          label={t('invoices.payment.date')}
          min={invoice.issuedOn ?? undefined}
          max={today}
          value={paidOn}
          error={message('paidOn')}
          onChange={(value) => {
            setChecked(({ paidOn: _fixed, ...rest }) => rest);
            setPaidOn(value);
          }}
        />
        <div className="flex flex-wrap gap-2">
          <button type="submit" className={primaryButton} disabled={record.isPending}>
            {record.isPending ? t('common.saving') : t('invoices.payment.submit')}
          </button>
          <button type="button" className={secondaryButton} onClick={onClose}>
            {t('common.cancel')}
          </button>
        </div>
      </form>
    </Modal>
  );
}
