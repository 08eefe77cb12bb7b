import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { LOCALES, loadBundledCatalog } from './catalogs';

const SRC = join(import.meta.dirname, '..');
// A translation key: dotted lowercase-first words, as in "users.errors.emailTaken".
const KEY_LITERAL = /['"`]((?:[a-z][A-Za-z]*)(?:\.[A-Za-z_][A-Za-z0-9_]*)+)['"`]/g;
const NOT_KEYS = new Set(['react-dom/client', 'index.css']);

function sourceFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return name === 'test' ? [] : sourceFiles(path);
    // Generated declarations (api/schema.d.ts) hold the API's names and prose, never a t() call.
    return /\.tsx?$/.test(name) && !/\.(test|d)\.tsx?$/.test(name) ? [path] : [];
  });
}

function keysUsedInSource(): Set<string> {
  const used = new Set<string>();
  for (const file of sourceFiles(SRC)) {
    for (const match of readFileSync(file, 'utf8').matchAll(KEY_LITERAL)) {
      const candidate = match[1]!;
      if (!NOT_KEYS.has(candidate) && !candidate.endsWith('.json')) used.add(candidate);
    }
  }
  return used;
}

// The fixed start of a key built at run time: `calendar.statusChanged.${status}` → "calendar.statusChanged.".
const KEY_PREFIX = /`((?:[a-z][A-Za-z]*)(?:\.[A-Za-z_]+)*\.?)\$\{/g;

function keyPrefixesInSource(): string[] {
  return sourceFiles(SRC).flatMap((file) =>
    [...readFileSync(file, 'utf8').matchAll(KEY_PREFIX)].map((match) => match[1]!).filter((prefix) => prefix.includes('.')),
  );
}

function placeholders(text: string): string[] {
  return [...text.matchAll(/\{(\w+)\}/g)].map((m) => m[1]!).toSorted();
}

describe('translation files', () => {
  it('have the same keys in every language, none empty, with the same placeholders', async () => {
    const [es, en] = await Promise.all(LOCALES.map(loadBundledCatalog));
    expect(Object.keys(en!).toSorted()).toEqual(Object.keys(es!).toSorted());
    const problems = Object.entries(es!).flatMap(([key, spanish]) => {
      const english = en![key] ?? '';
      if (!spanish.trim() || !english.trim()) return [`${key}: empty`];
      const same = placeholders(english).join() === placeholders(spanish).join();
      return same ? [] : [`${key}: placeholders differ`];
    });
    expect(problems).toEqual([]);
  });

  it.each(LOCALES)('contain every key the code uses (%s)', async (locale) => {
    const catalog = await loadBundledCatalog(locale);
    const used = keysUsedInSource();
    expect(used.size).toBeGreaterThan(50);
    // A plural message is used by its base and written as its forms (`key_one`, `key_other`).
    const missing = [...used].filter((key) => !(key in catalog) && !(`${key}_other` in catalog));
    expect(missing).toEqual([]);
  });

  it('hold no key the code no longer uses (literally, as a plural base or under a built prefix)', async () => {
    const catalog = await loadBundledCatalog('es');
    const used = keysUsedInSource();
    const prefixes = keyPrefixesInSource();
    const unused = Object.keys(catalog).filter((key) => {
      const base = key.replace(/_(zero|one|two|few|many|other)$/, '');
      return !used.has(key) && !used.has(base) && !prefixes.some((prefix) => key.startsWith(prefix));
    });
    expect(unused).toEqual([]);
  });

  it('write each plural message with the forms each language needs', async () => {
    const catalogs = await Promise.all(LOCALES.map(loadBundledCatalog));
    for (const [index, locale] of LOCALES.entries()) {
      const catalog = catalogs[index]!;
      const rules = new Intl.PluralRules(locale);
      for (const key of Object.keys(catalog).filter((k) => k.endsWith('_other'))) {
        const base = key.slice(0, -'_other'.length);
        // Every category the language uses for small counts (one, other) has its own form.
        for (const count of [0, 1, 2, 5]) expect(`${base}_${rules.select(count)}` in catalog).toBe(true);
        expect(base in catalog).toBe(false);
      }
    }
  });

  it('keep Idioma / Language as the switcher label', async () => {
    expect((await loadBundledCatalog('es'))['language.label']).toBe('Idioma');
    expect((await loadBundledCatalog('en'))['language.label']).toBe('Language');
  });
});
