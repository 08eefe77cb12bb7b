import { getRouteApi, useRouter } from '@tanstack/react-router';
import { type FormEvent, useEffect, useState } from 'react';
import { errorMessage, toApiError } from '../api/problem';
import { safeRedirect } from '../app/guards';
import { useSession } from '../auth/SessionContext';
import { Alert } from '../components/Alert';
import { Field } from '../components/Field';
import { LanguageSwitcher } from '../components/LanguageSwitcher';
import { primaryButton } from '../components/styles';
import { useDocumentTitle } from '../components/useDocumentTitle';
import type { TranslationKey } from '../i18n/catalogs';
import { adoptAccountLocale, type Translate } from '../i18n/i18n';
import { useI18n } from '../i18n/useI18n';
import { looksLikeEmail } from '../lib/email';

const route = getRouteApi('/login');

type LoginFailure =
  | { kind: 'throttled'; seconds: number; until: number }
  | { kind: 'message'; text: (t: Translate) => string };

function failureFor(error: unknown): LoginFailure {
  const apiError = toApiError(error);
  if (apiError.status === 429) {
    const seconds = apiError.retryAfter ?? 60;
    return { kind: 'throttled', seconds, until: Date.now() + seconds * 1000 };
  }
  if (apiError.unreachable) return { kind: 'message', text: (t) => t('login.serverUnreachable') };
  if (apiError.status === 401) return { kind: 'message', text: (t) => t('login.wrongCredentials') };
  return { kind: 'message', text: (t) => errorMessage(apiError, t) };
}

interface LoginFieldErrors {
  email?: TranslationKey;
  password?: TranslationKey;
}

/** What is missing or mistyped before asking the server, in the app's words (the form is noValidate). */
function checkLogin(email: string, password: string): LoginFieldErrors {
  const errors: LoginFieldErrors = {};
  if (!email.trim()) errors.email = 'login.errors.emailRequired';
  else if (!looksLikeEmail(email.trim())) errors.email = 'login.errors.emailInvalid';
  if (!password) errors.password = 'login.errors.passwordRequired';
  return errors;
}

/** Seconds left of a throttling wait, counting down once a second (0 when not throttled). */
function useCountdown(failure: LoginFailure | null): number {
  const throttle = failure?.kind === 'throttled' ? failure : null;
  const [tick, setTick] = useState<{ of: LoginFailure; seconds: number } | null>(null);
  useEffect(() => {
    if (!throttle) return;
    const timer = setInterval(() => {
      const seconds = Math.max(0, Math.ceil((throttle.until - Date.now()) / 1000));
      setTick({ of: throttle, seconds });
    }, 1000);
    return () => clearInterval(timer);
  }, [throttle]);
  if (!throttle) return 0;
  return tick?.of === throttle ? tick.seconds : throttle.seconds;
}

/** `/login`: email and password; errors in an alert; then on to where the user was heading. */
export function LoginPage() {
  const { t } = useI18n();
  const { session, endReason } = useSession();
  const router = useRouter();
  const { redirect } = route.useSearch();
  const [email, setEmail] = useState('');
  const [password, setPassword] = useState('');
  const [submitting, setSubmitting] = useState(false);
  const [failure, setFailure] = useState<LoginFailure | null>(null);
  const [fieldErrors, setFieldErrors] = useState<LoginFieldErrors>({});
  const waitSeconds = useCountdown(failure);
  useDocumentTitle(t('login.title'));

  const throttled = failure?.kind === 'throttled' && waitSeconds > 0;
  const message =
    failure?.kind === 'message'
      ? failure.text(t)
      : throttled
        ? t('login.tooManyAttempts', { seconds: waitSeconds })
        : null;

  async function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    if (submitting || throttled) return;
    const found = checkLogin(email, password);
    setFieldErrors(found);
    if (found.email || found.password) {
      setFailure(null);
      document.getElementById(found.email ? 'login-email' : 'login-password')?.focus();
      return;
    }
    setSubmitting(true);
    setFailure(null);
    try {
      const user = await session.login(email.trim(), password);
      await adoptAccountLocale(user.locale);
      await router.navigate({ href: safeRedirect(redirect), replace: true });
    } catch (error) {
      setFailure(failureFor(error));
      setSubmitting(false);
    }
  }

  return (
    <div className="flex min-h-screen flex-col bg-slate-100">
      <header className="flex items-center justify-between gap-2 px-4 py-3">
        <p className="text-lg font-semibold text-teal-900">{t('app.title')}</p>
        <LanguageSwitcher />
      </header>
      <main id="main" className="flex flex-1 items-start justify-center px-4 pt-8 sm:pt-16">
        <div className="w-full max-w-sm rounded-lg bg-white p-6 shadow-md">
          <h1 className="mb-4 text-2xl font-semibold text-slate-900">{t('login.title')}</h1>
          {endReason === 'expired' && !message && (
            <Alert tone="info" className="mb-4">
              {t('session.expired')}
            </Alert>
          )}
          {message && <Alert className="mb-4">{message}</Alert>}
          {(fieldErrors.email || fieldErrors.password) && <Alert className="mb-4">{t('errors.validation')}</Alert>}
          <form onSubmit={(event) => void submit(event)} noValidate className="flex flex-col gap-4">
            <Field
              id="login-email"
              label={t('login.email')}
              type="email"
              name="email"
              autoComplete="username"
              required
              value={email}
              error={fieldErrors.email && t(fieldErrors.email)}
              onChange={(event) => setEmail(event.target.value)}
            />
            <Field
              id="login-password"
              label={t('login.password')}
              type="password"
              name="password"
              autoComplete="current-password"
              required
              value={password}
              error={fieldErrors.password && t(fieldErrors.password)}
              onChange={(event) => setPassword(event.target.value)}
            />
            <button type="submit" className={primaryButton} disabled={submitting || throttled}>
              {submitting ? t('login.submitting') : t('login.submit')}
            </button>
          </form>
        </div>
      </main>
    </div>
  );
}
