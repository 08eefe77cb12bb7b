import { useQuery } from '@tanstack/react-query';
import { useEffect, useRef, useState } from 'react';
import { listCatalogue } from '../../api/billing';
import { catalogueKeys } from '../../api/queryKeys';
import { Field, SelectField } from '../../components/Field';
import { inputClass, secondaryButton } from '../../components/styles';
import type { TranslationKey } from '../../i18n/catalogs';
import { useI18n } from '../../i18n/useI18n';
import {
  DESCRIPTION_MAX,
  emptyLine,
  type InvoiceFieldErrors,
  invoiceFieldId,
  type LineField,
  lineFromCatalogue,
  type LineValues,
} from './invoiceForm';
import { formatMoney, VAT_RATES, type VatRate } from './money';

interface LinesEditorProps {
  lines: readonly LineValues[];
  onChange: (lines: LineValues[]) => void;
  /** Each line's amount as computed ("40.00"), null where it cannot be yet. */
  amounts: readonly (string | null)[];
  errors: InvoiceFieldErrors;
  /** Forget a field's error once it is edited. */
  onEdited?: (path: `lines.${number}.${LineField}`) => void;
  /** Prefix of the inputs' ids (two editors on a page must differ). */
  idPrefix?: string;
  /** Quantities may be negative (a correction). */
  negative?: boolean;
}

/** The VAT choices, 0 % named as the health-care exemption it is. */
export function vatRateLabel(rate: VatRate, t: (key: TranslationKey) => string): string {
  return rate === '0' ? t('invoices.vat.exempt') : `${rate} %`;
}

/**
 * Lines typed by hand (description, quantity, unit price, discount, VAT), or taken from the
 * catalogue. Each line is its own labelled group, so it reads and stacks well on a phone.
 */
export function LinesEditor(props: LinesEditorProps) {
  const { lines, onChange, amounts, errors, idPrefix = 'invoice' } = props;
  const { t, locale } = useI18n();
  const catalogue = useQuery({ queryKey: catalogueKeys.all, queryFn: listCatalogue, staleTime: 300_000 });
  const offered = (catalogue.data ?? []).filter((item) => item.active);
  const [picked, setPicked] = useState('');
  // A line just added gets the focus (its description); after a removal it goes to the line that
  // took its place, or to "Añadir línea": the keyboard carries on where it was.
  const focusNext = useRef<string | null>(null);
  // After every render: the change that asked for it has been drawn by then.
  useEffect(() => {
    if (!focusNext.current) return;
    document.getElementById(focusNext.current)?.focus();
    focusNext.current = null;
  });
  const addButtonId = `${idPrefix}-add-line`;
  const add = (line: LineValues) => {
    focusNext.current = invoiceFieldId(`lines.${lines.length}.description`, idPrefix);
    onChange([...lines, line]);
  };
  const remove = (index: number) => {
    const next = lines.filter((_, i) => i !== index);
    focusNext.current = next.length
      ? invoiceFieldId(`lines.${Math.min(index, next.length - 1)}.description`, idPrefix)
      : addButtonId;
    onChange(next);
  };

  const change = (index: number, field: LineField, value: string) => {
    props.onEdited?.(`lines.${index}.${field}`);
    onChange(lines.map((line, i) => (i === index ? { ...line, [field]: value } : line)));
  };
  const message = (index: number, field: LineField) => {
    const key = errors[`lines.${index}.${field}`];
    return key ? t(key) : undefined;
  };
  const id = (index: number, field: LineField) => invoiceFieldId(`lines.${index}.${field}`, idPrefix);

  function addFromCatalogue() {
    const item = offered.find((candidate) => candidate.code === picked);
    if (item) add(lineFromCatalogue(item, locale));
    setPicked('');
  }

  return (
    <div className="@container flex flex-col gap-3">
      {lines.map((line, index) => (
        <fieldset
          key={line.key}
          className="grid grid-cols-2 gap-3 rounded-md border border-slate-200 bg-white p-3 @2xl:grid-cols-6"
        >
          <legend className="px-1 text-sm font-medium text-slate-700">
            {t('invoices.lineNumber', { number: index + 1 })}
          </legend>
          <Field
            id={id(index, 'description')}
            label={t('invoices.line.description')}
            className="col-span-2 @2xl:col-span-6"
            value={line.description}
            maxLength={DESCRIPTION_MAX}
            error={message(index, 'description')}
            onChange={(event) => change(index, 'description', event.target.value)}
          />
          <Field
            id={id(index, 'quantity')}
            label={t('invoices.line.quantity')}
            inputMode="decimal"
            value={line.quantity}
            error={message(index, 'quantity')}
            onChange={(event) => change(index, 'quantity', event.target.value)}
          />
          <Field
            id={id(index, 'unitPrice')}
            label={t('invoices.line.unitPrice')}
            inputMode="decimal"
            value={line.unitPrice}
            error={message(index, 'unitPrice')}
            onChange={(event) => change(index, 'unitPrice', event.target.value)}
          />
          <Field
            id={id(index, 'discountPercent')}
            label={t('invoices.line.discount')}
            inputMode="decimal"
            value={line.discountPercent}
            error={message(index, 'discountPercent')}
            onChange={(event) => change(index, 'discountPercent', event.target.value)}
          />
          <SelectField
            id={id(index, 'vatRate')}
            label={t('invoices.line.vatRate')}
            value={line.vatRate}
            error={message(index, 'vatRate')}
            onChange={(event) => change(index, 'vatRate', event.target.value)}
          >
            {VAT_RATES.map((rate) => (
              <option key={rate} value={rate}>
                {vatRateLabel(rate, t)}
              </option>
            ))}
          </SelectField>
          <div>
            <p className="mb-1 block text-sm font-medium text-slate-800">{t('invoices.line.amount')}</p>
            <p className="py-2 tabular-nums" data-testid={`line-amount-${index}`}>
              {amounts[index] ? formatMoney(amounts[index], locale) : '—'}
            </p>
          </div>
          <div className="flex items-end">
            <button
              type="button"
              className={`${secondaryButton} w-full`}
              aria-label={`${t('invoices.removeLine')} ${t('invoices.lineNumber', { number: index + 1 })}`}
              onClick={() => remove(index)}
            >
              {t('invoices.removeLine')}
            </button>
          </div>
        </fieldset>
      ))}
      <div className="flex flex-wrap items-end gap-3">
        <button id={addButtonId} type="button" className={secondaryButton} onClick={() => add(emptyLine())}>
          {t('invoices.addLine')}
        </button>
        {offered.length > 0 && (
          <div className="flex flex-wrap items-end gap-2">
            <div>
              <label htmlFor={`${idPrefix}-catalogue`} className="mb-1 block text-sm font-medium text-slate-800">
                {t('invoices.fromCatalogue')}
              </label>
              <select
                id={`${idPrefix}-catalogue`}
                className={inputClass}
                value={picked}
                onChange={(event) => setPicked(event.target.value)}
              >
                <option value="">{t('invoices.chooseService')}</option>
                {offered.map((item) => (
                  <option key={item.code} value={item.code}>
                    {`${locale === 'en' ? item.nameEn : item.nameEs} · ${formatMoney(item.price, locale)}`}
                  </option>
                ))}
              </select>
            </div>
            <button type="button" className={secondaryButton} disabled={!picked} onClick={addFromCatalogue}>
              {t('invoices.addService')}
            </button>
          </div>
        )}
      </div>
    </div>
  );
}
