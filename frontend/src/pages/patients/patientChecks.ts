import type { TranslationKey } from '../../i18n/catalogs';
import { isRealDate, localIsoDate } from '../../lib/dates';
import {
  EARLIEST_BIRTH_DATE,
  FIRST_NAME_MAX,
  LAST_NAME_MAX,
  nested,
  PHONE_MAX,
  POSTAL_CODE_MAX,
  type PatientFieldErrors,
  type PatientFormValues,
  TAX_ID_MAX,
} from './formValues';
import { compactTaxId, isValidTaxId } from './taxId';

const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;
const LETTER = /\p{L}/u;
const PHONE = /^\+?[0-9][0-9 ().\-/]*$/;
const POSTAL_CODE = /^[A-Za-z0-9][A-Za-z0-9 -]*$/;
const DOCUMENT = /^[A-Z0-9]+$/;

function isPhone(value: string): boolean {
  const digits = value.replace(/\D/g, '').length;
  return PHONE.test(value) && value.length <= PHONE_MAX && digits >= 6 && digits <= 15;
}

function isName(value: string, max: number): boolean {
  return value.length > 0 && value.length <= max && LETTER.test(value);
}

function taxIdError(value: string): TranslationKey | null {
  const compact = compactTaxId(value);
  if (!compact) return null;
  if (!DOCUMENT.test(compact) || compact.length > TAX_ID_MAX) return 'patients.errors.taxIdChars';
  return isValidTaxId(compact) ? null : 'patients.errors.taxId';
}

/** The checks the server makes, run before sending so mistakes show at once. */
export function validatePatient(values: PatientFormValues, today = localIsoDate()): PatientFieldErrors {
  const errors: PatientFieldErrors = {};
  if (!isName(values.firstName.trim(), FIRST_NAME_MAX)) errors.firstName = 'patients.errors.firstName';
  if (!isName(values.lastName.trim(), LAST_NAME_MAX)) errors.lastName = 'patients.errors.lastName';
  const taxId = taxIdError(values.taxId);
  if (taxId) errors.taxId = taxId;
  const birthDate = values.birthDate.trim();
  const inRange = birthDate >= EARLIEST_BIRTH_DATE && birthDate <= today;
  if (birthDate && !(isRealDate(birthDate) && inRange)) errors.birthDate = 'patients.errors.birthDate';
  if (values.email.trim() && !EMAIL.test(values.email.trim())) errors.email = 'patients.errors.email';
  if (values.phone.trim() && !isPhone(values.phone.trim())) errors.phone = 'patients.errors.phone';
  const postalCode = values.address.postalCode.trim();
  if (postalCode && (postalCode.length > POSTAL_CODE_MAX || !POSTAL_CODE.test(postalCode))) {
    errors[nested('address', 'postalCode')] = 'patients.errors.postalCode';
  }
  const contactPhone = values.emergencyContact.phone.trim();
  if (contactPhone && !isPhone(contactPhone)) {
    errors[nested('emergencyContact', 'phone')] = 'patients.errors.phone';
  }
  return errors;
}
