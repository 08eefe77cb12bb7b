import type { Patient } from '../api/patients';
import type { UserDetail } from '../api/users';
import type { PatientFormValues } from '../pages/patients/formValues';
import { emptyPatientForm } from '../pages/patients/patientFields';
import type { SessionUser, SignedInResponse } from '../auth/types';

export const admin: SessionUser = {
  id: 'u-admin',
  email: 'admin@demo.clinic',
  fullName: 'Ana García',
  roles: ['ROLE_ADMIN'],
  active: true,
  color: null,
  locale: 'es',
};

export const receptionist: SessionUser = {
  id: 'u-recepcion',
  email: 'recepcion@demo.clinic',
  fullName: 'Carmen López',
  roles: ['ROLE_RECEPTIONIST'],
  active: true,
  color: null,
  locale: 'es',
};

export const practitioner: SessionUser = {
  id: 'u-laura',
  email: 'fisio@demo.clinic',
  fullName: 'Laura Martínez',
  roles: ['ROLE_PRACTITIONER'],
  active: true,
  color: '#2563eb',
  locale: 'es',
};

let issued = 0;

/** What /api/login and /api/token/refresh answer for `user`, with a new token each time. */
export function signedIn(
  user: SessionUser,
  expiresIn = 900,
  session: { endsIn?: number; renewable?: boolean } = {},
): SignedInResponse {
  issued += 1;
  const { endsIn = 7200, renewable = true } = session;
  return { token: `token-${issued}`, expiresIn, sessionExpiresIn: endsIn, sessionRenewable: renewable, user };
}

/** A stored account as `/api/users/{id}` returns it. */
export function userDetail(overrides: Partial<UserDetail> = {}): UserDetail {
  return {
    id: 'u-laura',
    email: 'fisio@demo.clinic',
    fullName: 'Laura Martínez',
    roles: ['ROLE_PRACTITIONER'],
    active: true,
    color: '#2563eb',
    locale: 'es',
    createdAt: '2026-11-20T09:30:00Z',
    updatedAt: '2026-11-21T10:00:00Z',
    version: 1,
    ...overrides,
  };
}

/** A stored patient as `/api/patients/{id}` returns it. */
export function patientRecord(overrides: Partial<Patient> = {}): Patient {
  return {
    id: 'p-jose',
    firstName: 'José',
    lastName: 'García Núñez',
    fullName: 'José García Núñez',
    taxId: '12345678Z',
    birthDate: '1980-05-03',
    sex: 'male',
    email: 'jose@example.com',
    phone: '+34600111222',
    phoneDisplay: '600 11 12 22',
    address: {
      street: 'Calle Mayor 1',
      city: 'Valencia',
      postalCode: '46001',
      province: 'Valencia',
      country: 'ES',
    },
    occupation: 'Carpintero',
    referralSource: null,
    emergencyContact: { name: 'María Núñez', phone: '+34600333444' },
    emergencyContactPhoneDisplay: '600 33 34 44',
    notes: null,
    preferredLocale: 'es',
    dataConsentAt: '2026-01-10T09:00:00Z',
    status: 'active',
    lastVisitAt: null,
    nextAppointmentAt: null,
    createdAt: '2026-01-10T09:00:00Z',
    updatedAt: '2026-01-10T09:00:00Z',
    version: 1,
    ...overrides,
  };
}

/** What a PUT sends for `patient`: everything but the server-kept fields, written out by hand. */
export function editableFields(patient: Patient) {
  const {
    id: _id,
    fullName: _fullName,
    lastVisitAt: _lastVisitAt,
    nextAppointmentAt: _nextAppointmentAt,
    createdAt: _createdAt,
    updatedAt: _updatedAt,
    version: _version,
    phoneDisplay: _phoneDisplay,
    emergencyContactPhoneDisplay: _emergencyContactPhoneDisplay,
    ...editable
  } = patient;
  return editable;
}

/** A page of the patients collection (`next` when another page exists). */
export function patientPage(member: Patient[], next = false) {
  return {
    status: 200,
    body: {
      member,
      view: { first: '/api/patients?page=1', ...(next ? { next: '/api/patients?page=2' } : {}) },
    },
  };
}

/** The patient form with both names typed, plus `overrides`. */
export function patientFormValues(overrides: Partial<PatientFormValues> = {}): PatientFormValues {
  return { ...emptyPatientForm(), firstName: 'José', lastName: 'García Núñez', ...overrides };
}
