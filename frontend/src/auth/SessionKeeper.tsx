import { useState } from 'react';
import { ReloginDialog } from './ReloginDialog';
import { useSession } from './SessionContext';
import { SessionExpiryNotice, useEndingSoon } from './SessionExpiryNotice';

/**
 * Keeps what is on screen through the session's end: warns a few minutes before, and when the
 * session is over asks for the password in a dialog over the page instead of leaving it.
 */
export function SessionKeeper() {
  const { session, status, user, ending } = useSession();
  const soon = useEndingSoon(status === 'signedIn' ? ending : null);
  const [reloginEarly, setReloginEarly] = useState(false);
  const [staying, setStaying] = useState(false);
  const locked = status === 'locked';

  function stay() {
    if (!ending?.renewable) {
      // At the maximum no refresh can help: a new sign-in starts a new session, page kept.
      setReloginEarly(true);
      return;
    }
    setStaying(true);
    void session.stayActive().finally(() => setStaying(false));
  }

  return (
    <>
      {soon && ending && !locked && !reloginEarly && (
        <SessionExpiryNotice ending={ending} onStay={stay} staying={staying} />
      )}
      {user && (locked || reloginEarly) && (
        <ReloginDialog user={user} early={!locked} onClose={() => setReloginEarly(false)} />
      )}
    </>
  );
}
