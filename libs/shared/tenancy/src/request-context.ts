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
  /** Set for an HTTP request: what lives until its response is done (a shared read transaction). */
  readonly lifetime?: RequestLifetime;
}

/**
 * The span of one HTTP request, from its first middleware to the moment its response is done. Resources
 * opened for the request (one read transaction shared by all its resolvers) register a release here; `end`
 * runs them once, and a release registered after the end runs at once.
 */
export class RequestLifetime {
  private readonly resources = new Map<symbol, unknown>();
  private readonly releases: (() => unknown)[] = [];
  private ended = false;

  /** The request's one `key` resource, created on first use. */
  resource<T>(key: symbol, create: () => T): T {
    if (!this.resources.has(key)) this.resources.set(key, create());
    return this.resources.get(key) as T;
  }

  get isEnded(): boolean {
    return this.ended;
  }

  onEnd(release: () => unknown): void {
    if (this.ended) void release();
    else this.releases.push(release);
  }

  /** Runs the releases once; resolves when they have finished (they must not throw). */
  async end(): Promise<void> {
    if (this.ended) return;
    this.ended = true;
    await Promise.all(this.releases.splice(0).map((release) => release()));
  }
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
  run<T>(fn: () => T, requestId: string = randomUUID(), lifetime?: RequestLifetime): T {
    return storage.run({ requestId, items: new Map(), lifetime }, fn);
  },

  /**
   * Runs `fn` as the given tenant: worker jobs, and public operations once a credential has named its
   * tenant (login, refresh). Keeps the surrounding request id (so logs stay correlated) and lifetime.
   */
  runAs<T>(actor: Actor, fn: () => T, requestId: string = storage.getStore()?.requestId ?? randomUUID()): T {
    return storage.run({ requestId, actor, items: new Map(), lifetime: storage.getStore()?.lifetime }, fn);
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

  /** The HTTP request's lifetime; undefined in jobs, subscriptions and scripts. */
  lifetime(): RequestLifetime | undefined {
    return storage.getStore()?.lifetime;
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
