import type { BillingLanguage, Customer, CustomerBody, CustomerKind } from '../../../api/billing';
import type { ApiError } from '../../../api/problem';
import type { TranslationKey } from '../../../i18n/catalogs';
import { DEFAULT_COUNTRY } from '../../patients/countries';
import { compactTaxId, isSpanishTaxIdShape, isValidTaxId } from '../../patients/taxId';

export const NAME_MAX = 200;
export const TAX_ID_MAX = 20;

/** What the customer form edits; kept as typed, so a failed save loses nothing. */
export interface CustomerFormValues {
  kind: CustomerKind;
  name: string;
  taxId: string;
  address: string;
  postalCode: string;
  city: string;
  province: string;
  country: string;
  email: string;
  phone: string;
  language: BillingLanguage;
  insurerId: string;
  active: boolean;
}

export type CustomerField = Exclude<keyof CustomerFormValues, 'active'>;
export type CustomerFieldErrors = Partial<Record<CustomerField, TranslationKey>>;

export const CUSTOMER_FIELDS: readonly CustomerField[] = [
  'kind',
  'name',
  'taxId',
  'address',
  'postalCode',
  'city',
  'province',
  'country',
  'email',
  'phone',
  'language',
  'insurerId',
];

const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

export function emptyCustomerForm(): CustomerFormValues {
  return {
    kind: 'person',
    name: '',
    taxId: '',
    address: '',
    postalCode: '',
    city: '',
    province: '',
    country: DEFAULT_COUNTRY,
    email: '',
    phone: '',
    language: 'es',
    insurerId: '',
    active: true,
  };
}

export function customerFormFrom(customer: Customer): CustomerFormValues {
  return {
    kind: customer.kind,
    name: customer.name,
    taxId: customer.taxId ?? '',
    address: customer.address ?? '',
    postalCode: customer.postalCode ?? '',
    city: customer.city ?? '',
    province: customer.province ?? '',
    country: customer.country || DEFAULT_COUNTRY,
    email: customer.email ?? '',
    // Grouped as the API shows it ("600 11 12 22"); sent back as stored unless it is changed.
    phone: customer.phoneDisplay ?? customer.phone ?? '',
    language: customer.language === 'en' ? 'en' : 'es',
    insurerId: customer.insurerId ?? '',
    active: customer.active,
  };
}

const optional = (value: string) => value.trim() || null;

/**
 * The body of `POST /api/customers` and `PUT /api/customers/{id}`: the editable fields only (the
 * API refuses read-only ones such as `phoneDisplay`). A phone left as shown keeps the `stored` one.
 */
export function toCustomerBody(values: CustomerFormValues, stored?: Customer): CustomerBody {
  const phone = optional(values.phone);
  const taxId = compactTaxId(values.taxId);
  return {
    kind: values.kind,
    name: values.name.trim(),
    taxId: taxId || null,
    address: optional(values.address),
    postalCode: optional(values.postalCode),
    city: optional(values.city),
    province: optional(values.province),
    country: values.country || DEFAULT_COUNTRY,
    email: optional(values.email),
    phone: stored && phone !== null && phone === stored.phoneDisplay ? stored.phone : phone,
    language: values.language,
    // Only a person has an insurer paying for them.
    insurerId: values.kind === 'person' ? optional(values.insurerId) : null,
    active: values.active,
  };
}

/** The checks that can be made here; the server checks the tax id fully (NIF, NIE, CIF, EU VAT). */
export function validateCustomer(values: CustomerFormValues): CustomerFieldErrors {
  const errors: CustomerFieldErrors = {};
  const name = values.name.trim();
  if (!name || name.length > NAME_MAX) errors.name = 'customers.errors.name';
  const taxId = compactTaxId(values.taxId);
  if (taxId.length > TAX_ID_MAX || (isSpanishTaxIdShape(taxId) && !isValidTaxId(taxId))) {
    errors.taxId = 'customers.errors.taxId';
  }
  if (values.email.trim() && !EMAIL.test(values.email.trim())) errors.email = 'customers.errors.email';
  return errors;
}

const SERVER_MESSAGES: Partial<Record<CustomerField, TranslationKey>> = {
  name: 'customers.errors.name',
  taxId: 'customers.errors.taxId',
  email: 'customers.errors.email',
  insurerId: 'customers.errors.insurer',
};

/** The server's field errors beside the form's fields (its own words are English). */
export function customerFieldErrors(error: ApiError): CustomerFieldErrors {
  const errors: CustomerFieldErrors = {};
  for (const { field } of error.fieldErrors) {
    const head = field.split('.')[0] ?? field;
    const name = CUSTOMER_FIELDS.find((candidate) => candidate === head);
    if (name && !errors[name]) errors[name] = SERVER_MESSAGES[name] ?? 'errors.invalidValue';
  }
  return errors;
}
