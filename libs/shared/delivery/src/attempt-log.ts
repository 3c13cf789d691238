import { type Kysely, sql } from 'kysely';
import type { TenantDB } from '#cairn/shared/database';
import type { DeliveryRef } from './delivery-channel.js';
import { DeliveryAttemptState } from './attempt-state.js';

/** `now() + ms` on the database's clock: leases are compared with its now(), never a worker's. */
export const leaseEnd = (leaseMs: number) =>
  sql<Date>`now() + make_interval(secs => ${leaseMs / 1000}::float8)`;

/**
 * Part of a claim's transaction: logs the claimed attempts as started, and marks an earlier attempt of theirs
 * that never finished (its worker died) as interrupted. Both channels' attempts tables have these columns.
 */
export async function startAttempts(
  db: Kysely<TenantDB>,
  table: 'message_delivery_attempts' | 'webhook_delivery_attempts',
  claimed: Array<{ id: string; attempt_count: number }>,
): Promise<void> {
  await db
    .updateTable(table)
    .set({ state: DeliveryAttemptState.INTERRUPTED })
    .where('state', '=', DeliveryAttemptState.STARTED)
    .where(
      'delivery_id',
      'in',
      claimed.map((c) => c.id),
    )
    .execute();
  await db
    .insertInto(table)
    .values(
      claimed.map((c) => ({
        delivery_id: c.id,
        attempt_number: c.attempt_count,
        attempted_at: sql<Date>`now()`,
      })),
    )
    .execute();
}

/**
 * Pushes the lease of these claimed attempts to `leaseMs` from now, for those still pending at that attempt (a
 * delivery taken over after its lease ran out is at a later attempt, and is not touched).
 */
export async function renewLeases(
  db: Kysely<TenantDB>,
  table: 'message_deliveries' | 'webhook_deliveries',
  pending: string,
  claimed: DeliveryRef[],
  leaseMs: number,
): Promise<void> {
  await db
    .updateTable(table)
    .set({ next_attempt_at: leaseEnd(leaseMs) })
    .where('status', '=', pending)
    .where((eb) =>
      eb(
        eb.refTuple('id', 'attempt_count'),
        'in',
        claimed.map((r) => eb.tuple(r.deliveryId, r.attempt)),
      ),
    )
    .execute();
}
