import { Injectable } from '@nestjs/common';
import { SecretBox } from '#cairn/shared/auth';
import { AppConfig } from '#cairn/shared/config';
import { SystemDatabase } from '#cairn/shared/database';

const DAY_MS = 86_400_000;
const EVENT_BATCH = 5_000;
// A delivery takes its attempts with it (ON DELETE CASCADE): usually one, at most about 14 under the retry
// schedule, so fewer deliveries per statement keep every statement to a few thousand rows.
const DELIVERY_BATCH = 1_000;

/**
 * Finished for longer than the retention period. Never PENDING, whatever its age. A delivery that a kept re-send
 * points at (`resent_from_id`, which has no ON DELETE action) stays until that re-send goes too. Finished is
 * the delivery's own clock, so one that waited a month on a disabled endpoint and then failed is still kept
 * the full period; `created_at` (never later) lets the tenant/status/created index narrow the scan.
 */
const PURGEABLE_DELIVERY = `d.tenant_id = $1 AND d.status IN ('DELIVERED', 'FAILED') AND d.created_at < $2
  AND coalesce(d.delivered_at, d.failed_at, d.created_at) < $2
  AND NOT EXISTS (SELECT 1 FROM webhook_deliveries r WHERE r.tenant_id = d.tenant_id AND r.resent_from_id = d.id)`;

const PURGE_DELIVERIES = `WITH gone AS (
    DELETE FROM webhook_deliveries WHERE id IN (
      SELECT d.id FROM webhook_deliveries d WHERE ${PURGEABLE_DELIVERY} LIMIT $3)
    RETURNING 1)
  SELECT count(*)::int AS n FROM gone`;

/** Events no delivery points at any more (or ever did: events are recorded even with no endpoint subscribed). */
const PURGE_EVENTS = `WITH gone AS (
    DELETE FROM domain_events WHERE id IN (
      SELECT ev.id FROM domain_events ev
       WHERE ev.tenant_id = $1 AND ev.created_at < $2
         AND NOT EXISTS (SELECT 1 FROM webhook_deliveries d WHERE d.tenant_id = ev.tenant_id AND d.event_id = ev.id)
       LIMIT $3)
    RETURNING 1)
  SELECT count(*)::int AS n FROM gone`;

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
    const tenants: Array<{ id: string }> = await this.systemDb.transaction((m) =>
      m.query(
        `SELECT t.id FROM tenants t
          WHERE EXISTS (SELECT 1 FROM domain_events ev WHERE ev.tenant_id = t.id AND ev.created_at < $1)
          ORDER BY t.id`,
        [cutoff],
      ),
    );
    const counts: PurgeCounts = { deliveries: 0, events: 0, previousSecrets: 0, sealedSecrets: 0 };
    for (const { id } of tenants) {
      // Deliveries first: their events only become unreferenced once they are gone.
      counts.deliveries += await this.inBatches(PURGE_DELIVERIES, id, cutoff, DELIVERY_BATCH);
      counts.events += await this.inBatches(PURGE_EVENTS, id, cutoff, EVENT_BATCH);
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
      const rows: Array<{ tenant_id: string; id: string; secret: string; previous_secret: string | null }> =
        await this.systemDb.transaction((m) =>
          m.query(
            `SELECT tenant_id, id, secret, previous_secret FROM webhook_endpoints
              WHERE secret NOT LIKE 'v1.%' OR previous_secret NOT LIKE 'v1.%' LIMIT 100`,
          ),
        );
      if (rows.length === 0) return sealed;
      const seal = (value: string | null) =>
        value === null || SecretBox.isSealed(value) ? value : this.box.seal(value);
      const [{ n }]: Array<{ n: number }> = await this.systemDb.transaction((m) =>
        m.query(
          `WITH sealed AS (
             UPDATE webhook_endpoints e SET secret = r.sealed, previous_secret = r.previous_sealed
               FROM jsonb_to_recordset($1::jsonb) AS r (tenant_id uuid, id uuid, secret text, previous_secret text,
                      sealed text, previous_sealed text)
              WHERE e.tenant_id = r.tenant_id AND e.id = r.id AND e.secret = r.secret
                AND e.previous_secret IS NOT DISTINCT FROM r.previous_secret
             RETURNING 1)
           SELECT count(*)::int AS n FROM sealed`,
          [
            JSON.stringify(
              rows.map((r) => ({ ...r, sealed: seal(r.secret), previous_sealed: seal(r.previous_secret) })),
            ),
          ],
        ),
      );
      sealed += n;
      if (n === 0) return sealed; // every row changed under us; the next run picks them up
    }
  }

  /**
   * Until a batch finds nothing, rather than until one comes back short: a delivery whose re-send went in the
   * same batch only becomes purgeable in the next one.
   */
  private async inBatches(sql: string, tenantId: string, cutoff: Date, batch: number): Promise<number> {
    let total = 0;
    for (;;) {
      const [{ n }]: Array<{ n: number }> = await this.systemDb.transaction((m) =>
        m.query(sql, [tenantId, cutoff, batch]),
      );
      if (n === 0) return total;
      total += n;
    }
  }

  /**
   * The deliverer already ignores an expired previous secret; this removes it from the database too (signing
   * key material is not kept longer than it is used). Not a change an admin made: the version stays.
   */
  private async forgetExpiredPreviousSecrets(): Promise<number> {
    const [{ n }]: Array<{ n: number }> = await this.systemDb.transaction((m) =>
      m.query(
        `WITH forgotten AS (
           UPDATE webhook_endpoints SET previous_secret = NULL, previous_secret_expires_at = NULL
            WHERE previous_secret_expires_at <= now()
           RETURNING 1)
         SELECT count(*)::int AS n FROM forgotten`,
      ),
    );
    return n;
  }
}
