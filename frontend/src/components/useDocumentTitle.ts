import { useEffect } from 'react';
import { useI18n } from '../i18n/useI18n';

/** Name the browser tab after the page ("Usuarios · Clínica de fisioterapia"). */
export function useDocumentTitle(pageTitle?: string): void {
  const { t } = useI18n();
  const appTitle = t('app.title');
  useEffect(() => {
    document.title = pageTitle ? `${pageTitle} · ${appTitle}` : appTitle;
  }, [pageTitle, appTitle]);
}
