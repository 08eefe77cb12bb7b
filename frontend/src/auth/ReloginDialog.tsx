import { type FormEvent, useState } from 'react';
import { errorMessage, toApiError } from '../api/problem';
import { Alert } from '../components/Alert';
import { Field } from '../components/Field';
import { Modal } from '../components/Modal';
import { primaryButton, secondaryButton } from '../components/styles';
import type { Translate } from '../i18n/i18n';
import { useI18n } from '../i18n/useI18n';
import { useSession } from './SessionContext';
import type { SessionUser } from './types';

interface ReloginDialogProps {
  user: SessionUser;
  /** Opened by the user before the session's maximum (it can be put off), not after its end. */
  early: boolean;
  onClose: () => void;
}

function failureText(error: unknown, t: Translate): string {
  const apiError = toApiError(error);
  if (apiError.status === 429) return t('login.tooManyAttempts', { seconds: apiError.retryAfter ?? 60 });
  if (apiError.unreachable) return t('login.serverUnreachable');
  if (apiError.status === 401) return t('session.wrongPassword');
  return errorMessage(apiError, t);
}

/**
 * Sign in again over the page: the form behind and what was typed in it stay as they were, and
 * the requests refused while the session was over go out again once the password is accepted.
 */
export function ReloginDialog({ user, early, onClose }: ReloginDialogProps) {
  const { t } = useI18n();
  const { session } = useSession();
  const [password, setPassword] = useState('');
  const [submitting, setSubmitting] = useState(false);
  const [failure, setFailure] = useState<string | null>(null);
  const [missing, setMissing] = useState(false);

  async function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    if (submitting) return;
    // noValidate: an empty password is said in the app's language, beside the field.
    if (!password) {
      setMissing(true);
      document.getElementById('relogin-password')?.focus();
      return;
    }
    setSubmitting(true);
    setFailure(null);
    try {
      await session.login(user.email, password);
      onClose();
    } catch (error) {
      setFailure(failureText(error, t));
      setSubmitting(false);
    }
  }

  return (
    <Modal
      title={t(early ? 'session.reloginTitle' : 'session.lockedTitle')}
      onClose={early ? onClose : undefined}
      closeLabel={t('session.notNow')}
    >
      <p className="mb-2 text-slate-800">{t(early ? 'session.reloginIntro' : 'session.lockedIntro')}</p>
      <p className="mb-4 text-sm text-slate-700">
        {t('session.lockedAs', { name: user.fullName, email: user.email })}
      </p>
      {failure && <Alert className="mb-4">{failure}</Alert>}
      <form onSubmit={(event) => void submit(event)} noValidate className="flex flex-col gap-4">
        {/* For password managers: whose password this is. */}
        <input type="hidden" name="username" autoComplete="username" value={user.email} />
        <Field
          id="relogin-password"
          label={t('login.password')}
          type="password"
          name="password"
          autoComplete="current-password"
          required
          data-autofocus
          value={password}
          error={missing ? t('login.errors.passwordRequired') : undefined}
          onChange={(event) => {
            setPassword(event.target.value);
            setMissing(false);
          }}
        />
        <div className="flex flex-wrap justify-end gap-2">
          {early ? (
            <button type="button" className={secondaryButton} onClick={onClose}>
              {t('session.notNow')}
            </button>
          ) : (
            <button type="button" className={secondaryButton} onClick={() => void session.logout()}>
              {t('session.signOutInstead')}
            </button>
          )}
          <button type="submit" className={primaryButton} disabled={submitting}>
            {submitting ? t('login.submitting') : t('session.continue')}
          </button>
        </div>
      </form>
    </Modal>
  );
}
