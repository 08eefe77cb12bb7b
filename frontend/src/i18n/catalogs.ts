import type spanishStrings from '../../../translations/es.json';

type CatalogKey = keyof typeof spanishStrings;
/** The base of each key written in plural forms (base_one, base_other: i18next's convention). */
type PluralKey = CatalogKey extends infer K ? (K extends `${infer Base}_other` ? Base : never) : never;

/**
 * Every key the app may ask `t()` for: tsc rejects a key missing from the Spanish file. A plural
 * message is asked for by its base with a count, and `t()` picks the form.
 */
export type TranslationKey = CatalogKey | PluralKey;

export type Catalog = Readonly<Record<string, string>>;

export const LOCALES = ['es', 'en'] as const;
export type Locale = (typeof LOCALES)[number];
export const DEFAULT_LOCALE: Locale = 'es';

/** Whether `value` names a locale the app speaks. */
export function isLocale(value: unknown): value is Locale {
  return typeof value === 'string' && (LOCALES as readonly string[]).includes(value);
}

// The repository's translations/ folder, shared with the gateway, is the one source of every
// string. Each locale is its own chunk, fetched only in development, in tests, or when the user
// switches language; otherwise the gateway has already inlined the page's locale into index.html
// (seed ADR-005).
const loaders: Record<Locale, () => Promise<{ default: Record<string, string> }>> = {
  es: () => import('../../../translations/es.json'),
  en: () => import('../../../translations/en.json'),
};

/** The copy of a locale's strings bundled with the app, for when the page has none injected. */
export async function loadBundledCatalog(locale: Locale): Promise<Catalog> {
  return (await loaders[locale]()).default;
}
