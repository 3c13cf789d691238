import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';

/**
 * Runs as the owner role, outside row-level security. Reserved for the few places that must act before a
 * tenant is known (creating a firm, resolving a credential to its tenant) or across tenants (maintenance
 * jobs). Everything else goes through TenantDatabase; grep for SystemDatabase to audit the exceptions.
 */
@Injectable()
export class SystemDatabase {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  transaction<T>(work: (manager: EntityManager) => Promise<T>): Promise<T> {
    return this.dataSource.transaction(work);
  }

  async ping(): Promise<void> {
    await this.dataSource.query('SELECT 1');
  }
}
