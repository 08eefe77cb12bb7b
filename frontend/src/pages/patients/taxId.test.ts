import { describe, expect, it } from 'vitest';
import { checkLetter, isSpanishTaxIdShape, isValidTaxId, normalizeTaxId } from './taxId';

describe('Spanish DNI/NIE check letters', () => {
  it.each([
    ['12345678Z', true],
    ['00000000T', true],
    ['00000023T', true],
    ['99999999R', true],
    ['12345678A', false],
    ['X1234567L', true],
    ['Y1234567X', true],
    ['Z1234567R', true],
    ['X1234567T', false],
    ['Z1234567L', false],
  ])('%s is valid: %s', (value, valid) => {
    expect(isValidTaxId(value)).toBe(valid);
  });

  it('computes the letter as the number modulo 23', () => {
    expect(checkLetter('12345678')).toBe('Z');
    expect(checkLetter('0')).toBe('T');
    expect(checkLetter('22')).toBe('E');
  });

  it('accepts lower case and separators, and stores the compact form', () => {
    expect(isValidTaxId('12.345.678-z')).toBe(true);
    expect(isValidTaxId('x 1234567 l')).toBe(true);
    expect(normalizeTaxId(' 12.345.678-z ')).toBe('12345678Z');
    expect(normalizeTaxId('x-1234567-l')).toBe('X1234567L');
  });

  it('takes other documents as given', () => {
    expect(isSpanishTaxIdShape('PAA123456')).toBe(false);
    expect(isValidTaxId('PAA123456')).toBe(true);
    expect(isValidTaxId('1234567Z')).toBe(true); // seven digits: not a DNI
    expect(normalizeTaxId('  pa 123 456 ')).toBe('pa 123 456');
  });
});
