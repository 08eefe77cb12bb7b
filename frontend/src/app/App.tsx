import { QueryClientProvider, type QueryClient } from '@tanstack/react-query';
import { RouterProvider } from '@tanstack/react-router';
import { useEffect } from 'react';
import type { Session } from '../auth/session';
import { SessionProvider } from '../auth/SessionContext';
import type { AppRouter } from './router';

interface AppProps {
  router: AppRouter;
  session: Session;
  queryClient: QueryClient;
}

/** The whole app: session, server-state cache and routes. */
export function App({ router, session, queryClient }: AppProps) {
  useEffect(() => {
    let status = session.getSnapshot().status;
    return session.subscribe(() => {
      const next = session.getSnapshot().status;
      if (next === status) return;
      status = next;
      if (next === 'signedOut') {
        // The next person must not see the last one's data; the guards send them to /login.
        queryClient.clear();
        void router.invalidate();
      }
    });
  }, [router, session, queryClient]);

  return (
    <SessionProvider session={session}>
      <QueryClientProvider client={queryClient}>
        <RouterProvider router={router} />
      </QueryClientProvider>
    </SessionProvider>
  );
}
