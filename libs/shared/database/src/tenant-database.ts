import { AsyncLocalStorage } from 'node:async_hooks';
import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager, EntityTarget, ObjectLiteral } from 'typeorm';
import { RequestContext } from '#cairn/shared/tenancy';
import { APP_DB_ROLE } from './tenant-isolation.js';
import { TenantRepository } from './tenant-repository.js';

/** A transaction bound to one tenant. Repositories obtained here cannot be used without that tenant id. */
export class TenantTransaction {
  constructor(
    readonly manager: EntityManager,
    readonly tenantId: string,
  ) {}

  repo<E extends ObjectLiteral & { tenantId: string }>(target: EntityTarget<E>): TenantRepository<E> {
    return new TenantRepository(this.manager, target, this.tenantId);
  }
}

const activeTransaction = new AsyncLocalStorage<TenantTransaction>();

/**
 * The only way business code touches tenant-owned tables. Each transaction switches to the non-owner
 * application role and sets `app.tenant_id`, so PostgreSQL row-level security filters every statement
 * even if a query forgets its tenant filter. The tenant comes from the request context, never an argument.
 */
@Injectable()
export class TenantDatabase {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  async transaction<T>(work: (tx: TenantTransaction) => Promise<T>): Promise<T> {
    const tenantId = RequestContext.requireTenantId();
    const outer = activeTransaction.getStore();
    if (outer) {
      if (outer.tenantId !== tenantId) throw new Error('Nested transaction for a different tenant');
      return work(outer);
    }
    return this.dataSource.transaction(async (manager) => {
      const tx = await enterTenant(manager, tenantId);
      return activeTransaction.run(tx, () => work(tx));
    });
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
      return RequestContext.runAs({ tenantId }, () => activeTransaction.run(tx, () => work(tx)));
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
