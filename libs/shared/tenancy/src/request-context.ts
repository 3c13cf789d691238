import { AsyncLocalStorage } from 'node:async_hooks';
import { randomUUID } from 'node:crypto';

/** Who is acting, as established by a verified credential. Never built from headers or arguments. */
export interface Actor {
  tenantId: string;
  userId?: string;
  apiKeyId?: string;
}

export interface RequestContextState {
  requestId: string;
  actor?: Actor;
  /** Per-request caches (DataLoaders and the like), dropped with the request. */
  readonly items: Map<string | symbol, unknown>;
}

export class TenantContextMissingError extends Error {
  constructor() {
    super('No tenant context: this operation needs an authenticated tenant');
    this.name = 'TenantContextMissingError';
  }
}

const storage = new AsyncLocalStorage<RequestContextState>();

/**
 * The request-scoped context (one per HTTP request or job). Tenant-owned data is reachable only through
 * `requireTenantId`, which throws rather than defaulting, so a missing tenant fails closed.
 */
export const RequestContext = {
  run<T>(fn: () => T, requestId: string = randomUUID()): T {
    return storage.run({ requestId, items: new Map() }, fn);
  },

  /**
   * Runs `fn` as the given tenant: worker jobs, and public operations once a credential has named its
   * tenant (login, refresh). Keeps the surrounding request id so logs stay correlated.
   */
  runAs<T>(actor: Actor, fn: () => T, requestId: string = storage.getStore()?.requestId ?? randomUUID()): T {
    return storage.run({ requestId, actor, items: new Map() }, fn);
  },

  current(): RequestContextState | undefined {
    return storage.getStore();
  },

  setActor(actor: Actor): void {
    const state = storage.getStore();
    if (!state) throw new Error('RequestContext.setActor called outside a request context');
    if (state.actor && state.actor.tenantId !== actor.tenantId) {
      throw new Error('A request context cannot switch tenants');
    }
    state.actor = actor;
  },

  actor(): Actor | undefined {
    return storage.getStore()?.actor;
  },

  requireTenantId(): string {
    const tenantId = storage.getStore()?.actor?.tenantId;
    if (!tenantId) throw new TenantContextMissingError();
    return tenantId;
  },

  requestId(): string | undefined {
    return storage.getStore()?.requestId;
  },

  /** Memoises a value for the rest of the request (e.g. a DataLoader). Outside a request it is not cached. */
  item<T>(key: string | symbol, create: () => T): T {
    const state = storage.getStore();
    if (!state) return create();
    if (!state.items.has(key)) state.items.set(key, create());
    return state.items.get(key) as T;
  },
};
