import { Injectable, OnModuleInit } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type {
  DataSource,
  EntitySubscriberInterface,
  QueryRunner,
  TransactionCommitEvent,
  TransactionRollbackEvent,
} from 'typeorm';
import type { TenantTransaction } from './tenant-database.js';

interface Pending {
  items: unknown[];
  flush: (items: unknown[]) => void;
}

/**
 * Side effects that must only follow a committed change (enqueueing a job, publishing live): collected per
 * transaction and per purpose, then flushed once, in one batch each, after the outermost commit; a rollback
 * drops them. Outside a transaction they are flushed at once.
 */
@Injectable()
export class AfterCommit implements OnModuleInit, EntitySubscriberInterface {
  private readonly pending = new WeakMap<QueryRunner, Map<symbol, Pending>>();

  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  onModuleInit(): void {
    this.dataSource.subscribers.push(this);
  }

  /** Adds `items` to the batch `purpose` of `tx`; `flush` receives the whole batch and must not throw. */
  collect<T>(tx: TenantTransaction, purpose: symbol, items: T[], flush: (items: T[]) => void): void {
    if (items.length === 0) return;
    const runner = tx.manager.queryRunner;
    if (!runner?.isTransactionActive) return flush(items);
    const batches = this.pending.get(runner) ?? new Map<symbol, Pending>();
    this.pending.set(runner, batches);
    const batch = batches.get(purpose) ?? { items: [], flush: flush as (items: unknown[]) => void };
    batch.items.push(...items);
    batches.set(purpose, batch);
  }

  afterTransactionCommit(event: TransactionCommitEvent): void {
    // A released savepoint is not the commit: wait for the outermost transaction.
    if (event.queryRunner.isTransactionActive) return;
    const batches = this.pending.get(event.queryRunner);
    if (!batches) return;
    this.pending.delete(event.queryRunner);
    for (const { items, flush } of batches.values()) flush(items);
  }

  afterTransactionRollback(event: TransactionRollbackEvent): void {
    if (!event.queryRunner.isTransactionActive) this.pending.delete(event.queryRunner);
  }
}
