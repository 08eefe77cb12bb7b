import { Link } from '@tanstack/react-router';
import { type FormEvent, type ReactNode, useMemo, useState } from 'react';
import { type ApiError, errorMessage } from '../../api/problem';
import { Alert } from '../../components/Alert';
import { Field, SelectField, TextAreaField } from '../../components/Field';
import { linkClass, primaryButton } from '../../components/styles';
import { isLocale } from '../../i18n/catalogs';
import { useI18n } from '../../i18n/useI18n';
import { localIsoDate } from '../../lib/dates';
import { countryOptions } from './countries';
import { ConsentField } from './ConsentField';
import { DuplicateWarning } from './DuplicateWarning';
import { SEX_LABELS } from './labels';
import {
  ADDRESS_FIELDS,
  type AddressValues,
  CONTACT_FIELDS,
  type ContactValues,
  FIRST_NAME_MAX,
  LAST_NAME_MAX,
  PHONE_MAX,
  POSTAL_CODE_MAX,
  type PatientFieldErrors,
  type PatientFieldPath,
  type PatientFormValues,
  SEXES,
  TAX_ID_MAX,
} from './formValues';
import { validatePatient } from './patientChecks';
import { patientFieldErrors } from './patientFields';
import { useDuplicateCheck } from './useDuplicateCheck';
import { DateField } from '../../components/DateField';

interface PatientFormProps {
  values: PatientFormValues;
  onChange: (values: PatientFormValues) => void;
  onSubmit: () => void;
  submitting: boolean;
  /** The last failed save (a 412 is the page's to explain, with its reload offer). */
  error: ApiError | null;
  /** The patient a 409 says already has the typed tax id. */
  existingPatientId?: string | null;
  /** The patient being edited, who is no duplicate of themself. */
  patientId?: string;
  children?: ReactNode;
}

const ADDRESS_LABELS = {
  street: 'patients.address.street',
  postalCode: 'patients.address.postalCode',
  city: 'patients.address.city',
  province: 'patients.address.province',
  country: 'patients.address.country',
} as const;
const CONTACT_LABELS = {
  name: 'patients.emergencyContact.name',
  phone: 'patients.emergencyContact.phone',
} as const;
const ADDRESS_MAX: Record<Exclude<keyof AddressValues, 'country'>, number> = {
  street: 200,
  postalCode: POSTAL_CODE_MAX,
  city: 100,
  province: 100,
};
const legendClass = 'mb-2 text-lg font-semibold text-slate-900';
const fieldsetClass = 'grid grid-cols-1 gap-4 sm:grid-cols-2';

/** The HTML id of the input for `path`: address.city has patient-address-city. */
export function fieldId(path: PatientFieldPath): string {
  return `patient-${path.replace('.', '-')}`;
}

/** Every field of a patient, checked before sending, with the server's errors beside them. */
export function PatientForm(props: PatientFormProps) {
  const { values, onChange, onSubmit, submitting, error, existingPatientId, patientId } = props;
  const { t, locale } = useI18n();
  const [checked, setChecked] = useState<PatientFieldErrors>({});
  const duplicates = useDuplicateCheck(patientId);
  const countries = useMemo(() => countryOptions(locale), [locale]);
  const errors: PatientFieldErrors = { ...(error ? patientFieldErrors(error) : {}), ...checked };
  const message = (path: PatientFieldPath) => {
    const key = errors[path];
    return key ? t(key) : undefined;
  };

  const forget = (path: PatientFieldPath) =>
    setChecked(({ [path]: _fixed, ...rest }) => rest);
  const set = <K extends keyof PatientFormValues>(name: K, value: PatientFormValues[K]) => {
    if (name in checked) forget(name as PatientFieldPath);
    onChange({ ...values, [name]: value });
  };
  const setAddress = (name: keyof AddressValues, value: string) => {
    forget(`address.${name}`);
    onChange({ ...values, address: { ...values.address, [name]: value } });
  };
  const setContact = (name: keyof ContactValues, value: string) => {
    forget(`emergencyContact.${name}`);
    onChange({ ...values, emergencyContact: { ...values.emergencyContact, [name]: value } });
  };
  const checkDuplicates = () => void duplicates.check(values);

  function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const found = validatePatient(values);
    setChecked(found);
    const first = Object.keys(found)[0] as PatientFieldPath | undefined;
    if (first) document.getElementById(fieldId(first))?.focus();
    else onSubmit();
  }

  const text = (path: PatientFieldPath, label: string, value: string, change: (v: string) => void) => ({
    id: fieldId(path),
    name: path,
    label,
    value,
    error: message(path),
    onChange: (event: { target: { value: string } }) => change(event.target.value),
  });
  const hasErrors = Object.keys(errors).length > 0;
  const showAlert = Object.keys(checked).length > 0 || (error && error.status !== 412);

  return (
    <form onSubmit={submit} noValidate className="flex max-w-3xl flex-col gap-6" aria-busy={submitting}>
      {showAlert && <Alert>{hasErrors || !error ? t('errors.validation') : errorMessage(error, t)}</Alert>}
      <fieldset className={fieldsetClass}>
        <legend className={legendClass}>{t('patients.section.identity')}</legend>
        <Field
          {...text('firstName', t('patients.firstName'), values.firstName, (v) => set('firstName', v))}
          required
          maxLength={FIRST_NAME_MAX}
          autoComplete="off"
          onBlur={checkDuplicates}
        />
        <Field
          {...text('lastName', t('patients.lastName'), values.lastName, (v) => set('lastName', v))}
          required
          maxLength={LAST_NAME_MAX}
          autoComplete="off"
          hint={t('patients.lastNameHint')}
          onBlur={checkDuplicates}
        />
        <div>
          <Field
            {...text('taxId', t('patients.taxId'), values.taxId, (v) => set('taxId', v))}
            maxLength={TAX_ID_MAX + 10}
            autoComplete="off"
            hint={t('patients.taxIdHint')}
            onBlur={checkDuplicates}
          />
          {existingPatientId && errors.taxId === 'patients.errors.taxIdTaken' && (
            <Link
              to="/patients/$patientId"
              params={{ patientId: existingPatientId }}
              target="_blank"
              rel="noopener"
              className={`${linkClass} mt-1 inline-block text-sm`}
            >
              {t('patients.errors.seeExisting')}
              <span className="sr-only">{` ${t('common.opensInNewTab')}`}</span>
            </Link>
          )}
        </div>
        <DateField
          id={fieldId('birthDate')}
          label={t('patients.birthDate')}
          value={values.birthDate}
          error={message('birthDate')}
          onChange={(v) => set('birthDate', v)}
          max={localIsoDate()}
          onBlur={checkDuplicates}
        />
        <SelectField
          {...text('sex', t('patients.sex'), values.sex, (v) =>
            set('sex', SEXES.find((sex) => sex === v) ?? ''),
          )}
        >
          <option value="">{t('patients.sex.unspecified')}</option>
          {SEXES.map((sex) => (
            <option key={sex} value={sex}>
              {t(SEX_LABELS[sex])}
            </option>
          ))}
        </SelectField>
        <Field
          {...text('occupation', t('patients.occupation'), values.occupation, (v) => set('occupation', v))}
          maxLength={100}
        />
      </fieldset>
      <DuplicateWarning candidates={duplicates.candidates} />

      <fieldset className={fieldsetClass}>
        <legend className={legendClass}>{t('patients.section.contact')}</legend>
        <Field
          {...text('phone', t('patients.phone'), values.phone, (v) => set('phone', v))}
          type="tel"
          maxLength={PHONE_MAX}
          autoComplete="off"
        />
        <Field
          {...text('email', t('patients.email'), values.email, (v) => set('email', v))}
          type="email"
          maxLength={254}
          autoComplete="off"
        />
        <SelectField
          {...text('preferredLocale', t('patients.preferredLocale'), values.preferredLocale, (v) => {
            if (isLocale(v)) set('preferredLocale', v);
          })}
        >
          <option value="es">{t('language.es')}</option>
          <option value="en">{t('language.en')}</option>
        </SelectField>
        <Field
          {...text('referralSource', t('patients.referralSource'), values.referralSource, (v) =>
            set('referralSource', v),
          )}
          maxLength={100}
        />
      </fieldset>

      <fieldset className={fieldsetClass}>
        <legend className={legendClass}>{t('patients.section.address')}</legend>
        {ADDRESS_FIELDS.map((name) =>
          name === 'country' ? (
            <SelectField
              key={name}
              {...text(`address.${name}`, t(ADDRESS_LABELS[name]), values.address[name], (v) =>
                setAddress(name, v),
              )}
            >
              <option value="">{t('patients.notGiven')}</option>
              {countries.map(({ code, name: country }) => (
                <option key={code} value={code}>
                  {country}
                </option>
              ))}
            </SelectField>
          ) : (
            <Field
              key={name}
              {...text(`address.${name}`, t(ADDRESS_LABELS[name]), values.address[name], (v) =>
                setAddress(name, v),
              )}
              maxLength={ADDRESS_MAX[name]}
              className={name === 'street' ? 'sm:col-span-2' : ''}
            />
          ),
        )}
      </fieldset>

      <fieldset className={fieldsetClass}>
        <legend className={legendClass}>{t('patients.section.emergencyContact')}</legend>
        {CONTACT_FIELDS.map((name) => (
          <Field
            key={name}
            {...text(
              `emergencyContact.${name}`,
              t(CONTACT_LABELS[name]),
              values.emergencyContact[name],
              (v) => setContact(name, v),
            )}
            type={name === 'phone' ? 'tel' : 'text'}
            maxLength={name === 'phone' ? PHONE_MAX : 100}
          />
        ))}
      </fieldset>

      <fieldset className="flex flex-col gap-4">
        <legend className={legendClass}>{t('patients.section.administrative')}</legend>
        <TextAreaField
          {...text('notes', t('patients.notes'), values.notes, (v) => set('notes', v))}
          rows={3}
          maxLength={2000}
          hint={t('patients.notesHint')}
        />
        <ConsentField
          id={fieldId('dataConsent')}
          given={values.dataConsent}
          givenAt={values.dataConsentAt}
          error={message('dataConsent')}
          onChange={(given) => set('dataConsent', given)}
        />
      </fieldset>

      <div className="flex flex-wrap items-center gap-3">
        <button type="submit" className={primaryButton} disabled={submitting}>
          {submitting ? t('common.saving') : t('common.save')}
        </button>
        {props.children}
      </div>
    </form>
  );
}
