export type Engine = 'woocommerce' | 'medusa';
export type StoreStatus = 'NEW' | 'PROVISIONING' | 'READY' | 'FAILED' | 'DELETING';
export type StoreOperation = 'install' | 'upgrade' | 'rollback' | 'retry' | 'delete';
/** What the API says may be asked of a store now (from its transition table). */
export type StoreAction = 'upgrade' | 'rollback' | 'retry' | 'delete' | 'cancel';

export interface Store {
  id: string;
  name: string;
  userId: string;
  engine: Engine;
  status: StoreStatus;
  operation: StoreOperation | null;
  namespace: string;
  url: string;
  revision: number | null;
  error: string | null;
  createdAt: string;
  updatedAt: string;
  actions: StoreAction[];
  /** The running operation's current step (its durable custom status); null or absent when none runs. */
  progress?: StoreProgress | null;
}

/** GET /api/stores/{name} `progress`: which step of the running operation is under way, and since when. */
export interface StoreProgress {
  step: string;
  /** 1-based position of the step. */
  index: number;
  of: number;
  startedAt: string;
}

/** GET /api/stores/{name}/revisions (newest first): the store's Helm release history. */
export interface Revision {
  revision: number;
  chart: string;
  appVersion: string | null;
  status: string;
  description: string | null;
  updatedAt: string;
  /** The revision a rollback without a revision goes to, as the API picks it (at most one row). */
  rollbackTarget: boolean;
}

/** GET /api/stores/{name}/revisions/{revision}/values: the tenant-visible values of one revision. */
export interface RevisionValues {
  revision: number;
  values: Record<string, unknown>;
}

/** POST /api/stores/{name}/upgrade/preview: what an upgrade would change (tenant-visible values only). */
export interface UpgradePreview {
  fromRevision: number | null;
  current: Record<string, unknown>;
  proposed: Record<string, unknown>;
}

/** GET /api/operations/durations: p50/p95 per operation over a window, and the cluster slot queue. */
export interface OperationDurations {
  since: string;
  operations: { operation: string; count: number; p50Seconds: number; p95Seconds: number }[];
  queue: { waiting: number; inUse: number; capacity: number };
}

export interface Metrics {
  activeStores: number;
  provisioning: number;
  failed: number;
  upgrades: number;
  rollbacks: number;
  retries: number;
  byStatus?: Partial<Record<StoreStatus, number>>;
  [extra: string]: unknown;
}

export interface ActivityEntry {
  id: string | number;
  action: string;
  storeName: string;
  /** The store's owner. */
  userId: string | null;
  /** Who made the request (may differ from the owner when an operator acts). */
  actor?: string | null;
  timestamp: string;
  detail: string | null;
  /** The W3C trace id of the operation this entry belongs to (null or absent when none was recorded). */
  traceId?: string | null;
}

export interface HealthComponent {
  status: string;
  message: string | null;
}

/** GET /api/health: one entry per component, plus an optional overall `status` ("ok", "degraded", ...). */
export interface Health {
  status?: string;
  database?: HealthComponent;
  helm?: HealthComponent;
  kubectl?: HealthComponent;
  cluster?: HealthComponent;
  [component: string]: HealthComponent | string | undefined;
}

/** RFC 9457 problem details. */
export interface Problem {
  type?: string;
  title?: string;
  status?: number;
  detail?: string;
  errors?: Record<string, string[]>;
}

export interface CreateStoreRequest {
  storeName: string;
  /** Only operators and admins send it (creating on behalf of a user); a `user` owns what they create. */
  userId?: string;
  engine?: Engine;
}

export type AuthMode = 'apikey' | 'oidc' | 'easyauth' | 'none';
export type Role = 'user' | 'operator' | 'admin';
export const ROLES: readonly Role[] = ['user', 'operator', 'admin'];

/** GET /api/auth/config (anonymous): how the dashboard signs in. */
export interface AuthConfig {
  mode: AuthMode;
  authority?: string | null;
  clientId?: string | null;
  scopes?: string | string[] | null;
}

/** GET /api/me: the verified caller. */
export interface Me {
  userId: string;
  role: Role;
  authMode: AuthMode;
}

/** GET /api/keys: metadata of one API key (never the key itself). */
export interface ApiKeyInfo {
  id: string;
  userId: string;
  role: Role;
  name: string | null;
  createdAt: string;
  /** null: never expires. */
  expiresAt?: string | null;
  revokedAt?: string | null;
  [extra: string]: unknown;
}

export interface CreateApiKeyRequest {
  userId: string;
  role: Role;
  name?: string;
}

/** POST /api/keys: the only response that ever carries the key. */
export interface CreatedApiKey {
  id: string;
  key: string;
  userId: string;
  role: Role;
  name: string | null;
  createdAt: string;
}

export const BUSY_STATUSES: readonly StoreStatus[] = ['NEW', 'PROVISIONING', 'DELETING'];

/** GET /api/catalog: what an upgrade may choose (the operator's plans and approved versions). */
export interface Catalog {
  defaultPlan: string;
  plans: { name: string; title: string; maxReplicas: number }[];
  engines: {
    engine: Engine;
    defaultVersion: string;
    versions: { version: string; title: string }[];
    /** Settings a store owner may send. */
    settings: string[];
    /** Chart keys only operators and admins may send. */
    operatorSettings: string[];
  }[];
}
