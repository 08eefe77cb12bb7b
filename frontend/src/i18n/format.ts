import type { Locale } from './catalogs';

const TAGS: Record<Locale, string> = { es: 'es-ES', en: 'en-GB' };

/** A count or quantity, grouped the way the locale writes numbers. */
export function formatNumber(value: number, locale: Locale): string {
  return new Intl.NumberFormat(TAGS[locale]).format(value);
}

/** A money amount (euros unless told), e.g. "1.234,50 €" / "€1,234.50". */
export function formatAmount(value: number, locale: Locale, currency = 'EUR'): string {
  return new Intl.NumberFormat(TAGS[locale], { style: 'currency', currency }).format(value);
}

/** A calendar date, e.g. "27 nov 2026" / "27 Nov 2026". */
export function formatDate(value: string | Date, locale: Locale): string {
  return new Intl.DateTimeFormat(TAGS[locale], { dateStyle: 'medium' }).format(new Date(value));
}

/** A date with its time of day, in the browser's time zone. */
export function formatDateTime(value: string | Date, locale: Locale): string {
  return new Intl.DateTimeFormat(TAGS[locale], { dateStyle: 'medium', timeStyle: 'short' }).format(
    new Date(value),
  );
}

/** A date without a time of day ("1980-05-03", a birth date): the same day in every time zone. */
export function formatCalendarDate(isoDate: string, locale: Locale): string {
  return new Intl.DateTimeFormat(TAGS[locale], { dateStyle: 'medium', timeZone: 'UTC' }).format(
    new Date(`${isoDate.slice(0, 10)}T00:00:00Z`),
  );
}

/** A country's name from its ISO 3166 code ("ES" → "España" / "Spain"); the code if unknown. */
export function formatCountry(code: string, locale: Locale): string {
  return new Intl.DisplayNames([TAGS[locale]], { type: 'region', fallback: 'code' }).of(code) ?? code;
}

/** A time of day in the browser's time zone, e.g. "09:30". */
export function formatTime(value: string | Date, locale: Locale): string {
  return new Intl.DateTimeFormat(TAGS[locale], { timeStyle: 'short' }).format(new Date(value));
}

/** From one time to another in the browser's time zone, e.g. "09:30–10:15". */
export function formatTimeRange(start: string | Date, end: string | Date, locale: Locale): string {
  return new Intl.DateTimeFormat(TAGS[locale], { timeStyle: 'short' }).formatRange(
    new Date(start),
    new Date(end),
  );
}
