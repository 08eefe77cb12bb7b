import type { ReactNode } from 'react';
import { useI18n } from '../i18n/useI18n';
import { secondaryButton } from './styles';

/** What the page's own link to another page gets from the pager. */
export interface PageLinkProps {
  className: string;
  children: ReactNode;
}

interface PagerProps {
  /** The page shown, from 1. */
  page: number;
  /** Whether the API said there is a next page (collections send no total). */
  hasNext: boolean;
  /**
   * A router link to page `target` with `props` spread on it. Each list has its own URL (route
   * and search), so the caller draws the link; the pager decides which pages and how they look.
   */
  renderLink: (target: number, props: PageLinkProps) => ReactNode;
}

/** "Anterior · Página n · Siguiente" under a list; nothing when everything fits on one page. */
export function Pager({ page, hasNext, renderLink }: PagerProps) {
  const { t } = useI18n();
  if (page <= 1 && !hasNext) return null;

  // A step that leads nowhere stays visible (the layout does not jump) but is not a link.
  const step = (target: number, enabled: boolean, label: string) =>
    enabled ? (
      renderLink(target, { className: secondaryButton, children: label })
    ) : (
      <span aria-disabled="true" className={`${secondaryButton} opacity-50`}>
        {label}
      </span>
    );

  return (
    <nav aria-label={t('common.pagination')} className="mt-4 flex items-center gap-3">
      {step(page - 1, page > 1, t('common.previous'))}
      <span className="text-sm text-slate-700">{t('common.page', { page })}</span>
      {step(page + 1, hasNext, t('common.next'))}
    </nav>
  );
}
