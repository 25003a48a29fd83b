import { QueryClient } from '@tanstack/react-query';

/**
 * Shared defaults for every query. Polling itself is configured per query
 * (see usePolling.ts); here: a short retry so an outage shows up quickly, and a
 * refresh as soon as the operator comes back to the tab.
 */
export function createQueryClient(overrides: { retry?: number | false } = {}): QueryClient {
  return new QueryClient({
    defaultOptions: {
      queries: {
        retry: overrides.retry ?? 1,
        retryDelay: 1000,
        refetchOnWindowFocus: true,
        refetchIntervalInBackground: false,
        staleTime: 1000,
      },
      mutations: { retry: false },
    },
  });
}
