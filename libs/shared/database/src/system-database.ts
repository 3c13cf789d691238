import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { Kysely } from 'kysely';
import { DataSource, EntityManager } from 'typeorm';
import type { DB } from './db-types.generated.js';
import { ownerKysely } from './query-runner.dialect.js';

/**
 * Runs as the owner role, outside row-level security. Reserved for the few places that must act before a
 * tenant is known (creating a firm, resolving a credential to its tenant) or across tenants (maintenance
 * jobs). Everything else goes through TenantDatabase; grep for SystemDatabase to audit the exceptions.
 */
@Injectable()
export class SystemDatabase {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  /** `db` is typed SQL on the same transaction, unscoped: filter by tenant yourself, on purpose. */
  transaction<T>(work: (manager: EntityManager, db: Kysely<DB>) => Promise<T>): Promise<T> {
    return this.dataSource.transaction((manager) => work(manager, ownerKysely(manager)));
  }

  async ping(): Promise<void> {
    await this.dataSource.query('SELECT 1');
  }
}
