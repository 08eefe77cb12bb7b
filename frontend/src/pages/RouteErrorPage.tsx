import { type ErrorComponentProps, Link } from '@tanstack/react-router';
import { errorMessage } from '../api/problem';
import { ForbiddenError } from '../app/guards';
import { Alert } from '../components/Alert';
import { linkClass, secondaryButton } from '../components/styles';
import { useDocumentTitle } from '../components/useDocumentTitle';
import { useI18n } from '../i18n/useI18n';

/** What a page shows instead of crashing: forbidden for the role, or a readable error. */
export function RouteErrorPage({ error, reset }: ErrorComponentProps) {
  const { t } = useI18n();
  const forbidden = error instanceof ForbiddenError;
  useDocumentTitle(forbidden ? t('errors.forbiddenTitle') : t('errors.title'));
  if (forbidden) {
    return (
      <section className="max-w-xl">
        <h1 className="mb-3 text-2xl font-semibold">{t('errors.forbiddenTitle')}</h1>
        <Alert className="mb-4">{t('errors.forbidden')}</Alert>
        <Link to="/" className={linkClass}>
          {t('notFound.backHome')}
        </Link>
      </section>
    );
  }
  return (
    <section className="max-w-xl">
      <h1 className="mb-3 text-2xl font-semibold">{t('errors.title')}</h1>
      <Alert className="mb-4">{errorMessage(error, t)}</Alert>
      <button type="button" className={secondaryButton} onClick={reset}>
        {t('common.retry')}
      </button>
    </section>
  );
}
