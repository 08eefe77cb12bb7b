import type { BillingSettings, BillingSettingsBody } from '../../../api/billing';
import type { ApiError } from '../../../api/problem';
import type { TranslationKey } from '../../../i18n/catalogs';
import { compactTaxId, isSpanishTaxIdShape, isValidTaxId } from '../../patients/taxId';

/** The API's ceiling for the logo: its data URL, base64 and all. */
export const LOGO_MAX_BYTES = 256 * 1024;
export const LOGO_TYPES = ['image/png', 'image/jpeg', 'image/svg+xml'] as const;

export interface SettingsFormValues {
  legalName: string;
  taxId: string;
  address: string;
  email: string;
  phone: string;
  logo: string | null;
  invoiceFooter: string;
  defaultLanguage: 'es' | 'en';
  verifactuEnabled: boolean;
  qrEnvironment: 'production' | 'test';
}

export type SettingsField = keyof SettingsFormValues;
export type SettingsFieldErrors = Partial<Record<SettingsField, TranslationKey>>;

const FIELDS: readonly SettingsField[] = [
  'legalName',
  'taxId',
  'address',
  'email',
  'phone',
  'logo',
  'invoiceFooter',
  'defaultLanguage',
  'verifactuEnabled',
  'qrEnvironment',
];
const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

export function settingsFormFrom(settings: BillingSettings): SettingsFormValues {
  return {
    legalName: settings.legalName,
    taxId: settings.taxId,
    address: settings.address,
    email: settings.email ?? '',
    phone: settings.phone ?? '',
    logo: settings.logo,
    invoiceFooter: settings.invoiceFooter ?? '',
    defaultLanguage: settings.defaultLanguage === 'en' ? 'en' : 'es',
    verifactuEnabled: settings.verifactuEnabled,
    qrEnvironment: settings.qrEnvironment === 'test' ? 'test' : 'production',
  };
}

export function toSettingsBody(values: SettingsFormValues): BillingSettingsBody {
  return {
    legalName: values.legalName.trim(),
    taxId: compactTaxId(values.taxId),
    address: values.address.trim(),
    email: values.email.trim() || null,
    phone: values.phone.trim() || null,
    logo: values.logo,
    invoiceFooter: values.invoiceFooter.trim() || null,
    defaultLanguage: values.defaultLanguage,
    verifactuEnabled: values.verifactuEnabled,
    qrEnvironment: values.qrEnvironment,
  };
}

export function validateSettings(values: SettingsFormValues): SettingsFieldErrors {
  const errors: SettingsFieldErrors = {};
  if (!values.legalName.trim()) errors.legalName = 'billingSettings.errors.legalName';
  const taxId = compactTaxId(values.taxId);
  if (!taxId || (isSpanishTaxIdShape(taxId) && !isValidTaxId(taxId))) {
    errors.taxId = 'billingSettings.errors.taxId';
  }
  if (values.email.trim() && !EMAIL.test(values.email.trim())) errors.email = 'customers.errors.email';
  return errors;
}

const SERVER_MESSAGES: SettingsFieldErrors = {
  legalName: 'billingSettings.errors.legalName',
  taxId: 'billingSettings.errors.taxId',
  email: 'customers.errors.email',
  logo: 'billingSettings.errors.logo',
  qrEnvironment: 'billingSettings.errors.qrEnvironment',
};

export function settingsFieldErrors(error: ApiError): SettingsFieldErrors {
  const errors: SettingsFieldErrors = {};
  for (const { field } of error.fieldErrors) {
    const name = FIELDS.find((candidate) => candidate === field.split('.')[0]);
    if (name && !errors[name]) errors[name] = SERVER_MESSAGES[name] ?? 'errors.invalidValue';
  }
  return errors;
}

/** Whether a chosen file may become the logo (its data URL up to 256 KB). */
export function logoProblem(file: { type: string; size: number }): TranslationKey | null {
  if (!(LOGO_TYPES as readonly string[]).includes(file.type)) return 'billingSettings.errors.logoType';
  // base64 writes 3 bytes as 4 characters, plus the "data:…;base64," prefix.
  if (Math.ceil(file.size / 3) * 4 + 40 > LOGO_MAX_BYTES) return 'billingSettings.errors.logoSize';
  return null;
}

/** The file as a `data:` URL. */
export function readAsDataUrl(file: Blob): Promise<string> {
  return new Promise((resolve, reject) => {
    const reader = new FileReader();
    reader.addEventListener('load', () => resolve(String(reader.result)));
    reader.addEventListener('error', () => reject(reader.error ?? new Error('unreadable file')));
    reader.readAsDataURL(file);
  });
}
