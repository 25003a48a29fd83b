import { useQuery } from '@tanstack/react-query';
import { api } from '../api/client';
import { config } from '../config';
import { queryKeys } from './queryKeys';

/**
 * Polling options shared by the dashboard's queries.
 * - refetchInterval: every `config.pollMs` (VITE_POLL_MS, default 5 s).
 * - refetchIntervalInBackground: false, so polling pauses while the tab is hidden
 *   (TanStack's focusManager listens to `visibilitychange`), and
 *   refetchOnWindowFocus refreshes immediately when the tab is shown again.
 * - No overlapping requests: an interval tick while a fetch for the same query is
 *   still in flight joins that fetch instead of starting another (TanStack dedupes
 *   unless `cancelRefetch` is asked for, which interval refetches never do).
 */
export function pollingOptions(pollMs: number = config.pollMs) {
  return {
    refetchInterval: pollMs,
    refetchIntervalInBackground: false,
    refetchOnWindowFocus: true,
  } as const;
}

export function useStores() {
  return useQuery({
    queryKey: queryKeys.stores,
    queryFn: ({ signal }) => api.listStores(signal),
    ...pollingOptions(),
  });
}

export function useMetrics() {
  return useQuery({
    queryKey: queryKeys.metrics,
    queryFn: ({ signal }) => api.metrics(signal),
    ...pollingOptions(),
  });
}

export function useActivity(store: string | null, limit = 50) {
  return useQuery({
    queryKey: queryKeys.activity(store),
    queryFn: ({ signal }) => api.activity(store, limit, signal),
    ...pollingOptions(),
  });
}

/**
 * Health is cheap but less urgent: poll at a slower pace. Operators and admins read the components
 * (GET /api/health/details); a `user` gets the overall status only.
 */
export function useHealth(details = false) {
  return useQuery({
    queryKey: [...queryKeys.health, details ? 'details' : 'status'],
    queryFn: ({ signal }) => (details ? api.healthDetails(signal) : api.health(signal)),
    ...pollingOptions(Math.max(config.pollMs * 3, 15000)),
  });
}

/** One store (its status and `progress`), polled like the list. */
export function useStore(name: string) {
  return useQuery({
    queryKey: queryKeys.store(name),
    queryFn: ({ signal }) => api.getStore(name, signal),
    ...pollingOptions(),
  });
}

/** The store's Helm revision history, newest first (the API reads it from the cluster with a short cache). */
export function useRevisions(name: string) {
  return useQuery({
    queryKey: queryKeys.revisions(name),
    queryFn: ({ signal }) => api.revisions(name, signal),
    ...pollingOptions(),
  });
}

/** The values of one revision: a revision never changes, so it is fetched once. */
export function useRevisionValues(name: string, revision: number | null) {
  return useQuery({
    queryKey: queryKeys.revisionValues(name, revision ?? 0),
    queryFn: ({ signal }) => api.revisionValues(name, revision as number, signal),
    enabled: revision !== null,
    staleTime: Infinity,
  });
}

/** p50/p95 per operation and the cluster slot queue (GET /api/operations/durations). */
export function useOperationDurations(window = '24h') {
  return useQuery({
    queryKey: queryKeys.durations(window),
    queryFn: ({ signal }) => api.operationDurations(window, signal),
    ...pollingOptions(),
  });
}
