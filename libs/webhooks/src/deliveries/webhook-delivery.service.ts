import { Injectable } from '@nestjs/common';
import { In } from 'typeorm';
import { TenantDatabase } from '#cairn/shared/database';
import { StoredEvent } from '#cairn/shared/events';
import { asNode, ConnectionShape, paginate } from '#cairn/shared/graphql';
import { WebhookEndpoint } from '../endpoints/webhook-endpoint.entity.js';
import { DeliveryEnqueuer } from '../outbox/delivery-enqueuer.js';
import { WebhookEvent } from '../outbox/webhook-event.model.js';
import { WebhookErrors } from '../webhooks.errors.js';
import { WebhookDeliveriesArgs } from './dto/webhook-deliveries.args.js';
import { WebhookDeliveryAttempt } from './webhook-delivery-attempt.entity.js';
import { WebhookDeliveryStatus } from './webhook-delivery-status.enum.js';
import { WebhookDelivery } from './webhook-delivery.entity.js';

@Injectable()
export class WebhookDeliveryService {
  constructor(
    private readonly tenantDb: TenantDatabase,
    private readonly enqueuer: DeliveryEnqueuer,
  ) {}

  list(args: WebhookDeliveriesArgs): Promise<ConnectionShape<WebhookDelivery>> {
    return this.tenantDb.transaction((tx) => {
      let query = tx.db
        .selectFrom('webhook_deliveries as d')
        .select([
          'd.id',
          'd.event_id as eventId',
          'd.endpoint_id as endpointId',
          'd.status',
          'd.attempt_count as attemptCount',
          'd.next_attempt_at as nextAttemptAt',
          'd.last_status_code as lastStatusCode',
          'd.last_error as lastError',
          'd.delivered_at as deliveredAt',
          'd.failed_at as failedAt',
          'd.resent_from_id as resentFromId',
          'd.created_at as createdAt',
        ]);
      if (args.endpointId) query = query.where('d.endpoint_id', '=', args.endpointId);
      if (args.eventId) query = query.where('d.event_id', '=', args.eventId);
      if (args.status) query = query.where('d.status', '=', args.status);
      return paginate(query, 'd', args, { node: asNode(WebhookDelivery) });
    });
  }

  /** A new PENDING delivery of the same event (same `Cairn-Event-Id`) to the same endpoint, with a fresh day of retries. */
  resend(id: string): Promise<WebhookDelivery> {
    return this.tenantDb.transaction(async (tx) => {
      const original = await tx.repo(WebhookDelivery).findOne({ id });
      if (!original) throw WebhookErrors.deliveryNotFound();
      const endpoint = await tx.repo(WebhookEndpoint).findOne({ id: original.endpointId });
      if (!endpoint?.enabled) throw WebhookErrors.endpointDisabled();
      const copy = await tx.repo(WebhookDelivery).insert({
        eventId: original.eventId,
        endpointId: original.endpointId,
        status: WebhookDeliveryStatus.PENDING,
        attemptCount: 0,
        nextAttemptAt: new Date(),
        resentFromId: original.id,
      });
      this.enqueuer.enqueueAfterCommit(tx, [{ tenantId: tx.tenantId, deliveryId: copy.id, attempt: 1 }]);
      return copy;
    });
  }

  attemptsOf(deliveryIds: readonly string[]): Promise<WebhookDeliveryAttempt[]> {
    return this.tenantDb.transaction((tx) =>
      tx.repo(WebhookDeliveryAttempt).find({
        where: { deliveryId: In([...deliveryIds]) },
        order: { attemptNumber: 'ASC' },
      }),
    );
  }

  eventsOf(eventIds: readonly string[]): Promise<WebhookEvent[]> {
    return this.tenantDb.transaction((tx) => tx.repo(StoredEvent).findBy({ id: In([...eventIds]) }));
  }
}
