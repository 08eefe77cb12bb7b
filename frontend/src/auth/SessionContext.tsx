import { createContext, type ReactNode, useContext, useSyncExternalStore } from 'react';
import type { Session, SessionSnapshot } from './session';

const SessionContext = createContext<Session | null>(null);

/** Make `session` available to the components below. */
export function SessionProvider({ session, children }: { session: Session; children: ReactNode }) {
  return <SessionContext.Provider value={session}>{children}</SessionContext.Provider>;
}

/** The session and its state; the component re-renders when someone signs in or out. */
export function useSession(): { session: Session } & SessionSnapshot {
  const session = useContext(SessionContext);
  if (!session) throw new Error('useSession needs a <SessionProvider>');
  const snapshot = useSyncExternalStore(session.subscribe, session.getSnapshot);
  return { session, ...snapshot };
}
