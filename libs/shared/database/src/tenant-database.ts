import { AsyncLocalStorage } from 'node:async_hooks';
import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { Compilable, Kysely } from 'kysely';
import pg from 'pg';
import { DataSource, EntityManager, EntityTarget, ObjectLiteral, QueryRunner } from 'typeorm';
import { RequestContext, type RequestLifetime } from '#cairn/shared/tenancy';
import { tenantKysely, tenantQueryCompiler } from './query-runner.dialect.js';
import type { BoundQuery } from './prepared-query.js';
import type { TenantDB } from './tenant-scope.plugin.js';
import { APP_DB_ROLE } from './tenant-isolation.js';
import { TenantRepository } from './tenant-repository.js';

/** A transaction bound to one tenant. Repositories and typed SQL obtained here cannot be used without that tenant id. */
export class TenantTransaction {
  private kysely?: Kysely<TenantDB>;

  constructor(
    readonly manager: EntityManager,
    readonly tenantId: string,
    /**
     * A `read`: what it reads stays true for the rest of the request (writes commit before reads start), so
     * it may be handed to the request's loaders. What a write transaction reads may change before it ends.
     */
    readonly readOnly = false,
  ) {}

  repo<E extends ObjectLiteral & { tenantId: string }>(target: EntityTarget<E>): TenantRepository<E> {
    return new TenantRepository(this.manager, target, this.tenantId);
  }

  /** Typed SQL on this transaction's connection, scoped to its tenant by the query layer (RLS stays below). */
  get db(): Kysely<TenantDB> {
    return (this.kysely ??= tenantKysely(this.manager, this.tenantId));
  }
}

/**
 * The transaction code is running in, and how to join it: a write transaction is simply shared; the request's
 * shared read transaction counts each joiner, so it is never committed under a statement still to come.
 */
interface Active {
  tx: TenantTransaction;
  join<T>(work: (tx: TenantTransaction) => Promise<T>): Promise<T>;
}

const active = new AsyncLocalStorage<Active>();

/** The transaction this code runs in, if any; it must be `tenantId`'s. */
function activeAs(tenantId: string): Active | undefined {
  const outer = active.getStore();
  if (outer && outer.tx.tenantId !== tenantId) throw new Error('Nested transaction for a different tenant');
  return outer;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const REQUEST_READS = Symbol('tenant-database:request-reads');

/** A statement with `$n` placeholders and its values. */
export interface Statement {
  text: string;
  values: (string | null)[];
}

/** Only text and NULL are inlined: anything else would need a cast the statement does not say. */
const inlinable = (value: unknown): string | null => {
  if (value === null || typeof value === 'string') return value;
  throw new Error(`A statement sent with BEGIN takes text or NULL values only, not ${typeof value}`);
};

/** `statement` with its values inlined as literals (pg's escapeLiteral), for a simple query. */
const inlined = ({ text, values }: Statement) =>
  text.replace(/\$(\d+)\b/g, (_, n: string) => {
    const value = values[Number(n) - 1];
    if (value === undefined) throw new Error(`No value for $${n}`);
    return value === null ? 'NULL' : pg.escapeLiteral(value);
  });

/** A read transaction, and the rows of the statement that travelled with its BEGIN, if one did. */
interface OpenRead {
  runner: QueryRunner;
  tx: TenantTransaction;
  firstRows?: unknown[];
}

/**
 * A READ ONLY transaction as one tenant, opened in one round trip: BEGIN and the settings travel as one simple
 * query, so the tenant id is inlined (checked to be a UUID first; it comes from a verified credential), and so
 * does the read's `first` statement when it has one (the credential check: one round trip fewer per request).
 */
async function beginRead(runner: QueryRunner, tenantId: string, first?: Statement): Promise<OpenRead> {
  if (!UUID.test(tenantId)) throw new Error('Tenant id is not a UUID');
  const begin =
    `BEGIN ISOLATION LEVEL READ COMMITTED READ ONLY; ` +
    `SELECT set_config('role', '${APP_DB_ROLE}', true), set_config('app.tenant_id', '${tenantId}', true)`;
  let firstRows: unknown[] | undefined;
  if (first) {
    // Straight to pg: TypeORM's query() answers one result, a simple query of three statements has three.
    const client = (await runner.connect()) as pg.PoolClient;
    const results = (await client.query(`${begin}; ${inlined(first)}`)) as unknown as pg.QueryResult[];
    firstRows = results[2].rows;
  } else {
    await runner.query(begin);
  }
  queueQueries(runner);
  return { runner, tx: new TenantTransaction(runner.manager, tenantId, true), firstRows };
}

/**
 * The resolvers of a request read concurrently, but one connection runs one statement at a time, and pg is
 * dropping its own queue (pg@9): statements on a shared read connection wait their turn here.
 */
function queueQueries(runner: QueryRunner): void {
  const query = runner.query.bind(runner);
  let tail: Promise<unknown> = Promise.resolve();
  runner.query = ((...args: Parameters<QueryRunner['query']>) => {
    const result = tail.then(() => query(...args));
    tail = result.catch(() => undefined);
    return result;
  }) as QueryRunner['query'];
}

/** Destroys the runner's connection rather than returning it to the pool (its state is unknown). */
const destroy = (runner: QueryRunner, error: unknown) =>
  (runner as QueryRunner & { releasePostgresConnection(err: unknown): Promise<void> }).releasePostgresConnection(error);

/**
 * A pooled connection in a read transaction as `tenantId`. If that fails the connection is destroyed: a
 * failure after BEGIN leaves it inside an aborted transaction.
 */
async function openRead(dataSource: DataSource, tenantId: string, first?: Statement): Promise<OpenRead> {
  const runner = dataSource.createQueryRunner();
  try {
    return await beginRead(runner, tenantId, first);
  } catch (error) {
    await destroy(runner, error);
    throw error;
  }
}

/** Ends a read transaction and returns its connection; a connection that cannot say COMMIT is destroyed. */
async function endRead(runner: QueryRunner): Promise<void> {
  try {
    await runner.query('COMMIT');
  } catch (error) {
    await destroy(runner, error);
    return;
  }
  await runner.release();
}

/** Where a request keeps its current shared reads. */
const readsOf = (lifetime: RequestLifetime) =>
  lifetime.resource(REQUEST_READS, () => ({ current: undefined as RequestReads | undefined }));

/** Database errors leave a transaction aborted; application errors thrown between statements do not. */
const isAbortingError = (error: unknown) => error instanceof Error && error.name === 'QueryFailedError';

/**
 * The one read transaction an HTTP request shares between all its resolvers and loaders, opened on the first
 * read and ended when it is retired (the request is over, a write transaction starts, or a statement failed)
 * and no read is still running on it. READ COMMITTED: every statement sees what was committed before it.
 */
class RequestReads {
  private opening?: Promise<OpenRead>;
  private running = 0;
  private retired = false;

  constructor(
    private readonly dataSource: DataSource,
    readonly tenantId: string,
  ) {}

  get usable(): boolean {
    return !this.retired;
  }

  /** `work` in the shared transaction; `first` travels with its BEGIN if this run opens it (see beginRead). */
  async run<T>(work: (tx: TenantTransaction, firstRows?: unknown[]) => Promise<T>, first?: Statement): Promise<T> {
    this.running++;
    try {
      const opens = !this.opening;
      this.opening ??= this.open(first);
      const { tx, firstRows } = await this.opening;
      return await active.run({ tx, join: (more) => this.run(more) }, () =>
        work(tx, opens ? firstRows : undefined),
      );
    } catch (error) {
      // A failed statement aborts the transaction: later reads of the request get a fresh one.
      if (isAbortingError(error)) this.retired = true;
      throw error;
    } finally {
      this.running--;
      await this.closeIfIdle();
    }
  }

  retire(): Promise<void> {
    this.retired = true;
    return this.closeIfIdle();
  }

  private async open(first?: Statement) {
    try {
      return await openRead(this.dataSource, this.tenantId, first);
    } catch (error) {
      this.retired = true;
      throw error;
    }
  }

  private async closeIfIdle(): Promise<void> {
    if (!this.retired || this.running > 0 || !this.opening) return;
    const opening = this.opening;
    this.opening = undefined;
    await opening.then(({ runner }) => endRead(runner)).catch(() => undefined);
  }
}

/**
 * The only way business code touches tenant-owned tables. Each transaction switches to the non-owner
 * application role and sets `app.tenant_id`, so PostgreSQL row-level security filters every statement
 * even if a query forgets its tenant filter. The tenant comes from the request context, never an argument.
 */
@Injectable()
export class TenantDatabase {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  /** Work that may write, atomically. Inside another transaction (or a read) it joins that one. */
  async transaction<T>(work: (tx: TenantTransaction) => Promise<T>): Promise<T> {
    const tenantId = RequestContext.requireTenantId();
    const outer = activeAs(tenantId);
    if (outer) return outer.join(work);
    // The request's shared read gives its connection back first: holding one connection while waiting for
    // another could deadlock a full pool (and PGlite serves one transaction at a time).
    await this.currentRequestReads()?.retire();
    return this.dataSource.transaction(async (manager) => {
      const tx = await enterTenant(manager, tenantId);
      return active.run({ tx, join: (more) => more(tx) }, () => work(tx));
    });
  }

  /**
   * Read-only `work` as the request's tenant. Inside a transaction it joins that one (and sees its writes). In
   * an HTTP request every read shares one READ ONLY transaction, opened on the first read and ended with the
   * request (see RequestReads), so resolvers and loaders do not pay for a transaction each. Elsewhere (jobs,
   * subscriptions) it is a READ ONLY transaction of its own. A write inside `read` fails.
   */
  read<T>(work: (tx: TenantTransaction) => Promise<T>): Promise<T> {
    return this.reading((tx) => work(tx));
  }

  /**
   * `read` whose first statement is known before it starts (the credential check, first of every request):
   * when it opens the transaction, `first` travels in the same round trip as its BEGIN, its values inlined as
   * literals. `work` gets the statement's rows. A `PreparedQuery.with(…)` skips building the statement.
   */
  async readStartingWith<R, T>(
    query: ((db: Kysely<TenantDB>) => Compilable<R>) | BoundQuery<R>,
    work: (rows: R[], tx: TenantTransaction) => Promise<T> | T,
  ): Promise<T> {
    const tenantId = RequestContext.requireTenantId();
    const compiled =
      typeof query === 'function' ? query(tenantQueryCompiler(tenantId)).compile() : query.bind(tenantId);
    const first: Statement = { text: compiled.sql, values: compiled.parameters.map(inlinable) };
    return this.reading(
      async (tx, firstRows) => work((firstRows ?? (await tx.manager.query(first.text, first.values))) as R[], tx),
      first,
    );
  }

  /** `read`, with `first` sent along with BEGIN when this read opens a transaction (its rows to `work`). */
  private async reading<T>(
    work: (tx: TenantTransaction, firstRows?: unknown[]) => Promise<T>,
    first?: Statement,
  ): Promise<T> {
    const tenantId = RequestContext.requireTenantId();
    const outer = activeAs(tenantId);
    if (outer) return outer.join(work);
    const shared = this.requestReads(tenantId);
    if (shared) return shared.run(work, first);
    const { runner, tx, firstRows } = await openRead(this.dataSource, tenantId, first);
    try {
      return await active.run({ tx, join: (more) => more(tx) }, () => work(tx, firstRows));
    } finally {
      await endRead(runner);
    }
  }

  private currentRequestReads(): RequestReads | undefined {
    const lifetime = RequestContext.lifetime();
    return lifetime && readsOf(lifetime).current;
  }

  /** The request's shared reads as `tenantId` (a new one once the last was retired); none outside a request. */
  private requestReads(tenantId: string): RequestReads | undefined {
    const lifetime = RequestContext.lifetime();
    if (!lifetime || lifetime.isEnded) return undefined;
    const holder = readsOf(lifetime);
    if (holder.current?.usable) return holder.current.tenantId === tenantId ? holder.current : undefined;
    const reads = new RequestReads(this.dataSource, tenantId);
    holder.current = reads;
    lifetime.onEnd(() => reads.retire());
    return reads;
  }

  /**
   * Sign-up only: inserts the tenant row as the owner role, then continues in the same transaction as that
   * tenant, so a firm never exists without its first admin.
   */
  async createTenant<T>(
    insertTenant: (manager: EntityManager) => Promise<string>,
    work: (tx: TenantTransaction) => Promise<T>,
  ): Promise<T> {
    return this.dataSource.transaction(async (manager) => {
      const tenantId = await insertTenant(manager);
      const tx = await enterTenant(manager, tenantId);
      return RequestContext.runAs({ tenantId }, () => active.run({ tx, join: (more) => more(tx) }, () => work(tx)));
    });
  }
}

/** From here on the transaction runs as the application role, seeing only `tenantId`'s rows. */
async function enterTenant(manager: EntityManager, tenantId: string): Promise<TenantTransaction> {
  await manager.query(`SELECT set_config('role', $1, true), set_config('app.tenant_id', $2, true)`, [
    APP_DB_ROLE,
    tenantId,
  ]);
  return new TenantTransaction(manager, tenantId);
}
