import { describe, expect, it } from 'vitest';
import { patientFormValues as form } from '../../test/fixtures';
import { validatePatient } from './patientChecks';
import { emptyPatientForm } from './patientFields';

const contact = (phone: string) => ({ name: '', phone });
const address = (postalCode: string) => ({ ...emptyPatientForm().address, postalCode });

describe('validatePatient', () => {
  const today = '2026-06-15';

  it('accepts a minimal patient', () => {
    expect(validatePatient(form(), today)).toEqual({});
  });

  it('requires both names, within 50 and 100 characters', () => {
    expect(validatePatient(form({ firstName: '  ', lastName: '' }), today)).toEqual({
      firstName: 'patients.errors.firstName',
      lastName: 'patients.errors.lastName',
    });
    expect(validatePatient(form({ firstName: 'a'.repeat(50), lastName: 'b'.repeat(100) }), today)).toEqual({});
    expect(validatePatient(form({ firstName: 'a'.repeat(51), lastName: 'b'.repeat(101) }), today)).toEqual({
      firstName: 'patients.errors.firstName',
      lastName: 'patients.errors.lastName',
    });
  });

  it('checks the email, the birth date (real, not future) and the DNI/NIE letter', () => {
    expect(
      validatePatient(
        form({ email: 'jose@', birthDate: '2026-06-16', taxId: '12345678A' }),
        today,
      ),
    ).toEqual({
      email: 'patients.errors.email',
      birthDate: 'patients.errors.birthDate',
      taxId: 'patients.errors.taxId',
    });
    expect(validatePatient(form({ birthDate: '2023-02-29' }), today)).toEqual({
      birthDate: 'patients.errors.birthDate',
    });
    expect(
      validatePatient(form({ email: 'jose@example.com', birthDate: today, taxId: 'X1234567L' }), today),
    ).toEqual({});
    expect(validatePatient(form({ taxId: 'PAA123456' }), today)).toEqual({});
    expect(validatePatient(form({ birthDate: '1899-12-31' }), today)).toEqual({
      birthDate: 'patients.errors.birthDate',
    });
  });

  it('wants a letter in each name, and only letters and digits (up to 20) in a document', () => {
    expect(validatePatient(form({ firstName: '123', lastName: '--' }), today)).toEqual({
      firstName: 'patients.errors.firstName',
      lastName: 'patients.errors.lastName',
    });
    expect(validatePatient(form({ firstName: 'Ñúñez' }), today)).toEqual({});
    expect(validatePatient(form({ taxId: 'PA/123' }), today)).toEqual({
      taxId: 'patients.errors.taxIdChars',
    });
    expect(validatePatient(form({ taxId: 'A'.repeat(21) }), today)).toEqual({
      taxId: 'patients.errors.taxIdChars',
    });
    expect(validatePatient(form({ taxId: 'pa-123 456.7' }), today)).toEqual({});
  });

  it('checks phones (6 to 15 digits) and the postal code like the server', () => {
    expect(
      validatePatient(
        form({ phone: '12345', emergencyContact: contact('600-abc'), address: address('-46001') }),
        today,
      ),
    ).toEqual({
      phone: 'patients.errors.phone',
      'emergencyContact.phone': 'patients.errors.phone',
      'address.postalCode': 'patients.errors.postalCode',
    });
    expect(validatePatient(form({ phone: '1234567890123456' }), today)).toEqual({
      phone: 'patients.errors.phone',
    });
    expect(
      validatePatient(
        form({
          phone: '+34 (600) 111-222',
          emergencyContact: contact('600/333.444'),
          address: address('SW1A 1AA'),
        }),
        today,
      ),
    ).toEqual({});
    expect(validatePatient(form({ address: address('12345678901') }), today)).toEqual({
      'address.postalCode': 'patients.errors.postalCode',
    });
  });
});
