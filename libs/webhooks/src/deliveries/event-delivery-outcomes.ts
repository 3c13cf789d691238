import { Injectable } from '@nestjs/common';
import { sql } from 'kysely';
import { anyOf, type TenantTransaction } from '#cairn/shared/database';
import { type EventDeliveryOutcome, EventDeliveryOutcomes } from '#cairn/shared/events';

/** `count(*)` as an int (pg's bigint would arrive as a string), of the rows the raw `filter` keeps. */
const countWhere = (filter: string) => sql<number>`(count(*) FILTER (WHERE ${sql.raw(filter)}))::int`;

/** The events contract's outcomes port, answered from the firm's endpoints' deliveries. */
@Injectable()
export class WebhookDeliveryOutcomes extends EventDeliveryOutcomes {
  override async of(tx: TenantTransaction, eventIds: string[]): Promise<Map<string, EventDeliveryOutcome>> {
    if (eventIds.length === 0) return new Map();
    // Each endpoint's latest delivery of each event (a re-send replaces the one it re-sends).
    const rows = await tx.db
      .with('latest', (db) =>
        db
          .selectFrom('webhook_deliveries as d')
          .innerJoin('webhook_endpoints as e', 'e.id', 'd.endpoint_id')
          .distinctOn(['d.event_id', 'd.endpoint_id'])
          .selectAll('d')
          .select('e.enabled')
          .where('d.event_id', '=', anyOf(eventIds, 'uuid'))
          .orderBy('d.event_id')
          .orderBy('d.endpoint_id')
          .orderBy('d.created_at', 'desc')
          .orderBy('d.id', 'desc'),
      )
      .selectFrom('latest')
      // Named as EventDeliveryOutcome's fields, so the rows are the outcomes.
      .select((eb) => [
        'event_id as eventId',
        sql<number>`count(*)::int`.as('endpoints'),
        countWhere(`status = 'DELIVERED'`).as('delivered'),
        countWhere(`status = 'FAILED'`).as('failed'),
        countWhere(`status = 'PENDING' AND enabled`).as('pending'),
        countWhere(`status = 'PENDING' AND NOT enabled`).as('held'),
        sql<number>`max(attempt_count)::int`.as('attempts'),
        sql<Date | null>`min(next_attempt_at) FILTER (WHERE status = 'PENDING' AND enabled)`.as('nextAttemptAt'),
        eb.fn.max('delivered_at').as('deliveredAt'),
        eb.fn.max('failed_at').as('failedAt'),
      ])
      .groupBy('event_id')
      .execute();
    return new Map(rows.map(({ eventId, ...outcome }) => [eventId, outcome]));
  }
}
