import { Injectable } from '@nestjs/common';
import { In } from 'typeorm';
import { TenantDatabase } from '#cairn/shared/database';
import { StoredEvent } from '#cairn/shared/events';
import { ConnectionShape, paginate } from '#cairn/shared/graphql';
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
      const qb = tx.repo(WebhookDelivery).queryBuilder('d');
      if (args.endpointId) qb.andWhere('d.endpoint_id = :endpointId', { endpointId: args.endpointId });
      if (args.eventId) qb.andWhere('d.event_id = :eventId', { eventId: args.eventId });
      if (args.status) qb.andWhere('d.status = :status', { status: args.status });
      return paginate(qb, 'd', args);
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
