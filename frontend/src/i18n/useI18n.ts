import { useSyncExternalStore } from 'react';
import { getLocale, setLocale, subscribeLocale, t } from './i18n';

/** `t()` and the current locale; the component re-renders when the language changes. */
export function useI18n() {
  const locale = useSyncExternalStore(subscribeLocale, getLocale);
  return { t, locale, setLocale };
}
