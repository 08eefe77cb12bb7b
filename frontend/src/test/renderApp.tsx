import { createMemoryHistory } from '@tanstack/react-router';
import { render } from '@testing-library/react';
import type { AxiosInstance } from 'axios';
import { afterEach } from 'vitest';
import { App } from '../app/App';
import { createQueryClient } from '../app/queryClient';
import { createAppRouter } from '../app/router';
import { http as appHttp } from '../api/http';
import { Session } from '../auth/session';
import type { FakeServer } from './fakeServer';

const live: Session[] = [];
afterEach(() => {
  for (const session of live.splice(0)) session.dispose();
});

/** A session and its HTTP client, both talking to `server`; disposed after the test. */
export function testSession(server: FakeServer): { session: Session; http: AxiosInstance } {
  const http = server.client();
  const session = new Session(http);
  live.push(session);
  return { session, http };
}

/** The whole app at `path`, talking to `server`, after the start-up session restore. */
export async function renderApp(server: FakeServer, path: string) {
  // The pages use the app's shared client: the fake answers it, and the session hooks into it.
  const session = new Session(server.install(appHttp));
  live.push(session);
  await session.restore();
  const queryClient = createQueryClient();
  const history = createMemoryHistory({ initialEntries: [path] });
  const router = createAppRouter({ session, queryClient }, history);
  const view = render(<App router={router} session={session} queryClient={queryClient} />);
  return { ...view, session, router, history };
}
