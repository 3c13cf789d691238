import {
  CompiledQuery,
  DatabaseConnection,
  Dialect,
  Driver,
  DummyDriver,
  Kysely,
  PostgresAdapter,
  PostgresIntrospector,
  PostgresQueryCompiler,
  QueryResult,
} from 'kysely';
import type { EntityManager, QueryRunner } from 'typeorm';
import type { DB } from './db-types.generated.js';
import { TenantScopePlugin, type TenantDB } from './tenant-scope.plugin.js';

/**
 * Runs Kysely's compiled statements through a TypeORM query runner: the one holding the transaction that
 * switched role and tenant (so RLS, READ ONLY and the request's shared-read queue all still apply), and
 * errors stay TypeORM's QueryFailedError, which the rest of the code recognises.
 */
class QueryRunnerConnection implements DatabaseConnection {
  constructor(private readonly runner: QueryRunner) {}

  async executeQuery<R>(query: CompiledQuery): Promise<QueryResult<R>> {
    const result: { records?: R[]; affected?: number } = await this.runner.query(
      query.sql,
      query.parameters as unknown[],
      true,
    );
    return {
      rows: result.records ?? [],
      numAffectedRows: result.affected === undefined ? undefined : BigInt(result.affected),
    };
  }

  // eslint-disable-next-line require-yield
  async *streamQuery<R>(): AsyncIterableIterator<QueryResult<R>> {
    throw new Error('Streaming is not supported on a TypeORM query runner');
  }
}

class QueryRunnerDriver implements Driver {
  private readonly connection: QueryRunnerConnection;

  constructor(runner: QueryRunner) {
    this.connection = new QueryRunnerConnection(runner);
  }

  async init(): Promise<void> {}
  async acquireConnection(): Promise<DatabaseConnection> {
    return this.connection;
  }
  // The runner is already inside the transaction TenantDatabase/SystemDatabase opened; there is no other.
  async beginTransaction(): Promise<void> {
    throw new Error('Typed SQL runs inside the TenantDatabase/SystemDatabase transaction; it cannot open its own');
  }
  async commitTransaction(): Promise<void> {
    throw new Error('Typed SQL cannot commit the transaction it runs in');
  }
  async rollbackTransaction(): Promise<void> {
    throw new Error('Typed SQL cannot roll back the transaction it runs in');
  }
  async releaseConnection(): Promise<void> {}
  async destroy(): Promise<void> {}
}

function runnerOf(manager: EntityManager): QueryRunner {
  if (!manager.queryRunner) throw new Error('Typed SQL needs a transaction manager (one with a query runner)');
  return manager.queryRunner;
}

const dialect = (driver: Driver): Dialect => ({
  createAdapter: () => new PostgresAdapter(),
  createDriver: () => driver,
  createQueryCompiler: () => new PostgresQueryCompiler(),
  createIntrospector: (db) => new PostgresIntrospector(db),
});

/** Typed SQL as one tenant: every statement is scoped to `tenantId` by TenantScopePlugin. */
export function tenantKysely(manager: EntityManager, tenantId: string): Kysely<TenantDB> {
  return new Kysely<TenantDB>({ dialect: dialect(new QueryRunnerDriver(runnerOf(manager))), plugins: [new TenantScopePlugin(tenantId)] });
}

/** Typed SQL as the owner, unscoped: only for SystemDatabase's cross-tenant maintenance. */
export function ownerKysely(manager: EntityManager): Kysely<DB> {
  return new Kysely<DB>({ dialect: dialect(new QueryRunnerDriver(runnerOf(manager))) });
}

/**
 * Typed SQL as one tenant, compiled but never run here: for a statement that must travel in another round trip
 * (e.g. with a read's BEGIN, `TenantDatabase.readStartingWith`). TenantScopePlugin scopes it at compile time.
 */
export function tenantQueryCompiler(tenantId: string): Kysely<TenantDB> {
  return new Kysely<TenantDB>({ dialect: dialect(new DummyDriver()), plugins: [new TenantScopePlugin(tenantId)] });
}
