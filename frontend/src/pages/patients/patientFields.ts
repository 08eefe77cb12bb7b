import type {
  DuplicateQuery,
  Patient,
  PatientCreate,
  PatientStatus,
  PatientUpdate,
} from '../../api/patients';
import type { ApiError } from '../../api/problem';
import type { TranslationKey } from '../../i18n/catalogs';
import { isRealDate } from '../../lib/dates';
import { DEFAULT_COUNTRY } from './countries';
import {
  ADDRESS_FIELDS,
  type AddressValues,
  CONTACT_FIELDS,
  nested,
  PLAIN_FIELDS,
  type PatientFieldErrors,
  type PatientFieldPath,
  type PatientFormValues,
} from './formValues';
import { isValidTaxId, normalizeTaxId } from './taxId';

// What the server's 422 on a field means, in words (the server's own text is English).
const SERVER_MESSAGES: Partial<Record<PatientFieldPath, TranslationKey>> = {
  firstName: 'patients.errors.firstName',
  lastName: 'patients.errors.lastName',
  taxId: 'patients.errors.taxIdInvalid',
  birthDate: 'patients.errors.birthDate',
  email: 'patients.errors.email',
  phone: 'patients.errors.phone',
  [nested('address', 'postalCode')]: 'patients.errors.postalCode',
  [nested('emergencyContact', 'phone')]: 'patients.errors.phone',
};

/** An empty form for a new patient. */
export function emptyPatientForm(): PatientFormValues {
  return {
    firstName: '',
    lastName: '',
    taxId: '',
    birthDate: '',
    sex: '',
    email: '',
    phone: '',
    address: { street: '', city: '', postalCode: '', province: '', country: DEFAULT_COUNTRY },
    occupation: '',
    referralSource: '',
    emergencyContact: { name: '', phone: '' },
    notes: '',
    preferredLocale: 'es',
    dataConsent: false,
    dataConsentAt: null,
  };
}

/** The form filled with a stored patient. */
export function patientFormFrom(patient: Patient): PatientFormValues {
  const address = patient.address;
  const contact = patient.emergencyContact;
  return {
    firstName: patient.firstName,
    lastName: patient.lastName,
    taxId: patient.taxId ?? '',
    birthDate: patient.birthDate ?? '',
    sex: patient.sex ?? '',
    email: patient.email ?? '',
    // The grouped form to edit (the API stores whatever is sent back in E.164 again).
    phone: patient.phoneDisplay ?? patient.phone ?? '',
    address: {
      street: address?.street ?? '',
      city: address?.city ?? '',
      postalCode: address?.postalCode ?? '',
      province: address?.province ?? '',
      country: address ? (address.country ?? '') : DEFAULT_COUNTRY,
    },
    occupation: patient.occupation ?? '',
    referralSource: patient.referralSource ?? '',
    emergencyContact: {
      name: contact?.name ?? '',
      phone: patient.emergencyContactPhoneDisplay ?? contact?.phone ?? '',
    },
    notes: patient.notes ?? '',
    preferredLocale: patient.preferredLocale === 'en' ? 'en' : 'es',
    dataConsent: patient.dataConsentAt !== null,
    dataConsentAt: patient.dataConsentAt,
  };
}

function optional(value: string): string | null {
  return value.trim() || null;
}

function allEmpty(values: object): boolean {
  return Object.values(values).every((value) => typeof value !== 'string' || !value.trim());
}

// A country alone (the form starts with the clinic's) makes no address.
const noAddress = ({ country: _country, ...lines }: AddressValues) => allEmpty(lines);

/** The body of `POST /api/patients` (the server sets the status: active). */
export function toPatientCreate(values: PatientFormValues, now = new Date()): PatientCreate {
  const { address, emergencyContact: contact } = values;
  return {
    firstName: values.firstName.trim(),
    lastName: values.lastName.trim(),
    taxId: optional(normalizeTaxId(values.taxId)),
    birthDate: optional(values.birthDate),
    sex: values.sex || null,
    email: optional(values.email),
    phone: optional(values.phone),
    address: noAddress(address)
      ? null
      : {
          street: optional(address.street),
          city: optional(address.city),
          postalCode: optional(address.postalCode),
          province: optional(address.province),
          country: optional(address.country),
        },
    occupation: optional(values.occupation),
    referralSource: optional(values.referralSource),
    emergencyContact: allEmpty(contact)
      ? null
      : { name: optional(contact.name), phone: optional(contact.phone) },
    notes: optional(values.notes),
    preferredLocale: values.preferredLocale,
    dataConsentAt: values.dataConsent ? (values.dataConsentAt ?? now.toISOString()) : null,
  };
}

/** The body of `PUT /api/patients/{id}`: every field, with the status it keeps or changes to. */
export function toPatientUpdate(values: PatientFormValues, status: PatientStatus): PatientUpdate {
  return { ...toPatientCreate(values), status };
}

/** The stored patient as a PUT body, with `status` changed: nothing else is touched. */
export function patientUpdateFrom(patient: Patient, status: PatientStatus): PatientUpdate {
  return {
    firstName: patient.firstName,
    lastName: patient.lastName,
    taxId: patient.taxId,
    birthDate: patient.birthDate,
    sex: patient.sex,
    email: patient.email,
    phone: patient.phone,
    address: patient.address,
    occupation: patient.occupation,
    referralSource: patient.referralSource,
    emergencyContact: patient.emergencyContact,
    notes: patient.notes,
    preferredLocale: patient.preferredLocale,
    dataConsentAt: patient.dataConsentAt,
    status,
  };
}

function knownPath(field: string): PatientFieldPath | null {
  const [head = '', sub = ''] = field.split('.');
  if (head === 'dataConsentAt') return 'dataConsent';
  // A whole group refused ("address") is shown on its first field.
  if (head === 'address') {
    const name = ADDRESS_FIELDS.find((candidate) => candidate === sub) ?? 'street';
    return `address.${name}`;
  }
  if (head === 'emergencyContact') {
    const name = CONTACT_FIELDS.find((candidate) => candidate === sub) ?? 'name';
    return `emergencyContact.${name}`;
  }
  return PLAIN_FIELDS.find((candidate) => candidate === head) ?? null;
}

/** The server's field errors as translated messages beside the form's fields. */
export function patientFieldErrors(error: ApiError): PatientFieldErrors {
  const result: PatientFieldErrors = {};
  for (const { field } of error.fieldErrors) {
    const path = knownPath(field);
    if (!path || result[path]) continue;
    if (error.status === 409 && path === 'taxId') result.taxId = 'patients.errors.taxIdTaken';
    else result[path] = SERVER_MESSAGES[path] ?? 'errors.invalidValue';
  }
  return result;
}

/** What the duplicate check needs, or null while the names are not both typed. */
export function duplicateQuery(values: PatientFormValues, excludeId?: string): DuplicateQuery | null {
  const firstName = values.firstName.trim();
  const lastName = values.lastName.trim();
  if (!firstName || !lastName) return null;
  const query: DuplicateQuery = { firstName, lastName };
  if (isRealDate(values.birthDate)) query.birthDate = values.birthDate;
  const taxId = normalizeTaxId(values.taxId);
  if (taxId && isValidTaxId(taxId)) query.taxId = taxId;
  if (excludeId) query.excludeId = excludeId;
  return query;
}
