import {
  type Catalog,
  DEFAULT_LOCALE,
  isLocale,
  loadBundledCatalog,
  type Locale,
  type TranslationKey,
} from './catalogs';

export type TranslateParams = Readonly<Record<string, string | number>>;
export type Translate = (key: TranslationKey, params?: TranslateParams) => string;

declare global {
  interface Window {
    APP_LOCALE?: string;
    APP_TRANSLATIONS?: Record<string, string>;
  }
}

export const LOCALE_STORAGE_KEY = 'locale';
export const LOCALE_COOKIE = 'locale';
const COOKIE_MAX_AGE_SECONDS = 365 * 24 * 3600;

let currentLocale: Locale = DEFAULT_LOCALE;
let currentCatalog: Catalog = {};
const listeners = new Set<() => void>();

function interpolate(text: string, params: TranslateParams | undefined): string {
  if (!params) return text;
  return text.replace(/\{(\w+)\}/g, (whole, name: string) =>
    name in params ? String(params[name]) : whole,
  );
}

const PLURAL_TAGS: Record<Locale, string> = { es: 'es-ES', en: 'en-GB' };

/**
 * The form of `key` for the count in its params when the catalog writes it in plural forms, i18next's way
 * (`key_one`, `key_other`, and `key_many`… where the language has them): "1 registro", "2 registros".
 * A form the catalog lacks falls back to `_other`.
 */
function pluralKey(key: string, params: TranslateParams | undefined): string {
  const count = params?.count;
  if (typeof count !== 'number' || !(`${key}_other` in currentCatalog)) return key;
  const form = `${key}_${new Intl.PluralRules(PLURAL_TAGS[currentLocale]).select(count)}`;
  return form in currentCatalog ? form : `${key}_other`;
}

/** The string for `key` in the current language, with `{name}` placeholders filled in. */
export const t: Translate = (asked, params) => {
  const key = pluralKey(asked, params);
  const text = currentCatalog[key];
  if (text === undefined) {
    if (import.meta.env.DEV) console.warn(`missing translation: ${key} (${currentLocale})`);
    return key;
  }
  return interpolate(text, params);
};

/** The language the app speaks now. */
export function getLocale(): Locale {
  return currentLocale;
}

/** Be told when the language changes. */
export function subscribeLocale(listener: () => void): () => void {
  listeners.add(listener);
  return () => listeners.delete(listener);
}

function storedLocale(): Locale | null {
  try {
    const value = window.localStorage.getItem(LOCALE_STORAGE_KEY);
    return isLocale(value) ? value : null;
  } catch {
    return null; // storage disabled (private mode, policy): the injected locale still works
  }
}

/** Whether this browser has an explicit language choice of its own. */
export function hasChosenLocale(): boolean {
  return storedLocale() !== null;
}

function writeCookie(locale: Locale): void {
  const secure = window.location.protocol === 'https:' ? '; Secure' : '';
  document.cookie = `${LOCALE_COOKIE}=${locale}; Path=/; Max-Age=${COOKIE_MAX_AGE_SECONDS}; SameSite=Lax${secure}`;
}

function persist(locale: Locale): void {
  try {
    window.localStorage.setItem(LOCALE_STORAGE_KEY, locale);
  } catch {
    // The cookie below still carries the choice to the gateway.
  }
  writeCookie(locale);
}

function apply(locale: Locale, catalog: Catalog): void {
  currentLocale = locale;
  currentCatalog = catalog;
  document.documentElement.lang = locale;
  for (const listener of listeners) listener();
}

function injectedCatalog(locale: Locale): Catalog | null {
  const strings = window.APP_TRANSLATIONS;
  if (window.APP_LOCALE !== locale || !strings || typeof strings !== 'object') return null;
  return strings;
}

/** Pick the language (stored choice, else the gateway's, else Spanish) and load its strings. */
export async function initI18n(): Promise<void> {
  const chosen = storedLocale();
  const locale = chosen ?? (isLocale(window.APP_LOCALE) ? window.APP_LOCALE : DEFAULT_LOCALE);
  const catalog = injectedCatalog(locale) ?? (await loadBundledCatalog(locale));
  // Re-sending the cookie keeps the gateway in step when only localStorage remembered the choice.
  if (chosen) persist(chosen);
  apply(locale, catalog);
}

/** Switch language now and remember it (localStorage + the `locale` cookie the gateway reads). */
export async function setLocale(locale: Locale): Promise<void> {
  const catalog = injectedCatalog(locale) ?? (await loadBundledCatalog(locale));
  persist(locale);
  apply(locale, catalog);
}

/**
 * Speak the signed-in account's language, unless this browser has chosen one itself. Not stored
 * as a choice (the next person to sign in here gets theirs); the cookie keeps it over reloads.
 */
export async function adoptAccountLocale(locale: string): Promise<void> {
  if (hasChosenLocale() || !isLocale(locale) || locale === currentLocale) return;
  const catalog = injectedCatalog(locale) ?? (await loadBundledCatalog(locale));
  writeCookie(locale);
  apply(locale, catalog);
}
