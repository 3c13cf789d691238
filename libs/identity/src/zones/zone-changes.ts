import { Injectable } from '@nestjs/common';
import type { TenantTransaction } from '#cairn/shared/database';

/** Whose effective time zone changed: named people, or everyone without a zone of their own (the firm default). */
export type ZoneChange = { userIds: string[] } | { firmDefault: true };
export type ZoneChangeListener = (tx: TenantTransaction, change: ZoneChange, now: Date) => Promise<void>;

/**
 * Lets domains above identity (check-in schedules) follow a change of someone's effective time zone in the
 * same transaction as the change, without identity or clients depending on them.
 */
@Injectable()
export class ZoneChanges {
  private readonly listeners: ZoneChangeListener[] = [];

  listen(listener: ZoneChangeListener): void {
    this.listeners.push(listener);
  }

  async changed(tx: TenantTransaction, change: ZoneChange, now = new Date()): Promise<void> {
    for (const listener of this.listeners) await listener(tx, change, now);
  }
}
