import { describe, expect, it, vi } from 'vitest';
import { formatAmount, formatDate, formatNumber } from './format';
import { adoptAccountLocale, getLocale, hasChosenLocale, initI18n, setLocale, t } from './i18n';

function cookieLocale(): string | undefined {
  return document.cookie.match(/(?:^|; )locale=([^;]*)/)?.[1];
}

describe('translations', () => {
  it('falls back to the bundled Spanish strings without a gateway', async () => {
    await initI18n();
    expect(getLocale()).toBe('es');
    expect(t('login.submit')).toBe('Entrar');
    expect(document.documentElement.lang).toBe('es');
    expect(hasChosenLocale()).toBe(false);
  });

  it('uses the strings the gateway injected for its locale', async () => {
    window.APP_LOCALE = 'en';
    window.APP_TRANSLATIONS = { 'login.submit': 'Sign in (from the gateway)' };
    await initI18n();
    expect(getLocale()).toBe('en');
    expect(t('login.submit')).toBe('Sign in (from the gateway)');
    expect(document.documentElement.lang).toBe('en');
  });

  it('prefers the language this browser chose over the injected one', async () => {
    window.localStorage.setItem('locale', 'en');
    window.APP_LOCALE = 'es';
    window.APP_TRANSLATIONS = { 'login.submit': 'Entrar (gateway)' };
    await initI18n();
    expect(getLocale()).toBe('en');
    expect(t('login.submit')).toBe('Sign in');
    expect(cookieLocale()).toBe('en');
  });

  it('ignores a stored value that is not a language of the app', async () => {
    window.localStorage.setItem('locale', 'fr');
    await initI18n();
    expect(getLocale()).toBe('es');
  });

  it('switching remembers the choice in localStorage, the cookie and <html lang>', async () => {
    await setLocale('en');
    expect(t('language.label')).toBe('Language');
    expect(window.localStorage.getItem('locale')).toBe('en');
    expect(cookieLocale()).toBe('en');
    expect(document.documentElement.lang).toBe('en');
    await setLocale('es');
    expect(t('language.label')).toBe('Idioma');
    expect(cookieLocale()).toBe('es');
  });

  it("adopts the account's language without storing it as this browser's choice", async () => {
    await adoptAccountLocale('en');
    expect(getLocale()).toBe('en');
    expect(cookieLocale()).toBe('en');
    expect(hasChosenLocale()).toBe(false);
    await adoptAccountLocale('es');
    expect(getLocale()).toBe('es');
  });

  it('keeps the language this browser chose over the account one', async () => {
    await setLocale('es');
    await adoptAccountLocale('en');
    expect(getLocale()).toBe('es');
    expect(t('language.label')).toBe('Idioma');
  });

  it('fills placeholders and shows the key of a missing string', () => {
    expect(t('nav.signedInAs', { name: 'Ana García' })).toBe('Sesión iniciada como Ana García');
    vi.spyOn(console, 'warn').mockImplementation(() => {});
    // @ts-expect-error: a key that does not exist, as a stale string table would have
    expect(t('no.such.key')).toBe('no.such.key');
  });
});

// Intl separates with (narrow) no-break spaces; compare with plain ones.
const plain = (text: string) => text.replace(/[\u00a0\u202f]/g, ' ');

describe('Intl formatting', () => {
  it('writes numbers, amounts and dates the way each language does', () => {
    expect(formatNumber(12345, 'es')).toBe('12.345');
    expect(formatNumber(12345, 'en')).toBe('12,345');
    expect(plain(formatAmount(1234.5, 'es'))).toBe('1234,50 €');
    expect(plain(formatAmount(1234.5, 'en'))).toBe('€1,234.50');
    expect(plain(formatAmount(61234.5, 'es'))).toBe('61.234,50 €');
    expect(formatDate('2026-11-27T12:00:00Z', 'es')).toBe('27 nov 2026');
    expect(formatDate('2026-11-27T12:00:00Z', 'en')).toBe('27 Nov 2026');
  });
});

describe('plural forms', () => {
  it('picks the form for the count, in each language (i18next-style _one/_other keys)', async () => {
    await setLocale('es');
    expect(t('invoices.incompleteLines', { count: 1 })).toBe('Hay 1 línea sin completar que no suma en el total.');
    expect(t('invoices.incompleteLines', { count: 3 })).toBe('Hay 3 líneas sin completar que no suman en el total.');
    expect(t('invoices.incompleteLines', { count: 0 })).toBe('Hay 0 líneas sin completar que no suman en el total.');
    expect(t('invoices.chain.intact', { count: 1, records: '1' })).toBe('Cadena Verifactu íntegra (1 registro)');
    expect(t('invoices.chain.intact', { count: 1200, records: '1.200' })).toBe('Cadena Verifactu íntegra (1.200 registros)');
    expect(t('patients.attendance.noShows', { count: 1 })).toBe('1 vez no acudió');
    expect(t('patients.attendance.noShows', { count: 2 })).toBe('2 veces no acudió');
    expect(t('patients.attendance.late', { count: 1 })).toBe('1 cancelación tardía');
    expect(t('patients.balance.summary', { count: 1, amount: '0 €' })).toBe('1 factura emitida · pendiente de pago: 0 €');
    expect(t('patients.balance.summary', { count: 0, amount: '0 €' })).toBe('0 facturas emitidas · pendiente de pago: 0 €');
    await setLocale('en');
    expect(t('invoices.incompleteLines', { count: 1 })).toBe('1 incomplete line is not in the total.');
    expect(t('invoices.incompleteLines', { count: 2 })).toBe('2 incomplete lines are not in the total.');
    expect(t('patients.attendance.noShows', { count: 1 })).toBe('1 no-show');
    expect(t('patients.attendance.late', { count: 0 })).toBe('0 late cancellations');
    expect(t('patients.balance.summary', { count: 1, amount: '€0.00' })).toBe('1 invoice issued · still to pay: €0.00');
    // A message without plural forms is left alone.
    expect(t('login.submit', { count: 2 })).toBe('Sign in');
  });
});

