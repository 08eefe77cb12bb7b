import { describe, expect, it } from 'vitest';
import {
  computeTotals,
  divideHalfUp,
  formatMoney,
  formatQuantity,
  formatScaled,
  fromCents,
  isPositive,
  lineAmountCents,
  normaliseAmount,
  normaliseDecimal,
  parseScaled,
  toCents,
  vatRateOf,
} from './money';

const line = (quantity: string, unitPrice: string, vatRate = '0', discountPercent = '0') => ({
  quantity,
  unitPrice,
  vatRate,
  discountPercent,
});

describe('parsing and writing decimals', () => {
  it.each([
    ['45', 2, 4500n],
    ['45.5', 2, 4550n],
    ['45,50', 2, 4550n],
    [' 0,05 ', 2, 5n],
    ['.5', 2, 50n],
    ['45.500', 2, 4550n],
    ['1.250', 3, 1250n],
    ['99999999.99', 2, 9_999_999_999n],
  ])('%s at scale %i is %s', (text, scale, expected) => {
    expect(parseScaled(text, scale)).toBe(expected);
  });

  it.each(['', '-', '.', 'abc', '1.2.3', '12,345,6', '1e3', '0.001', '45.505', '100000000'])(
    'refuses %j as an amount',
    (text) => {
      expect(parseScaled(text, 2)).toBeNull();
    },
  );

  it('takes a minus sign only when asked', () => {
    expect(parseScaled('-1', 3)).toBeNull();
    expect(parseScaled('-1', 3, { negative: true })).toBe(-1000n);
  });

  it('writes units back as the API’s strings', () => {
    expect(formatScaled(4500n, 2)).toBe('45.00');
    expect(formatScaled(5n, 2)).toBe('0.05');
    expect(formatScaled(-5n, 2)).toBe('-0.05');
    expect(formatScaled(1500n, 3)).toBe('1.500');
    expect(fromCents(-12345n)).toBe('-123.45');
    expect(toCents('-40.00')).toBe(-4000n);
    expect(normaliseAmount('45,5')).toBe('45.50');
    expect(normaliseAmount('4,555')).toBeNull();
    expect(normaliseDecimal('1,50', 3)).toBe('1.5');
    expect(normaliseDecimal('10', 2)).toBe('10');
    expect(normaliseDecimal('0', 2)).toBe('0');
  });

  it('reads the VAT rates the clinic may charge, however written', () => {
    expect(vatRateOf('21.00')).toBe('21');
    expect(vatRateOf('0.00')).toBe('0');
    expect(vatRateOf('4')).toBe('4');
    expect(vatRateOf('16')).toBeNull();
    expect(vatRateOf('10.5')).toBeNull();
  });

  it('rounds half-up, ties away from zero, like Decimal’s ROUND_HALF_UP', () => {
    expect(divideHalfUp(5n, 10n)).toBe(1n);
    expect(divideHalfUp(4n, 10n)).toBe(0n);
    expect(divideHalfUp(-5n, 10n)).toBe(-1n);
    expect(divideHalfUp(-4n, 10n)).toBe(0n);
    expect(divideHalfUp(15n, 10n)).toBe(2n);
    expect(divideHalfUp(25n, 10n)).toBe(3n);
  });
});

describe('line amounts', () => {
  it('3 × 33.33 less 10 % is 89.99 (89.991 rounded per line)', () => {
    expect(lineAmountCents(line('3', '33.33', '21', '10'))).toBe(8999n);
  });

  it('rounds half a cent up, never through a float', () => {
    // 1.005 as a float is 1.00499999…, which float arithmetic rounds down to 1.00.
    expect(lineAmountCents(line('1', '2.01', '21', '50'))).toBe(101n); // 1.005 → 1.01
    expect(lineAmountCents(line('0.333', '0.15'))).toBe(5n); // 0.04995 → 0.05
    expect(lineAmountCents(line('3', '0.1'))).toBe(30n);
  });

  it('is negative for a rectifying line by differences, rounding away from zero', () => {
    expect(lineAmountCents(line('-1', '2.01', '21', '50'), { negative: true })).toBe(-101n);
    expect(lineAmountCents(line('-1', '2.01', '21', '50'))).toBeNull();
  });

  it('is unknown while a number is missing or malformed', () => {
    expect(lineAmountCents(line('', '40'))).toBeNull();
    expect(lineAmountCents(line('1', '40,001'))).toBeNull();
    expect(lineAmountCents(line('1', '40', '16'))).toBeNull();
    expect(lineAmountCents(line('1', '40', '21', '101'))).toBeNull();
  });
});

describe('invoice totals', () => {
  it('computes VAT once per rate on the summed base, not line by line', () => {
    // Three lines of 0.05 at 21 %: per line the VAT would be 0.01 × 3 = 0.03; on the base
    // 0.15 × 21 % = 0.0315 → 0.03. Two lines of 0.10: 0.021 → 0.02 each (0.04) vs 0.042 → 0.04.
    // And 7 × 0.07: 0.0147 → 0.01 each (0.07) vs 0.49 × 21 % = 0.1029 → 0.10.
    const totals = computeTotals(Array.from({ length: 7 }, () => line('1', '0.07', '21')));
    expect(totals.breakdown).toEqual([{ vatRate: '21', exemption: null, base: '0.49', tax: '0.10' }]);
    expect(totals.total).toBe('0.59');
  });

  it('splits the breakdown per rate, highest first, with the exemption on 0 %', () => {
    const totals = computeTotals([
      line('1', '40.00', '0'),
      line('3', '33.33', '21', '10'),
      line('2', '12', '21'),
      line('1', '9.99', '10'),
      line('1', '50', '0.00'),
    ]);
    expect(totals.amounts).toEqual(['40.00', '89.99', '24.00', '9.99', '50.00']);
    expect(totals.breakdown).toEqual([
      // 113.99 × 21 % = 23.9379 → 23.94
      { vatRate: '21', exemption: null, base: '113.99', tax: '23.94' },
      // 9.99 × 10 % = 0.999 → 1.00
      { vatRate: '10', exemption: null, base: '9.99', tax: '1.00' },
      { vatRate: '0', exemption: 'health_care', base: '90.00', tax: '0.00' },
    ]);
    expect(totals.base).toBe('213.98');
    expect(totals.tax).toBe('24.94');
    expect(totals.total).toBe('238.92');
    expect(totals.totalCents).toBe(23892n);
    expect(totals.incomplete).toBe(0);
  });

  it('leaves out the lines it cannot compute yet, and counts them', () => {
    const totals = computeTotals([line('1', '40'), line('1', '')]);
    expect(totals.amounts).toEqual(['40.00', null]);
    expect(totals.total).toBe('40.00');
    expect(totals.incomplete).toBe(1);
  });

  it('is zero without lines', () => {
    expect(computeTotals([])).toMatchObject({ breakdown: [], base: '0.00', tax: '0.00', total: '0.00' });
  });

  it('cancels an invoice in full with negative amounts', () => {
    const totals = computeTotals([line('-3', '33.33', '21', '10')], { negative: true });
    expect(totals.breakdown).toEqual([{ vatRate: '21', exemption: null, base: '-89.99', tax: '-18.90' }]);
    expect(totals.total).toBe('-108.89');
  });
});

describe('showing money', () => {
  it('formats the server’s strings in each language, exactly', () => {
    expect(formatMoney('1234.50', 'en')).toBe('€1,234.50');
    expect(formatMoney('40.00', 'es')).toMatch(/^40,00\s€$/);
    expect(formatMoney('-108.89', 'es')).toMatch(/^-108,89\s€$/);
    // Past a float's precision the string still comes out as sent.
    expect(formatMoney('99999999.99', 'en')).toBe('€99,999,999.99');
    expect(formatQuantity('1.500', 'es')).toBe('1,5');
    expect(formatQuantity('1.000', 'en')).toBe('1');
  });

  it('tells an outstanding balance', () => {
    expect(isPositive('0.01')).toBe(true);
    expect(isPositive('0.00')).toBe(false);
    expect(isPositive('-5.00')).toBe(false);
    expect(isPositive(null)).toBe(false);
  });
});
