import type { Locale } from '../../i18n/catalogs';

// Money without floats. Amounts, quantities and percentages are decimal strings ("45.00",
// "1.000", "10.00") on the wire; here they become integers of their smallest unit (cents,
// thousandths, hundredths of a percent) as BigInt, so 0.1 + 0.2 is exactly 0.3 and rounding
// happens only where billing's domain/totals.py rounds, in the same way (half-up, away from zero):
//
// 1. each line: quantity × unit price − discount, rounded to cents on its own;
// 2. line amounts summed per VAT rate (and exemption) into that rate's base (exact);
// 3. VAT once per rate on the summed base, rounded to cents;
// 4. total = Σ bases + Σ VAT (exact).

/** Decimals of each kind of number the API speaks. */
export const MONEY_SCALE = 2;
export const QUANTITY_SCALE = 3;
export const PERCENT_SCALE = 2;

/** The Spanish VAT rates an invoice line may carry (0: exempt health care, art. 20.Uno.3º LIVA). */
export const VAT_RATES = ['21', '10', '4', '0'] as const;
export type VatRate = (typeof VAT_RATES)[number];

/** The exemption of a line without VAT; billing's only one so far. */
export const HEALTH_CARE = 'health_care';
export type Exemption = typeof HEALTH_CARE;

/** The API's ceiling for any amount (billing's money.MAX_AMOUNT). */
const MAX_UNITS_EUR = 99_999_999n;
/** The threshold of a simplified invoice (series S). */
export const SIMPLIFIED_MAX_CENTS = 40_000n;

const TEN = 10n;
const pow10 = (exponent: number): bigint => TEN ** BigInt(exponent);

/** `numerator / denominator` rounded half-up, ties away from zero (Decimal's ROUND_HALF_UP). */
export function divideHalfUp(numerator: bigint, denominator: bigint): bigint {
  if (denominator === 0n) throw new RangeError('division by zero');
  const negative = numerator < 0n !== denominator < 0n;
  const n = numerator < 0n ? -numerator : numerator;
  const d = denominator < 0n ? -denominator : denominator;
  const quotient = (n * 2n + d) / (d * 2n);
  return negative && quotient !== 0n ? -quotient : quotient;
}

export interface ParseOptions {
  /** Whether a minus sign is accepted (quantities of a rectifying line by differences). */
  negative?: boolean;
}

/**
 * `text` as an integer of 10^-`scale` units ("33,33" or "33.33" at scale 2 → 3333n), or null when
 * it is not a plain decimal with at most `scale` decimals (extra trailing zeros are fine). A comma
 * is read as the decimal separator, as Spanish users type it; thousands separators are not taken.
 */
export function parseScaled(text: string, scale: number, options: ParseOptions = {}): bigint | null {
  const match = /^([-+])?(\d*)(?:[.,](\d*))?$/.exec(text.trim());
  if (!match) return null;
  const [, sign = '', whole = '', fraction = ''] = match;
  if (!whole && !fraction) return null;
  if (sign === '-' && !options.negative) return null;
  const significant = fraction.replace(/0+$/, '');
  if (significant.length > scale) return null;
  const digits = `${whole || '0'}${fraction.padEnd(scale, '0').slice(0, scale)}`;
  const value = BigInt(digits);
  if (value > MAX_UNITS_EUR * pow10(scale) + pow10(scale) - 1n) return null;
  return sign === '-' ? -value : value;
}

/** An integer of 10^-`scale` units as the API's decimal string: (-5n, 2) → "-0.05". */
export function formatScaled(value: bigint, scale: number): string {
  const negative = value < 0n;
  const digits = (negative ? -value : value).toString().padStart(scale + 1, '0');
  const whole = digits.slice(0, digits.length - scale);
  const fraction = digits.slice(digits.length - scale);
  return `${negative ? '-' : ''}${whole}${scale > 0 ? `.${fraction}` : ''}`;
}

/** Cents of an API amount ("45.00" → 4500n); null when it is not one. */
export function toCents(amount: string): bigint | null {
  return parseScaled(amount, MONEY_SCALE, { negative: true });
}

/** Cents as the API's amount string (4500n → "45.00"). */
export function fromCents(cents: bigint): string {
  return formatScaled(cents, MONEY_SCALE);
}

/** A typed amount normalised for the API ("45,5" → "45.50"); null when it is not one. */
export function normaliseAmount(text: string, options: ParseOptions = {}): string | null {
  const cents = parseScaled(text, MONEY_SCALE, options);
  return cents === null ? null : fromCents(cents);
}

/** A typed decimal normalised for the API without padding ("1,5" → "1.5", "10" → "10"). */
export function normaliseDecimal(text: string, scale: number, options: ParseOptions = {}): string | null {
  const value = parseScaled(text, scale, options);
  if (value === null) return null;
  return formatScaled(value, scale).replace(/\.?0+$/, '') || '0';
}

/** An API decimal as a person types it in `locale` ("40.00" → "40,00" in Spanish). */
export function toInputDecimal(value: string, locale: Locale): string {
  return locale === 'es' ? value.replace('.', ',') : value;
}

/** The VAT rate an API value names ("21.00" → "21"), or null for a rate the clinic cannot charge. */
export function vatRateOf(value: string): VatRate | null {
  const hundredths = parseScaled(value, PERCENT_SCALE);
  if (hundredths === null || hundredths % 100n !== 0n) return null;
  const whole = String(hundredths / 100n);
  return VAT_RATES.find((rate) => rate === whole) ?? null;
}

/** One line as the totals need it: every number still the string typed or stored. */
export interface LineFigures {
  quantity: string;
  unitPrice: string;
  discountPercent: string;
  vatRate: string;
}

/** The parsed numbers of a line, or null when one of them is not a valid number. */
function lineUnits(line: LineFigures, negativeQuantity: boolean) {
  const quantity = parseScaled(line.quantity, QUANTITY_SCALE, { negative: negativeQuantity });
  const price = parseScaled(line.unitPrice, MONEY_SCALE);
  const discount = parseScaled(line.discountPercent || '0', PERCENT_SCALE);
  const rate = vatRateOf(line.vatRate);
  if (quantity === null || price === null || discount === null || rate === null) return null;
  if (discount > 100n * 100n) return null;
  return { quantity, price, discount, rate };
}

/**
 * The line's amount in cents: quantity × unit price less the discount, rounded half-up to cents
 * (rule 1); null when a number is missing or malformed.
 */
export function lineAmountCents(line: LineFigures, options: ParseOptions = {}): bigint | null {
  const units = lineUnits(line, !!options.negative);
  if (!units) return null;
  // quantity (10^-3) × price (10^-2) × (100 % − discount) (10^-4): 10^-9 euros, to cents.
  const exact = units.quantity * units.price * (10_000n - units.discount);
  return divideHalfUp(exact, pow10(QUANTITY_SCALE + PERCENT_SCALE + 2));
}

export interface BreakdownRow {
  /** The rate in whole percent ("21", "0"). */
  vatRate: VatRate;
  exemption: Exemption | null;
  base: string;
  tax: string;
}

export interface Totals {
  /** Each line's amount ("40.00"), or null where the line cannot be computed yet. */
  amounts: (string | null)[];
  /** One row per rate and exemption, highest rate first. */
  breakdown: BreakdownRow[];
  base: string;
  tax: string;
  total: string;
  /** The total in cents, for comparisons (the simplified invoice's 400 €, a balance). */
  totalCents: bigint;
  /** How many lines could not be computed (left out of the totals). */
  incomplete: number;
}

/** Every computable line's amount, the VAT per rate on the summed bases, and the totals. */
export function computeTotals(lines: readonly LineFigures[], options: ParseOptions = {}): Totals {
  const bases = new Map<VatRate, bigint>();
  const amounts = lines.map((line) => {
    const cents = lineAmountCents(line, options);
    const rate = vatRateOf(line.vatRate);
    if (cents === null || rate === null) return null;
    bases.set(rate, (bases.get(rate) ?? 0n) + cents); // rule 2: cents add up exactly
    return fromCents(cents);
  });
  let base = 0n;
  let tax = 0n;
  const breakdown = [...bases.entries()]
    .toSorted(([a], [b]) => Number(b) - Number(a))
    .map(([rate, rateBase]) => {
      // rule 3: once per rate, on the rate's summed base.
      const rateTax = divideHalfUp(rateBase * BigInt(rate) * 100n, pow10(PERCENT_SCALE + 2));
      base += rateBase;
      tax += rateTax;
      return {
        vatRate: rate,
        exemption: rate === '0' ? HEALTH_CARE : null,
        base: fromCents(rateBase),
        tax: fromCents(rateTax),
      } satisfies BreakdownRow;
    });
  return {
    amounts,
    breakdown,
    base: fromCents(base),
    tax: fromCents(tax),
    total: fromCents(base + tax),
    totalCents: base + tax,
    incomplete: amounts.filter((amount) => amount === null).length,
  };
}

const TAGS: Record<Locale, string> = { es: 'es-ES', en: 'en-GB' };

/**
 * An API amount for people, e.g. "1234,50 €" / "€1,234.50". Intl formats the decimal string
 * itself (never a float), so what is shown is exactly what the server sent.
 */
export function formatMoney(amount: string, locale: Locale): string {
  const formatter = new Intl.NumberFormat(TAGS[locale], { style: 'currency', currency: 'EUR' });
  return formatter.format(amount as Intl.StringNumericLiteral);
}

/** A quantity without needless zeros ("1.000" → "1", "1.500" → "1,5"). */
export function formatQuantity(quantity: string, locale: Locale): string {
  const formatter = new Intl.NumberFormat(TAGS[locale], { maximumFractionDigits: QUANTITY_SCALE });
  return formatter.format(quantity as Intl.StringNumericLiteral);
}

/** A percentage as typed on an invoice ("21.00" → "21 %", "12.50" → "12,5 %"). */
export function formatPercent(value: string, locale: Locale): string {
  const formatter = new Intl.NumberFormat(TAGS[locale], { maximumFractionDigits: PERCENT_SCALE });
  return `${formatter.format(value as Intl.StringNumericLiteral)} %`;
}

/** Whether an API amount is above zero (an outstanding balance). */
export function isPositive(amount: string | null | undefined): boolean {
  const cents = amount ? toCents(amount) : null;
  return cents !== null && cents > 0n;
}
