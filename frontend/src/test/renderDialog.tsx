import { QueryClientProvider } from '@tanstack/react-query';
import {
  createMemoryHistory,
  createRootRoute,
  createRouter,
  RouterProvider,
} from '@tanstack/react-router';
import { render, screen } from '@testing-library/react';
import type { ReactNode } from 'react';
import { http as appHttp } from '../api/http';
import { createQueryClient } from '../app/queryClient';
import type { FakeServer } from './fakeServer';

/**
 * One component on its own (a dialog), talking to `server` through the app's shared client, with
 * the server-state cache and a bare router around it (its links need one), once it is on screen.
 */
export async function renderDialog(server: FakeServer, ui: ReactNode) {
  server.install(appHttp);
  const queryClient = createQueryClient();
  const router = createRouter({
    routeTree: createRootRoute({ component: () => ui }),
    history: createMemoryHistory({ initialEntries: ['/'] }),
  });
  const view = render(
    <QueryClientProvider client={queryClient}>
      <RouterProvider router={router} />
    </QueryClientProvider>,
  );
  await screen.findByRole('dialog');
  return { ...view, queryClient, router };
}
