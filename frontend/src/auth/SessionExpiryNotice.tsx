import { useEffect, useState } from 'react';
import { secondaryButton } from '../components/styles';
import { formatTime } from '../i18n/format';
import { useI18n } from '../i18n/useI18n';
import type { SessionEnding } from './session';

/** How long before the session's end the notice appears. */
export const WARN_BEFORE_MS = 3 * 60_000;

/** Whether `ending` is near enough to warn about (re-evaluated when that moment comes). */
export function useEndingSoon(ending: SessionEnding | null): boolean {
  const [dueFor, setDueFor] = useState<SessionEnding | null>(null);
  useEffect(() => {
    if (!ending) return;
    const timer = setTimeout(() => setDueFor(ending), Math.max(0, ending.at - WARN_BEFORE_MS - Date.now()));
    return () => clearTimeout(timer);
  }, [ending]);
  return ending !== null && dueFor === ending;
}

interface SessionExpiryNoticeProps {
  ending: SessionEnding;
  /** Renew the session, or (at its maximum) sign in again. */
  onStay: () => void;
  staying: boolean;
}

/**
 * A few minutes before the session ends: a polite, non-modal notice (nothing is taken from the
 * page, focus stays where it is) with the time it ends and "Stay signed in".
 */
export function SessionExpiryNotice({ ending, onStay, staying }: SessionExpiryNoticeProps) {
  const { t, locale } = useI18n();
  const time = formatTime(new Date(ending.at), locale);
  return (
    <section
      aria-labelledby="session-ending-title"
      className="fixed inset-x-2 bottom-2 z-30 rounded-lg border border-amber-300 bg-amber-50 p-4 text-amber-950 shadow-lg sm:left-auto sm:right-4 sm:bottom-4 sm:max-w-sm"
    >
      <div role="status">
        <h2 id="session-ending-title" className="font-semibold">
          {t('session.endingTitle')}
        </h2>
        <p className="mt-1 text-sm">
          {t(ending.renewable ? 'session.endingIdle' : 'session.endingAtMaximum', { time })}
        </p>
      </div>
      <button type="button" className={`${secondaryButton} mt-3`} onClick={onStay} disabled={staying}>
        {t('session.stayConnected')}
      </button>
    </section>
  );
}
