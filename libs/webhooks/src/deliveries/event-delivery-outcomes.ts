import { Injectable } from '@nestjs/common';
import { type TenantTransaction } from '#cairn/shared/database';
import { type EventDeliveryOutcome, EventDeliveryOutcomes } from '#cairn/shared/events';

/** The events contract's outcomes port, answered from the firm's endpoints' deliveries. */
@Injectable()
export class WebhookDeliveryOutcomes extends EventDeliveryOutcomes {
  override async of(tx: TenantTransaction, eventIds: string[]): Promise<Map<string, EventDeliveryOutcome>> {
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
