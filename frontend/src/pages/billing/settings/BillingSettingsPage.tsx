import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { Link } from '@tanstack/react-router';
import { type ChangeEvent, type FormEvent, useState } from 'react';
import { type BillingSettings, getBillingSettings, updateBillingSettings } from '../../../api/billing';
import type { Versioned } from '../../../api/http';
import { errorMessage, toApiError } from '../../../api/problem';
import { billingSettingsKeys } from '../../../api/queryKeys';
import { useSession } from '../../../auth/SessionContext';
import { Alert } from '../../../components/Alert';
import { Field, SelectField, TextAreaField } from '../../../components/Field';
import { focusRing, linkClass, primaryButton, secondaryButton } from '../../../components/styles';
import { useDocumentTitle } from '../../../components/useDocumentTitle';
import type { TranslationKey } from '../../../i18n/catalogs';
import { useI18n } from '../../../i18n/useI18n';
import { keptForm, useKeepOnExpiry } from '../keptForm';
import { CatalogueSection } from './CatalogueSection';
import {
  logoProblem,
  readAsDataUrl,
  type SettingsField,
  type SettingsFieldErrors,
  settingsFieldErrors,
  type SettingsFormValues,
  settingsFormFrom,
  toSettingsBody,
  validateSettings,
} from './settingsFields';

/** `/settings/billing` (admins): the clinic's letterhead, Verifactu, and the service catalogue. */
export function BillingSettingsPage() {
  const { t } = useI18n();
  useDocumentTitle(t('billingSettings.title'));
  const [loads, setLoads] = useState(0);
  const settings = useQuery({ queryKey: billingSettingsKeys.all, queryFn: getBillingSettings });

  async function reload() {
    await settings.refetch();
    setLoads((n) => n + 1);
  }

  return (
    <section aria-labelledby="billing-settings-title" className="flex flex-col gap-8">
      <div>
        <p className="mb-2">
          <Link to="/invoices" className={linkClass}>
            {t('invoices.backToList')}
          </Link>
        </p>
        <h1 id="billing-settings-title" className="mb-4 text-2xl font-semibold">
          {t('billingSettings.title')}
        </h1>
        {settings.isPending && <p role="status">{t('common.loading')}</p>}
        {settings.isError && <Alert>{errorMessage(settings.error, t)}</Alert>}
        {settings.data && <SettingsEditor key={loads} loaded={settings.data} onReload={() => void reload()} />}
      </div>
      <CatalogueSection />
    </section>
  );
}

const KEPT = 'billing-settings';
const fieldId = (field: SettingsField) => `settings-${field}`;
const legendClass = 'mb-2 text-lg font-semibold text-slate-900';

function SettingsEditor({ loaded, onReload }: { loaded: Versioned<BillingSettings>; onReload: () => void }) {
  const { t } = useI18n();
  const { user } = useSession();
  const queryClient = useQueryClient();
  const [kept] = useState(() => keptForm<{ values: SettingsFormValues; etag: string }>(KEPT, user?.id));
  const [etag, setEtag] = useState(kept?.etag ?? loaded.etag);
  const [values, setValues] = useState<SettingsFormValues>(kept?.values ?? settingsFormFrom(loaded.data));
  useKeepOnExpiry(KEPT, { values, etag });
  const [checked, setChecked] = useState<SettingsFieldErrors>({});
  const [saved, setSaved] = useState(false);
  const save = useMutation({
    mutationFn: () => updateBillingSettings(toSettingsBody(values), etag),
    onSuccess: (result) => {
      queryClient.setQueryData(billingSettingsKeys.all, result);
      setEtag(result.etag);
      setValues(settingsFormFrom(result.data));
      setSaved(true);
    },
  });
  const error = save.error ? toApiError(save.error) : null;
  const errors: SettingsFieldErrors = { ...(error ? settingsFieldErrors(error) : {}), ...checked };
  const message = (field: SettingsField) => {
    const key = errors[field];
    return key ? t(key) : undefined;
  };
  const set = <K extends SettingsField>(name: K, value: SettingsFormValues[K]) => {
    setSaved(false);
    setChecked(({ [name]: _fixed, ...rest }) => rest);
    setValues((current) => ({ ...current, [name]: value }));
  };
  const text = (field: 'legalName' | 'taxId' | 'address' | 'email' | 'phone', label: TranslationKey) => ({
    id: fieldId(field),
    name: field,
    label: t(label),
    value: values[field],
    error: message(field),
    onChange: (event: { target: { value: string } }) => set(field, event.target.value),
  });

  async function chooseLogo(event: ChangeEvent<HTMLInputElement>) {
    const file = event.target.files?.[0];
    event.target.value = '';
    if (!file) return;
    const problem = logoProblem(file);
    if (problem) {
      setChecked((current) => ({ ...current, logo: problem }));
      return;
    }
    try {
      set('logo', await readAsDataUrl(file));
    } catch {
      setChecked((current) => ({ ...current, logo: 'billingSettings.errors.logoType' }));
    }
  }

  function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const found = validateSettings(values);
    setChecked(found);
    const first = Object.keys(found)[0] as SettingsField | undefined;
    if (first) document.getElementById(fieldId(first))?.focus();
    else save.mutate();
  }

  const hasErrors = Object.keys(errors).length > 0;
  return (
    <form onSubmit={submit} noValidate className="flex max-w-3xl flex-col gap-6" aria-busy={save.isPending}>
      {saved && <Alert tone="success">{t('billingSettings.saved')}</Alert>}
      {error?.status === 412 && (
        <Alert tone="warning">
          <p className="mb-2">{t('errors.staleEdit')}</p>
          <button type="button" className={secondaryButton} onClick={onReload}>
            {t('common.reload')}
          </button>
        </Alert>
      )}
      {(Object.keys(checked).length > 0 || (error && error.status !== 412)) && (
        <Alert>{hasErrors || !error ? t('errors.validation') : errorMessage(error, t)}</Alert>
      )}
      <fieldset className="grid grid-cols-1 gap-4 sm:grid-cols-2">
        <legend className={legendClass}>{t('billingSettings.letterhead')}</legend>
        <Field {...text('legalName', 'billingSettings.legalName')} required maxLength={200} className="sm:col-span-2" />
        <Field
          {...text('taxId', 'billingSettings.taxId')}
          required
          maxLength={20}
          autoComplete="off"
          hint={t('billingSettings.taxIdHint')}
        />
        <Field {...text('phone', 'billingSettings.phone')} type="tel" maxLength={25} />
        <Field {...text('email', 'billingSettings.email')} type="email" maxLength={254} />
        <TextAreaField {...text('address', 'billingSettings.address')} rows={2} maxLength={300} className="sm:col-span-2" />
        <TextAreaField
          id={fieldId('invoiceFooter')}
          name="invoiceFooter"
          label={t('billingSettings.footer')}
          hint={t('billingSettings.footerHint')}
          rows={2}
          maxLength={1000}
          value={values.invoiceFooter}
          error={message('invoiceFooter')}
          className="sm:col-span-2"
          onChange={(event) => set('invoiceFooter', event.target.value)}
        />
        <SelectField
          id={fieldId('defaultLanguage')}
          label={t('billingSettings.defaultLanguage')}
          value={values.defaultLanguage}
          error={message('defaultLanguage')}
          onChange={(event) => set('defaultLanguage', event.target.value === 'en' ? 'en' : 'es')}
        >
          <option value="es">{t('language.es')}</option>
          <option value="en">{t('language.en')}</option>
        </SelectField>
      </fieldset>

      <fieldset className="flex flex-col gap-3">
        <legend className={legendClass}>{t('billingSettings.logo')}</legend>
        {values.logo ? (
          <img
            src={values.logo}
            alt={t('billingSettings.logoPreview')}
            className="max-h-24 max-w-xs self-start rounded border border-slate-200 bg-white p-2"
          />
        ) : (
          <p className="text-sm text-slate-600">{t('billingSettings.noLogo')}</p>
        )}
        <div>
          <label htmlFor={fieldId('logo')} className="mb-1 block text-sm font-medium text-slate-800">
            {t(values.logo ? 'billingSettings.replaceLogo' : 'billingSettings.chooseLogo')}
          </label>
          <input
            id={fieldId('logo')}
            type="file"
            accept="image/png,image/jpeg,image/svg+xml"
            className={`block w-full text-sm ${focusRing}`}
            aria-invalid={message('logo') ? true : undefined}
            aria-describedby={`${fieldId('logo')}-hint${message('logo') ? ` ${fieldId('logo')}-error` : ''}`}
            onChange={(event) => void chooseLogo(event)}
          />
          <p id={`${fieldId('logo')}-hint`} className="mt-1 text-sm text-slate-600">
            {t('billingSettings.logoHint')}
          </p>
          {message('logo') && (
            <p id={`${fieldId('logo')}-error`} className="mt-1 text-sm font-medium text-red-700">
              {message('logo')}
            </p>
          )}
        </div>
        {values.logo && (
          <button type="button" className={`${secondaryButton} self-start`} onClick={() => set('logo', null)}>
            {t('billingSettings.removeLogo')}
          </button>
        )}
      </fieldset>

      <fieldset className="flex flex-col gap-3">
        <legend className={legendClass}>{t('billingSettings.verifactu')}</legend>
        <div className="flex items-start gap-3">
          <input
            id="settings-verifactuEnabled"
            type="checkbox"
            className={`mt-1 h-5 w-5 shrink-0 rounded border-slate-400 ${focusRing}`}
            checked={values.verifactuEnabled}
            aria-describedby="settings-verifactu-hint"
            onChange={(event) => set('verifactuEnabled', event.target.checked)}
          />
          <div>
            <label htmlFor="settings-verifactuEnabled" className="block font-medium">
              {t('billingSettings.verifactuEnabled')}
            </label>
            <p id="settings-verifactu-hint" className="text-sm text-slate-600">
              {t('billingSettings.verifactuHint')}
            </p>
          </div>
        </div>
        <fieldset
          id={fieldId('qrEnvironment')}
          tabIndex={-1}
          className="flex flex-col gap-2"
          aria-describedby={message('qrEnvironment') ? `${fieldId('qrEnvironment')}-error` : undefined}
        >
          <legend className="mb-1 text-sm font-medium text-slate-800">{t('billingSettings.qrEnvironment')}</legend>
          {(['production', 'test'] as const).map((environment) => (
            <label key={environment} className="flex items-center gap-2">
              <input
                type="radio"
                name="qrEnvironment"
                value={environment}
                className={`h-4 w-4 ${focusRing}`}
                checked={values.qrEnvironment === environment}
                onChange={() => set('qrEnvironment', environment)}
              />
              {t(environment === 'production' ? 'billingSettings.qrProduction' : 'billingSettings.qrTest')}
            </label>
          ))}
          {message('qrEnvironment') && (
            <p id={`${fieldId('qrEnvironment')}-error`} className="text-sm font-medium text-red-700">
              {message('qrEnvironment')}
            </p>
          )}
        </fieldset>
      </fieldset>

      <div>
        <button type="submit" className={primaryButton} disabled={save.isPending}>
          {save.isPending ? t('common.saving') : t('common.save')}
        </button>
      </div>
    </form>
  );
}
