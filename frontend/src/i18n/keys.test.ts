import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { LOCALES, loadBundledCatalog } from './catalogs';

const SRC = join(import.meta.dirname, '..');
// A translation key: dotted lowercase-first words, as in "users.errors.emailTaken".
const KEY_LITERAL = /['"`]((?:[a-z][A-Za-z]*)(?:\.[A-Za-z_]+)+)['"`]/g;
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
    const missing = [...used].filter((key) => !(key in catalog));
    expect(missing).toEqual([]);
  });

  it('keep Idioma / Language as the switcher label', async () => {
    expect((await loadBundledCatalog('es'))['language.label']).toBe('Idioma');
    expect((await loadBundledCatalog('en'))['language.label']).toBe('Language');
  });
});
