import { Link } from '@tanstack/react-router';
import { linkClass } from '../components/styles';
import { useDocumentTitle } from '../components/useDocumentTitle';
import { useI18n } from '../i18n/useI18n';

/** Any path the app does not know. */
export function NotFoundPage() {
  const { t } = useI18n();
  useDocumentTitle(t('notFound.title'));
  return (
    <div className="mx-auto max-w-xl px-4 py-10">
      <h1 className="mb-3 text-2xl font-semibold">{t('notFound.title')}</h1>
      <p className="mb-4">{t('errors.notFound')}</p>
      <Link to="/" className={linkClass}>
        {t('notFound.backHome')}
      </Link>
    </div>
  );
}
