import { useEffect, useRef } from 'react';
import { useSession } from '../../auth/SessionContext';

// When the session ends while a form is open, the user signs in again in a dialog over the page
// and the form stays mounted. Should the tab be reloaded meanwhile (or the session end as
// expired), the app goes to /login and back to the same address; the page is mounted afresh.
// For that case what was typed is written to this tab's sessionStorage at the moment the
// session locks or ends as expired (never otherwise: a deliberate logout or leaving the page
// keeps nothing), read back once, by the same user only, and forgotten once the dialog's
// sign-in brings the mounted form back to life.

const PREFIX = 'clinic.keptForm.';
/** A form kept longer than this is stale: start afresh. */
const MAX_AGE_MS = 12 * 60 * 60 * 1000;

interface Kept<T> {
  userId: string;
  keptAt: number;
  values: T;
}

function storage(): Storage | null {
  try {
    return window.sessionStorage;
  } catch {
    return null; // storage disabled: nothing is kept, nothing breaks
  }
}

/** The values form `name` had when the session expired, if `userId` is who typed them. */
export function keptForm<T>(name: string, userId: string | undefined): T | null {
  const raw = storage()?.getItem(PREFIX + name);
  if (!raw || !userId) return null;
  try {
    const kept = JSON.parse(raw) as Kept<T>;
    const fresh = Date.now() - kept.keptAt < MAX_AGE_MS;
    return kept.userId === userId && fresh ? kept.values : null;
  } catch {
    return null;
  }
}

/** Forget what form `name` kept. */
export function forgetKeptForm(name: string): void {
  storage()?.removeItem(PREFIX + name);
}

/**
 * Keep `values` of form `name` if the session expires while it is on screen, and forget what an
 * earlier expiry kept once the form has shown it again.
 */
export function useKeepOnExpiry<T>(name: string, values: T): void {
  const { session, user } = useSession();
  const latest = useRef({ values, userId: user?.id });
  useEffect(() => {
    latest.current = { values, userId: user?.id ?? latest.current.userId };
  }, [values, user]);

  useEffect(() => forgetKeptForm(name), [name]);

  useEffect(
    () =>
      session.subscribe(() => {
        const { status, endReason } = session.getSnapshot();
        const { userId } = latest.current;
        if (status === 'signedIn') {
          forgetKeptForm(name); // signed in again over the form: it holds the values itself
          return;
        }
        const ended = status === 'locked' || (status === 'signedOut' && endReason === 'expired');
        if (!ended || !userId) return;
        const kept: Kept<T> = { userId, keptAt: Date.now(), values: latest.current.values };
        try {
          storage()?.setItem(PREFIX + name, JSON.stringify(kept));
        } catch {
          // full or disabled storage: the form is lost as before
        }
      }),
    [session, name],
  );
}
