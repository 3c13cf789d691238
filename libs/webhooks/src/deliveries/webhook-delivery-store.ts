import { Injectable } from '@nestjs/common';
import { sql } from 'kysely';
import { SystemDatabase, TenantDatabase } from '#cairn/shared/database';
import {
  type ClaimedDelivery,
  type DeliveryRef,
  type DeliveryStore,
  type FinishedAttempt,
  finishedState,
  leaseEnd,
  renewLeases,
  startAttempts,
} from '#cairn/shared/delivery';
import { WebhookDeliveryStatus } from './webhook-delivery-status.enum.js';

/** A webhook delivery claimed for one attempt, with its endpoint and event. */
export interface ClaimedWebhook extends ClaimedDelivery {
  tenantId: string;
  url: string;
  secret: string;
  /** Set only while the last rotation's overlap window is open. */
  previousSecret: string | null;
  eventId: string;
  eventType: string;
  payload: unknown;
  occurredAt: Date;
}

const STATUS_OF = {
  sent: WebhookDeliveryStatus.DELIVERED,
  retrying: WebhookDeliveryStatus.PENDING,
  failed: WebhookDeliveryStatus.FAILED,
};

/** The engine's view of webhook_deliveries (of enabled endpoints) and webhook_delivery_attempts. */
@Injectable()
export class WebhookDeliveryStore implements DeliveryStore<ClaimedWebhook> {
  constructor(
    private readonly tenantDb: TenantDatabase,
    private readonly systemDb: SystemDatabase,
  ) {}

  /** Due deliveries (new, retries, expired leases) of every tenant whose endpoint is enabled, oldest due first. */
  due(limit: number): Promise<Array<DeliveryRef & { tenantId: string }>> {
    return this.systemDb.transaction(async (_m, db) => {
      const rows = await db
        .selectFrom('webhook_deliveries as d')
        .innerJoin('webhook_endpoints as e', (join) =>
          join.onRef('e.tenant_id', '=', 'd.tenant_id').onRef('e.id', '=', 'd.endpoint_id'),
        )
        .select(['d.tenant_id', 'd.id', 'd.attempt_count'])
        .where('d.status', '=', WebhookDeliveryStatus.PENDING)
        .where('d.next_attempt_at', '<=', sql<Date>`now()`)
        .where('e.enabled', '=', true)
        .orderBy('d.next_attempt_at')
        .limit(limit)
        .execute();
      return rows.map((r) => ({ tenantId: r.tenant_id, deliveryId: r.id, attempt: r.attempt_count + 1 }));
    });
  }

  claim(refs: DeliveryRef[], leaseMs: number): Promise<ClaimedWebhook[]> {
    return this.tenantDb.transaction(async (tx) => {
      const claimed = await tx.db
        .updateTable('webhook_deliveries as d')
        .from('webhook_endpoints as e')
        .set((eb) => ({ attempt_count: eb('d.attempt_count', '+', 1), next_attempt_at: leaseEnd(leaseMs) }))
        .whereRef('e.id', '=', 'd.endpoint_id')
        .where('e.enabled', '=', true)
        .where('d.status', '=', WebhookDeliveryStatus.PENDING)
        .where('d.next_attempt_at', '<=', sql<Date>`now()`)
        .where((eb) =>
          eb(
            eb.refTuple('d.id', 'd.attempt_count'),
            'in',
            refs.map((r) => eb.tuple(r.deliveryId, r.attempt - 1)),
          ),
        )
        .returning([
          'd.id',
          'd.attempt_count',
          'd.created_at',
          'd.event_id',
          'e.url',
          'e.secret',
          sql<string | null>`CASE WHEN e.previous_secret_expires_at > now() THEN e.previous_secret END`.as(
            'previous_secret',
          ),
        ])
        .execute();
      if (claimed.length === 0) return [];
      await startAttempts(tx.db, 'webhook_delivery_attempts', claimed);
      const events = await tx.db
        .selectFrom('domain_events')
        .select(['id', 'type', 'payload', 'occurred_at'])
        .where(
          'id',
          'in',
          claimed.map((c) => c.event_id),
        )
        .execute();
      const byId = new Map(events.map((e) => [e.id, e]));
      return claimed.map((c) => {
        const event = byId.get(c.event_id)!;
        return {
          tenantId: tx.tenantId,
          deliveryId: c.id,
          attempt: c.attempt_count,
          createdAt: new Date(c.created_at),
          url: c.url,
          secret: c.secret,
          previousSecret: c.previous_secret,
          eventId: event.id,
          eventType: event.type,
          payload: event.payload,
          occurredAt: new Date(event.occurred_at),
        };
      });
    });
  }

  renew(claimed: DeliveryRef[], leaseMs: number): Promise<void> {
    return this.tenantDb.transaction((tx) =>
      renewLeases(tx.db, 'webhook_deliveries', WebhookDeliveryStatus.PENDING, claimed, leaseMs),
    );
  }

  /** The deliveries still at these attempts, and the attempts' log rows, as two updates of one WITH. */
  record(done: FinishedAttempt<ClaimedWebhook>[]): Promise<Set<string>> {
    const rows = done.map((d) => ({
      id: d.item.deliveryId,
      attempt: d.item.attempt,
      status: STATUS_OF[d.result],
      next_attempt_at: d.nextAttemptAt,
      status_code: d.outcome.statusCode ?? null,
      error: d.outcome.sent ? null : d.outcome.error.slice(0, 1000),
      finished_at: d.finishedAt,
      duration_ms: Math.max(0, Math.round(d.outcome.durationMs)),
      succeeded: d.outcome.sent,
      state: finishedState(d.outcome.sent),
    }));
    // One statement (a slot waits for it before its next send). A delivery whose endpoint was deleted meanwhile
    // is gone, and one taken over after its lease ran out is at a later attempt: neither is updated.
    return this.tenantDb.transaction(async (tx) => {
      const changed = await tx.db
        .with(
          'r',
          () => sql<
            (typeof rows)[number]
          >`(SELECT * FROM jsonb_to_recordset(${JSON.stringify(rows)}::jsonb) AS r (
            id uuid, attempt int, status text, next_attempt_at timestamptz, status_code int, error text,
            finished_at timestamptz, duration_ms int, succeeded boolean, state text))`,
        )
        .with('changed', (db) =>
          db
            .updateTable('webhook_deliveries as d')
            .from('r')
            .set((eb) => ({
              status: eb.ref('r.status'),
              next_attempt_at: eb.ref('r.next_attempt_at'),
              last_status_code: eb.ref('r.status_code'),
              last_error: eb.ref('r.error'),
              delivered_at: sql<Date | null>`CASE WHEN r.status = 'DELIVERED' THEN r.finished_at END`,
              failed_at: sql<Date | null>`CASE WHEN r.status = 'FAILED' THEN r.finished_at END`,
            }))
            .whereRef('d.id', '=', 'r.id')
            .whereRef('d.attempt_count', '=', 'r.attempt')
            .where('d.status', '=', WebhookDeliveryStatus.PENDING)
            .returning('d.id'),
        )
        .with('logged', (db) =>
          db
            .updateTable('webhook_delivery_attempts as a')
            .from('r')
            .set((eb) => ({
              state: eb.ref('r.state'),
              finished_at: eb.ref('r.finished_at'),
              duration_ms: eb.ref('r.duration_ms'),
              succeeded: eb.ref('r.succeeded'),
              status_code: eb.ref('r.status_code'),
              error: eb.ref('r.error'),
            }))
            .whereRef('a.delivery_id', '=', 'r.id')
            .whereRef('a.attempt_number', '=', 'r.attempt'),
        )
        .selectFrom('changed')
        .select('changed.id')
        .execute();
      return new Set(changed.map((c) => c.id));
    });
  }
}
