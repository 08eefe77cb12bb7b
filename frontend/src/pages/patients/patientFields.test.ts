import { describe, expect, it } from 'vitest';
import { ApiError } from '../../api/problem';
import { patientFormValues, patientRecord } from '../../test/fixtures';
import {
  duplicateQuery,
  emptyPatientForm,
  patientFieldErrors,
  patientFormFrom,
  patientUpdateFrom,
  toPatientCreate,
} from './patientFields';

const form = patientFormValues;

describe('toPatientCreate', () => {
  it('trims, sends null for empty fields and groups, and compacts a DNI', () => {
    // The country the form starts with makes no address on its own.
    expect(emptyPatientForm().address.country).toBe('ES');
    const body = toPatientCreate(form({ firstName: ' José ', taxId: '12.345.678-z', phone: ' ' }));
    expect(body).toEqual({
      firstName: 'José',
      lastName: 'García Núñez',
      taxId: '12345678Z',
      birthDate: null,
      sex: null,
      email: null,
      phone: null,
      address: null,
      occupation: null,
      referralSource: null,
      emergencyContact: null,
      notes: null,
      preferredLocale: 'es',
      dataConsentAt: null,
    });
  });

  it('sends a partly filled address with nulls, and stamps new consent with the time', () => {
    const now = new Date('2026-06-15T10:00:00Z');
    const values = form({
      address: { ...emptyPatientForm().address, city: 'Valencia' },
      emergencyContact: { name: '', phone: '600 333 444' },
      dataConsent: true,
    });
    const body = toPatientCreate(values, now);
    expect(body.address).toEqual({
      street: null,
      city: 'Valencia',
      postalCode: null,
      province: null,
      country: 'ES',
    });
    expect(body.emergencyContact).toEqual({ name: null, phone: '600 333 444' });
    expect(body.dataConsentAt).toBe('2026-06-15T10:00:00.000Z');
  });

  it('keeps the stored consent date, and round-trips a stored patient', () => {
    const stored = patientRecord();
    const values = patientFormFrom(stored);
    expect(toPatientCreate(values).dataConsentAt).toBe('2026-01-10T09:00:00Z');
    expect(toPatientCreate({ ...values, dataConsent: false }).dataConsentAt).toBeNull();
    const { status: _status, ...create } = patientUpdateFrom(stored, 'active');
    // The phones are edited as they read (grouped); the API stores them in E.164 again.
    expect(values.phone).toBe('600 11 12 22');
    expect(values.emergencyContact.phone).toBe('600 33 34 44');
    expect(toPatientCreate(values)).toEqual({
      ...create,
      phone: '600 11 12 22',
      emergencyContact: { name: 'María Núñez', phone: '600 33 34 44' },
    });
  });
});

describe('patientFieldErrors', () => {
  it('maps server fields, nested ones included, to the form fields', () => {
    const error = new ApiError({
      kind: 'http',
      status: 422,
      fieldErrors: [
        { field: 'lastName', message: 'String should have at most 100 characters' },
        { field: 'address.postalCode', message: 'too long' },
        { field: 'emergencyContact.phone', message: 'too long' },
        { field: 'dataConsentAt', message: 'bad datetime' },
        { field: 'mystery', message: 'Extra inputs are not permitted' },
      ],
    });
    expect(patientFieldErrors(error)).toEqual({
      lastName: 'patients.errors.lastName',
      'address.postalCode': 'patients.errors.postalCode',
      'emergencyContact.phone': 'patients.errors.phone',
      dataConsent: 'errors.invalidValue',
    });
  });

  it('puts a whole-group error on its first field, and a 409 tax id as taken', () => {
    const error = new ApiError({
      kind: 'http',
      status: 409,
      fieldErrors: [{ field: 'taxId', message: 'already registered' }],
    });
    expect(patientFieldErrors(error)).toEqual({ taxId: 'patients.errors.taxIdTaken' });
    const group = new ApiError({ kind: 'http', status: 422, fieldErrors: [{ field: 'address', message: 'x' }] });
    expect(patientFieldErrors(group)).toEqual({ 'address.street': 'errors.invalidValue' });
  });
});

describe('duplicateQuery', () => {
  it('needs both names, and adds only a usable birth date and tax id', () => {
    expect(duplicateQuery(form({ lastName: ' ' }))).toBeNull();
    expect(duplicateQuery(form({ birthDate: '1980-05', taxId: '12345678A' }))).toEqual({
      firstName: 'José',
      lastName: 'García Núñez',
    });
    expect(duplicateQuery(form({ birthDate: '1980-05-03', taxId: '12345678z' }), 'p-1')).toEqual({
      firstName: 'José',
      lastName: 'García Núñez',
      birthDate: '1980-05-03',
      taxId: '12345678Z',
      excludeId: 'p-1',
    });
  });
});
