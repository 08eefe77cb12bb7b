import { useId } from 'react';
import { isLocale, LOCALES } from '../i18n/catalogs';
import { useI18n } from '../i18n/useI18n';
import { focusRing } from './styles';

/** A select labelled "Idioma" / "Language" that switches and remembers the language. */
export function LanguageSwitcher({ className = '' }: { className?: string }) {
  const { t, locale, setLocale } = useI18n();
  const id = useId();
  return (
    <div className={`flex items-center gap-2 ${className}`}>
      <label htmlFor={id} className="text-sm font-medium">
        {t('language.label')}
      </label>
      <select
        id={id}
        value={locale}
        onChange={(event) => {
          if (isLocale(event.target.value)) void setLocale(event.target.value);
        }}
        className={`rounded-md border border-slate-300 bg-white px-2 py-1 text-sm text-slate-900 ${focusRing}`}
      >
        {LOCALES.map((code) => (
          <option key={code} value={code} lang={code}>
            {t(code === 'es' ? 'language.es' : 'language.en')}
          </option>
        ))}
      </select>
    </div>
  );
}
