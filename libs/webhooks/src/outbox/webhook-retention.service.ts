import { Injectable } from '@nestjs/common';
import { type Kysely, sql } from 'kysely';
import { SecretBox } from '#cairn/shared/auth';
import { AppConfig } from '#cairn/shared/config';
import { type DB, jsonRecords, SystemDatabase } from '#cairn/shared/database';

const DAY_MS = 86_400_000;
const EVENT_BATCH = 5_000;
// A delivery takes its attempts with it (ON DELETE CASCADE): usually one, at most about 14 under the retry
// schedule, so fewer deliveries per statement keep every statement to a few thousand rows.
const DELIVERY_BATCH = 1_000;

type Purge = (db: Kysely<DB>, tenantId: string, cutoff: Date, batch: number) => Promise<number>;

/**
 * Finished for longer than the retention period. Never PENDING, whatever its age. A delivery that a kept re-send
 * points at (`resent_from_id`, which has no ON DELETE action) stays until that re-send goes too. Finished is
 * the delivery's own clock, so one that waited a month on a disabled endpoint and then failed is still kept
 * the full period; `created_at` (never later) lets the tenant/status/created index narrow the scan.
 */
const purgeDeliveries: Purge = async (db, tenantId, cutoff, batch) => {
  const { numDeletedRows } = await db
    .deleteFrom('webhook_deliveries')
    .where('id', 'in', (eb) =>
      eb
        .selectFrom('webhook_deliveries as d')
        .select('d.id')
        .where((eb) =>
          eb.and([
            eb('d.tenant_id', '=', tenantId),
            eb('d.status', 'in', ['DELIVERED', 'FAILED']),
            eb('d.created_at', '<', cutoff),
            eb(eb.fn.coalesce('d.delivered_at', 'd.failed_at', 'd.created_at'), '<', cutoff),
            eb.not(
              eb.exists(
                eb
                  .selectFrom('webhook_deliveries as r')
                  .select(sql.lit(1).as('one'))
                  .whereRef('r.tenant_id', '=', 'd.tenant_id')
                  .whereRef('r.resent_from_id', '=', 'd.id'),
              ),
            ),
          ]),
        )
        .limit(batch),
    )
    .executeTakeFirstOrThrow();
  return Number(numDeletedRows);
};

/** Events no delivery points at any more (or ever did: events are recorded even with no endpoint subscribed). */
const purgeEvents: Purge = async (db, tenantId, cutoff, batch) => {
  const { numDeletedRows } = await db
    .deleteFrom('domain_events')
    .where('id', 'in', (eb) =>
      eb
        .selectFrom('domain_events as ev')
        .select('ev.id')
        .where('ev.tenant_id', '=', tenantId)
        .where('ev.created_at', '<', cutoff)
        .where((eb) =>
          eb.not(
            eb.exists(
              eb
                .selectFrom('webhook_deliveries as d')
                .select(sql.lit(1).as('one'))
                .whereRef('d.tenant_id', '=', 'ev.tenant_id')
                .whereRef('d.event_id', '=', 'ev.id'),
            ),
          ),
        )
        .limit(batch),
    )
    .executeTakeFirstOrThrow();
  return Number(numDeletedRows);
};

export interface PurgeCounts {
  deliveries: number;
  events: number;
  /** Previous signing secrets forgotten because their overlap window is over. */
  previousSecrets: number;
  /** Endpoints whose secrets, stored before sealing, were sealed now. */
  sealedSecrets: number;
}

/**
 * Keeps the outbox from growing forever: delivered and failed deliveries (with their attempts) and events nothing
 * refers to any more are deleted once older than WEBHOOK_RETENTION_DAYS. Works across tenants, hence
 * SystemDatabase, but tenant by tenant, so every statement is a range scan of a tenant-first index; and in
 * small batches, each its own transaction, so a run never holds many locks for long.
 */
@Injectable()
export class WebhookRetention {
  constructor(
    private readonly systemDb: SystemDatabase,
    private readonly config: AppConfig,
    private readonly box: SecretBox,
  ) {}

  async purge(now: Date = new Date()): Promise<PurgeCounts> {
    const cutoff = new Date(now.getTime() - this.config.WEBHOOK_RETENTION_DAYS * DAY_MS);
    // A delivery is written with its event or after it (a re-send), never before: a tenant with no event older
    // than the cutoff has nothing to purge.
    const tenants = await this.systemDb.transaction((_m, db) =>
      db
        .selectFrom('tenants as t')
        .select('t.id')
        .where((eb) =>
          eb.exists(
            eb
              .selectFrom('domain_events as ev')
              .select(sql.lit(1).as('one'))
              .whereRef('ev.tenant_id', '=', 't.id')
              .where('ev.created_at', '<', cutoff),
          ),
        )
        .orderBy('t.id')
        .execute(),
    );
    const counts: PurgeCounts = { deliveries: 0, events: 0, previousSecrets: 0, sealedSecrets: 0 };
    for (const { id } of tenants) {
      // Deliveries first: their events only become unreferenced once they are gone.
      counts.deliveries += await this.inBatches(purgeDeliveries, id, cutoff, DELIVERY_BATCH);
      counts.events += await this.inBatches(purgeEvents, id, cutoff, EVENT_BATCH);
    }
    counts.previousSecrets = await this.forgetExpiredPreviousSecrets();
    counts.sealedSecrets = await this.sealPlainSecrets();
    return counts;
  }

  /**
   * Secrets stored before they were sealed (SecretBox) are sealed on the first run after the upgrade; the
   * deliverer reads both kinds meanwhile. Only a row still holding the value read is changed (a rotation in
   * between wins).
   */
  async sealPlainSecrets(): Promise<number> {
    let sealed = 0;
    for (;;) {
      const rows = await this.systemDb.transaction((_m, db) =>
        db
          .selectFrom('webhook_endpoints')
          .select(['tenant_id', 'id', 'secret', 'previous_secret'])
          .where((eb) => {
            const plain = (column: 'secret' | 'previous_secret') =>
              eb.and([eb(column, 'not like', 'v1.%'), eb(column, 'not like', 'v2.%')]);
            return eb.or([plain('secret'), plain('previous_secret')]);
          })
          .limit(100)
          .execute(),
      );
      if (rows.length === 0) return sealed;
      const seal = (value: string) => (SecretBox.isSealed(value) ? value : this.box.seal(value));
      const sealedRows = rows.map((r) => ({
        ...r,
        sealed: seal(r.secret),
        previous_sealed: r.previous_secret === null ? null : seal(r.previous_secret),
      }));
      const n = await this.systemDb.transaction(async (_m, db) => {
        const { numUpdatedRows } = await db
          .updateTable('webhook_endpoints as e')
          .from(
            jsonRecords(
              sealedRows,
              'r',
              'tenant_id uuid, id uuid, secret text, previous_secret text, sealed text, previous_sealed text',
            ),
          )
          .set((eb) => ({ secret: eb.ref('r.sealed'), previous_secret: eb.ref('r.previous_sealed') }))
          .whereRef('e.tenant_id', '=', 'r.tenant_id')
          .whereRef('e.id', '=', 'r.id')
          .whereRef('e.secret', '=', 'r.secret')
          .whereRef('e.previous_secret', 'is not distinct from', 'r.previous_secret')
          .executeTakeFirstOrThrow();
        return Number(numUpdatedRows);
      });
      sealed += n;
      if (n === 0) return sealed; // every row changed under us; the next run picks them up
    }
  }

  /**
   * Until a batch finds nothing, rather than until one comes back short: a delivery whose re-send went in the
   * same batch only becomes purgeable in the next one.
   */
  private async inBatches(purge: Purge, tenantId: string, cutoff: Date, batch: number): Promise<number> {
    let total = 0;
    for (;;) {
      const n = await this.systemDb.transaction((_m, db) => purge(db, tenantId, cutoff, batch));
      if (n === 0) return total;
      total += n;
    }
  }

  /**
   * The deliverer already ignores an expired previous secret; this removes it from the database too (signing
   * key material is not kept longer than it is used). Not a change an admin made: the version stays.
   */
  private async forgetExpiredPreviousSecrets(): Promise<number> {
    const { numUpdatedRows } = await this.systemDb.transaction((_m, db) =>
      db
        .updateTable('webhook_endpoints')
        .set({ previous_secret: null, previous_secret_expires_at: null })
        .where('previous_secret_expires_at', '<=', sql<Date>`now()`)
        .executeTakeFirstOrThrow(),
    );
    const n = Number(numUpdatedRows);
    return n;
  }
}
