import { randomUUID } from 'node:crypto';
import type { Compilable, Kysely } from 'kysely';
import { tenantQueryCompiler } from './query-runner.dialect.js';
import type { TenantDB } from './tenant-scope.plugin.js';
import type { TenantTransaction } from './tenant-database.js';

/** A statement ready to send: its text and its values, the tenant's included. */
export interface BoundStatement {
  sql: string;
  parameters: unknown[];
}

/** A prepared query with its values, waiting for the tenant (see TenantDatabase.readStartingWith). */
export interface BoundQuery<R> {
  bind(tenantId: string): BoundStatement;
  /** The row type, for inference only. */
  readonly rows?: R;
}

/** Where each value of the compiled statement comes from. */
type Slot = { tenant: true } | { param: string } | { constant: unknown };

class Placeholder {
  constructor(readonly name: string) {}
}

/** Compiled with this tenant, then replaced by the running transaction's: no real tenant has it. */
const TENANT_PLACEHOLDER = randomUUID();

/**
 * Typed SQL for hot reads, built and scoped once per process instead of once per call: `build` runs a single
 * time, with placeholders for `params` and for the tenant, through TenantScopePlugin (the tenant still comes
 * from the query layer); each call then only fills the values into the compiled text. Building and compiling
 * a query with Kysely costs more CPU than a small indexed read takes in PostgreSQL, on every request.
 *
 * `build` must use each param only as a value (`where(col, '=', p.id)`, `anyOf(p.ids, 'uuid')`, `${p.x}` in
 * `sql`), never look into it or branch on it, nor compare it with `is` (Kysely writes null and booleans into
 * the text there): it is a placeholder then. A param that does not reach the statement as a value is refused
 * at the first call.
 */
export class PreparedQuery<P extends object, R> {
  private compiled?: { sql: string; slots: Slot[] };

  constructor(private readonly build: (db: Kysely<TenantDB>, params: P) => Compilable<R>) {}

  /** The statement as `tenantId` with `params`. */
  bind(tenantId: string, params: P): BoundStatement {
    const { sql, slots } = (this.compiled ??= this.compile());
    const values = params as Record<string, unknown>;
    const parameters = slots.map((slot) =>
      'tenant' in slot ? tenantId : 'param' in slot ? values[slot.param] : slot.constant,
    );
    return { sql, parameters };
  }

  /** The query with `params`, to be bound to a tenant later. */
  with(params: P): BoundQuery<R> {
    return { bind: (tenantId) => this.bind(tenantId, params) };
  }

  /** Its rows, read in `tx` as `tx`'s tenant. */
  execute(tx: TenantTransaction, params: P): Promise<R[]> {
    const { sql, parameters } = this.bind(tx.tenantId, params);
    return tx.manager.query(sql, parameters);
  }

  private compile(): { sql: string; slots: Slot[] } {
    const used = new Map<string, Placeholder>();
    const placeholders = new Proxy({} as P, {
      get: (_, name) => {
        if (typeof name !== 'string') return undefined;
        let placeholder = used.get(name);
        if (!placeholder) used.set(name, (placeholder = new Placeholder(name)));
        return placeholder;
      },
    });
    const query = this.build(tenantQueryCompiler(TENANT_PLACEHOLDER), placeholders).compile();
    const slots = query.parameters.map((value): Slot => {
      if (value === TENANT_PLACEHOLDER) return { tenant: true };
      if (value instanceof Placeholder) return { param: value.name };
      return { constant: value };
    });
    const bound = new Set(slots.flatMap((s) => ('param' in s ? [s.param] : [])));
    const unbound = [...used.keys()].filter((name) => !bound.has(name));
    if (unbound.length) throw new Error(`PreparedQuery: ${unbound.join(', ')} must be used as values only`);
    return { sql: query.sql, slots };
  }
}

/** See PreparedQuery. */
export const prepareQuery = <P extends object, R>(build: (db: Kysely<TenantDB>, params: P) => Compilable<R>) =>
  new PreparedQuery<P, R>(build);
