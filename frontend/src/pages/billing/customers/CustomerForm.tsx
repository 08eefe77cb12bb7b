import { useQuery } from '@tanstack/react-query';
import { type FormEvent, type ReactNode, useMemo, useState } from 'react';
import { listCustomers } from '../../../api/billing';
import { type ApiError, errorMessage } from '../../../api/problem';
import { customerKeys } from '../../../api/queryKeys';
import { Alert } from '../../../components/Alert';
import { Field, SelectField } from '../../../components/Field';
import { focusRing, primaryButton } from '../../../components/styles';
import { useI18n } from '../../../i18n/useI18n';
import { countryOptions } from '../../patients/countries';
import { CUSTOMER_KIND_LABELS, CUSTOMER_KINDS } from '../labels';
import {
  type CustomerField,
  type CustomerFieldErrors,
  customerFieldErrors,
  type CustomerFormValues,
  NAME_MAX,
  TAX_ID_MAX,
  validateCustomer,
} from './customerFields';

interface CustomerFormProps {
  values: CustomerFormValues;
  onChange: (values: CustomerFormValues) => void;
  onSubmit: () => void;
  submitting: boolean;
  /** The last failed save (a 412 is the page's to explain). */
  error: ApiError | null;
  /** The customer being edited (an insurer cannot be their own). */
  customerId?: string;
  children?: ReactNode;
}

const fieldId = (field: CustomerField) => `customer-${field}`;
const legendClass = 'mb-2 text-lg font-semibold text-slate-900';
const fieldsetClass = 'grid grid-cols-1 gap-4 sm:grid-cols-2';

/** A payer's fields: kind, name, tax id, address, contact, language and (a person's) insurer. */
export function CustomerForm(props: CustomerFormProps) {
  const { values, onChange, onSubmit, submitting, error, customerId } = props;
  const { t, locale } = useI18n();
  const [checked, setChecked] = useState<CustomerFieldErrors>({});
  const countries = useMemo(() => countryOptions(locale), [locale]);
  const insurerSearch = { kind: 'insurer' as const, page: 1, itemsPerPage: 100 };
  const insurers = useQuery({
    queryKey: customerKeys.list(insurerSearch),
    queryFn: () => listCustomers(insurerSearch),
    enabled: values.kind === 'person',
  });
  const errors: CustomerFieldErrors = { ...(error ? customerFieldErrors(error) : {}), ...checked };
  const message = (field: CustomerField) => {
    const key = errors[field];
    return key ? t(key) : undefined;
  };
  const set = <K extends keyof CustomerFormValues>(name: K, value: CustomerFormValues[K]) => {
    if (name in checked) setChecked(({ [name as CustomerField]: _fixed, ...rest }) => rest);
    onChange({ ...values, [name]: value });
  };
  const text = (field: Exclude<CustomerField, 'kind' | 'language'>, label: string) => ({
    id: fieldId(field),
    name: field,
    label,
    value: values[field],
    error: message(field),
    onChange: (event: { target: { value: string } }) => set(field, event.target.value),
  });

  function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const found = validateCustomer(values);
    setChecked(found);
    const first = Object.keys(found)[0] as CustomerField | undefined;
    if (first) document.getElementById(fieldId(first))?.focus();
    else onSubmit();
  }

  const showAlert = Object.keys(checked).length > 0 || (error && error.status !== 412);
  const hasErrors = Object.keys(errors).length > 0;
  const insurerOptions = (insurers.data?.member ?? []).filter((insurer) => insurer.id !== customerId);

  return (
    <form onSubmit={submit} noValidate className="flex max-w-3xl flex-col gap-6" aria-busy={submitting}>
      {showAlert && (
        <Alert>
          {hasErrors || !error
            ? t('errors.validation')
            : error.status === 409
              ? t('customers.errors.conflict')
              : errorMessage(error, t)}
        </Alert>
      )}
      <fieldset className="flex flex-col gap-2">
        <legend className={legendClass}>{t('customers.kindLabel')}</legend>
        <div className="flex flex-wrap gap-x-6 gap-y-2">
          {CUSTOMER_KINDS.map((kind) => (
            <label key={kind} className="flex items-center gap-2">
              <input
                type="radio"
                name="kind"
                value={kind}
                className={`h-4 w-4 ${focusRing}`}
                checked={values.kind === kind}
                onChange={() => set('kind', kind)}
              />
              {t(CUSTOMER_KIND_LABELS[kind])}
            </label>
          ))}
        </div>
      </fieldset>

      <fieldset className={fieldsetClass}>
        <legend className={legendClass}>{t('customers.section.identity')}</legend>
        <Field
          {...text('name', t(values.kind === 'person' ? 'customers.fullName' : 'customers.legalName'))}
          required
          maxLength={NAME_MAX}
          autoComplete="off"
          className="sm:col-span-2"
        />
        <Field
          {...text('taxId', t('customers.taxId'))}
          maxLength={TAX_ID_MAX + 10}
          autoComplete="off"
          hint={t('customers.taxIdHint')}
        />
        <SelectField
          id={fieldId('language')}
          name="language"
          label={t('customers.language')}
          value={values.language}
          error={message('language')}
          hint={t('customers.languageHint')}
          onChange={(event) => set('language', event.target.value === 'en' ? 'en' : 'es')}
        >
          <option value="es">{t('language.es')}</option>
          <option value="en">{t('language.en')}</option>
        </SelectField>
      </fieldset>

      <fieldset className={fieldsetClass}>
        <legend className={legendClass}>{t('customers.section.address')}</legend>
        <Field {...text('address', t('customers.address'))} maxLength={200} className="sm:col-span-2" />
        <Field {...text('postalCode', t('customers.postalCode'))} maxLength={10} autoComplete="off" />
        <Field {...text('city', t('customers.city'))} maxLength={100} />
        <Field {...text('province', t('customers.province'))} maxLength={100} />
        <SelectField {...text('country', t('customers.country'))}>
          {countries.map(({ code, name }) => (
            <option key={code} value={code}>
              {name}
            </option>
          ))}
        </SelectField>
      </fieldset>

      <fieldset className={fieldsetClass}>
        <legend className={legendClass}>{t('customers.section.contact')}</legend>
        <Field {...text('email', t('customers.email'))} type="email" maxLength={254} autoComplete="off" />
        <Field {...text('phone', t('customers.phone'))} type="tel" maxLength={25} autoComplete="off" />
      </fieldset>

      {values.kind === 'person' && (
        <fieldset className={fieldsetClass}>
          <legend className={legendClass}>{t('customers.section.insurer')}</legend>
          <SelectField {...text('insurerId', t('customers.insurer'))} hint={t('customers.insurerHint')}>
            <option value="">{t('customers.noInsurer')}</option>
            {insurerOptions.map((insurer) => (
              <option key={insurer.id} value={insurer.id}>
                {insurer.name}
              </option>
            ))}
          </SelectField>
        </fieldset>
      )}

      <label className="flex items-center gap-2">
        <input
          type="checkbox"
          className={`h-5 w-5 rounded border-slate-400 ${focusRing}`}
          checked={values.active}
          onChange={(event) => set('active', event.target.checked)}
        />
        {t('customers.active')}
      </label>

      <div className="flex flex-wrap items-center gap-3">
        <button type="submit" className={primaryButton} disabled={submitting}>
          {submitting ? t('common.saving') : t('common.save')}
        </button>
        {props.children}
      </div>
    </form>
  );
}
