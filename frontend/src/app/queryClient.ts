import { QueryClient } from '@tanstack/react-query';
import { toApiError } from '../api/problem';

/** The server-state cache: retry only what may succeed on a second try. */
export function createQueryClient(): QueryClient {
  return new QueryClient({
    defaultOptions: {
      queries: {
        staleTime: 30_000,
        refetchOnWindowFocus: false,
        retry: (failures, error) => failures < 2 && toApiError(error).unreachable,
      },
      mutations: { retry: false },
    },
  });
}
