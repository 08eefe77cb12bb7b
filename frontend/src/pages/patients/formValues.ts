import type { Sex } from '../../api/patients';
import type { Locale, TranslationKey } from '../../i18n/catalogs';

// The server's limits (services/patients schemas.py), checked here before sending.
export const FIRST_NAME_MAX = 50;
export const LAST_NAME_MAX = 100;
export const PHONE_MAX = 25;
export const POSTAL_CODE_MAX = 10;
export const TAX_ID_MAX = 20;
export const EARLIEST_BIRTH_DATE = '1900-01-01';

export interface AddressValues {
  street: string;
  city: string;
  postalCode: string;
  province: string;
  country: string;
}

export interface ContactValues {
  name: string;
  phone: string;
}

/** What the patient form edits; kept as typed, so a failed save loses nothing. */
export interface PatientFormValues {
  firstName: string;
  lastName: string;
  taxId: string;
  birthDate: string;
  sex: Sex | '';
  email: string;
  phone: string;
  address: AddressValues;
  occupation: string;
  referralSource: string;
  emergencyContact: ContactValues;
  notes: string;
  preferredLocale: Locale;
  dataConsent: boolean;
  /** When consent was recorded; kept while the box stays ticked. */
  dataConsentAt: string | null;
}

export type Group = 'address' | 'emergencyContact';
type PlainField = Exclude<keyof PatientFormValues, Group | 'dataConsentAt'>;

/** A field of the form as the server names it in `errors[].field`, nested ones dotted. */
export type PatientFieldPath =
  | PlainField
  | `address.${keyof AddressValues}`
  | `emergencyContact.${keyof ContactValues}`;

export type PatientFieldErrors = Partial<Record<PatientFieldPath, TranslationKey>>;

export const SEXES: readonly Sex[] = ['female', 'male', 'other'];
export const ADDRESS_FIELDS: readonly (keyof AddressValues)[] = [
  'street',
  'postalCode',
  'city',
  'province',
  'country',
];
export const CONTACT_FIELDS: readonly (keyof ContactValues)[] = ['name', 'phone'];
export const PLAIN_FIELDS: readonly PlainField[] = [
  'firstName',
  'lastName',
  'taxId',
  'birthDate',
  'sex',
  'email',
  'phone',
  'occupation',
  'referralSource',
  'notes',
  'preferredLocale',
  'dataConsent',
];

/** The path of a field inside a group: ("address", "city") names address.city. */
export function nested<G extends Group>(group: G, name: keyof PatientFormValues[G]): PatientFieldPath {
  return `${group}.${String(name)}` as PatientFieldPath;
}
