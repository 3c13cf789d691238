import { Injectable } from '@nestjs/common';
import { type TenantTransaction } from '#cairn/shared/database';

/** How the firm's endpoints took one event, each endpoint by its latest delivery (a resend replaces a failure). */
export interface EventDeliveryOutcome {
  endpoints: number;
  delivered: number;
  failed: number;
  /** Waiting for their next attempt. */
  pending: number;
  /** Pending, but their endpoint is disabled: nothing is tried until an admin enables it again. */
  held: number;
  /** The most attempts any endpoint's delivery took so far. */
  attempts: number;
  /** The earliest next attempt among the pending ones. */
  nextAttemptAt: Date | null;
  /** When the last endpoint accepted it, once all have. */
  deliveredAt: Date | null;
  failedAt: Date | null;
}

/** For other domains' logs (a message sent as a webhook event): outcomes by event id, never endpoint details. */
@Injectable()
export class EventDeliveryOutcomes {
  async of(tx: TenantTransaction, eventIds: string[]): Promise<Map<string, EventDeliveryOutcome>> {
    if (eventIds.length === 0) return new Map();
    // Named as EventDeliveryOutcome's fields, so the rows are the outcomes.
    const rows: Array<EventDeliveryOutcome & { eventId: string }> = await tx.manager.query(
      `WITH latest AS (
         SELECT DISTINCT ON (d.event_id, d.endpoint_id) d.*, e.enabled
           FROM webhook_deliveries d
           JOIN webhook_endpoints e ON e.tenant_id = d.tenant_id AND e.id = d.endpoint_id
          WHERE d.tenant_id = $1 AND d.event_id = ANY($2::uuid[])
          ORDER BY d.event_id, d.endpoint_id, d.created_at DESC, d.id DESC)
       SELECT event_id AS "eventId", count(*)::int AS endpoints,
              count(*) FILTER (WHERE status = 'DELIVERED')::int AS delivered,
              count(*) FILTER (WHERE status = 'FAILED')::int AS failed,
              count(*) FILTER (WHERE status = 'PENDING' AND enabled)::int AS pending,
              count(*) FILTER (WHERE status = 'PENDING' AND NOT enabled)::int AS held,
              max(attempt_count)::int AS attempts,
              min(next_attempt_at) FILTER (WHERE status = 'PENDING' AND enabled) AS "nextAttemptAt",
              max(delivered_at) AS "deliveredAt", max(failed_at) AS "failedAt"
         FROM latest GROUP BY event_id`,
      [tx.tenantId, eventIds],
    );
    return new Map(rows.map(({ eventId, ...outcome }) => [eventId, outcome]));
  }
}
