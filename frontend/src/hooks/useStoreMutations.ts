import { useIsMutating, useMutation, useQueryClient } from '@tanstack/react-query';
import { api, errorMessage } from '../api/client';
import type { CreateStoreRequest, Store, StoreOperation, StoreStatus } from '../api/types';
import { queryKeys, storeMutationKey } from './queryKeys';
import { useToasts } from './useToasts';

function replaceStore(list: Store[] | undefined, next: Store): Store[] | undefined {
  if (!list) return list;
  return list.map((s) => (s.name === next.name ? next : s));
}

/** Refresh everything a store change can affect. */
function useInvalidateAll() {
  const qc = useQueryClient();
  return () =>
    Promise.all([
      qc.invalidateQueries({ queryKey: queryKeys.stores }),
      qc.invalidateQueries({ queryKey: queryKeys.metrics }),
      qc.invalidateQueries({ queryKey: queryKeys.activityAll }),
      qc.invalidateQueries({ queryKey: ['store'] }),
      qc.invalidateQueries({ queryKey: ['revisions'] }),
      qc.invalidateQueries({ queryKey: ['durations'] }),
    ]);
}

export function useCreateStore() {
  const qc = useQueryClient();
  const invalidate = useInvalidateAll();
  return useMutation({
    mutationFn: (req: CreateStoreRequest) => api.createStore(req),
    onSuccess: (store) => {
      // Show the new row at once (newest first) without waiting for the next poll.
      qc.setQueryData<Store[]>(queryKeys.stores, (list) =>
        list ? [store, ...list.filter((s) => s.name !== store.name)] : [store],
      );
    },
    onSettled: () => invalidate(),
  });
}

type Action = 'upgrade' | 'rollback' | 'retry' | 'delete' | 'cancel';

// operation: what the store shows while the request is in flight (a cancel keeps the operation it stops).
const OPTIMISTIC: Record<Action, { status: StoreStatus; operation?: StoreOperation; verb: string }> = {
  upgrade: { status: 'PROVISIONING', operation: 'upgrade', verb: 'Upgrade' },
  rollback: { status: 'PROVISIONING', operation: 'rollback', verb: 'Rollback' },
  retry: { status: 'PROVISIONING', operation: 'retry', verb: 'Retry' },
  delete: { status: 'DELETING', operation: 'delete', verb: 'Delete' },
  cancel: { status: 'FAILED', verb: 'Cancel' },
};

interface ActionContext {
  previous: Store | undefined;
}

/**
 * One mutation per action on one store, sharing the key ['store-action', name].
 * Each applies an optimistic status at once, puts the store back and shows the
 * server's problem detail in a toast when the request is refused, and refreshes
 * stores/metrics/activity afterwards.
 */
function useStoreAction<TVars>(name: string, action: Action, call: (vars: TVars) => Promise<Store>) {
  const qc = useQueryClient();
  const { notify } = useToasts();
  const invalidate = useInvalidateAll();
  const { status, operation, verb } = OPTIMISTIC[action];

  return useMutation<Store, Error, TVars, ActionContext>({
    mutationKey: [...storeMutationKey(name), action],
    mutationFn: call,
    onMutate: async () => {
      await qc.cancelQueries({ queryKey: queryKeys.stores });
      const previous = qc.getQueryData<Store[]>(queryKeys.stores)?.find((s) => s.name === name);
      if (previous) {
        qc.setQueryData<Store[]>(queryKeys.stores, (list) =>
          replaceStore(list, { ...previous, status, operation: operation ?? previous.operation, error: null }),
        );
      }
      return { previous };
    },
    onSuccess: (store) => {
      if (store && typeof store === 'object' && store.name === name) {
        qc.setQueryData<Store[]>(queryKeys.stores, (list) => replaceStore(list, store));
      }
      notify('info', `${verb} of ${name} accepted.`);
    },
    onError: (err, _vars, ctx) => {
      const previous = ctx?.previous;
      if (previous) qc.setQueryData<Store[]>(queryKeys.stores, (list) => replaceStore(list, previous));
      notify('error', `${verb} of ${name} refused: ${errorMessage(err)}`);
    },
    onSettled: () => invalidate(),
  });
}

export function useStoreActions(name: string) {
  const upgrade = useStoreAction<Record<string, unknown> | undefined>(name, 'upgrade', (values) => api.upgradeStore(name, values));
  const rollback = useStoreAction<number | undefined>(name, 'rollback', (revision) =>
    api.rollbackStore(name, revision),
  );
  const retry = useStoreAction<void>(name, 'retry', () => api.retryStore(name));
  const remove = useStoreAction<void>(name, 'delete', () => api.deleteStore(name));
  const cancel = useStoreAction<void>(name, 'cancel', () => api.cancelStore(name));
  const pending = useIsMutating({ mutationKey: storeMutationKey(name) }) > 0;
  return { upgrade, rollback, retry, remove, cancel, pending };
}
