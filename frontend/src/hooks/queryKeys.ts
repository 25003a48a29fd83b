export const queryKeys = {
  stores: ['stores'] as const,
  metrics: ['metrics'] as const,
  activityAll: ['activity'] as const,
  activity: (store: string | null) => ['activity', store ?? '*'] as const,
  health: ['health'] as const,
  store: (name: string) => ['store', name] as const,
  revisions: (name: string) => ['revisions', name] as const,
  revisionValues: (name: string, revision: number) => ['revision-values', name, revision] as const,
  durations: (window: string) => ['durations', window] as const,
  authConfig: ['auth-config'] as const,
  me: ['me'] as const,
  apiKeys: ['api-keys'] as const,
};

/** Every mutation on one store shares this key prefix, so a row can ask "is anything pending for me?". */
export const storeMutationKey = (name: string) => ['store-action', name] as const;
