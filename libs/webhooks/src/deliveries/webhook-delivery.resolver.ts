import { Args, ID, Mutation, ObjectType, Parent, Query, ResolveField, Resolver } from '@nestjs/graphql';
import { Role, Roles } from '#cairn/shared/auth';
import { Connection, ConnectionShape, IdPipe, requestLoader } from '#cairn/shared/graphql';
import { WebhookEvent } from '../outbox/webhook-event.model.js';
import { WebhookDeliveriesArgs } from './dto/webhook-deliveries.args.js';
import { WebhookDeliveryAttempt } from './webhook-delivery-attempt.entity.js';
import { WebhookDelivery } from './webhook-delivery.entity.js';
import { WebhookDeliveryService } from './webhook-delivery.service.js';

@ObjectType()
export class WebhookDeliveryConnection extends Connection(WebhookDelivery) {}

interface AttemptsOf {
  deliveryId: string;
  attempts: WebhookDeliveryAttempt[];
}

@Roles(Role.ADMIN)
@Resolver(() => WebhookDelivery)
export class WebhookDeliveryResolver {
  constructor(private readonly deliveries: WebhookDeliveryService) {}

  @Query(() => WebhookDeliveryConnection, { description: 'Newest last; filter by endpoint and status.' })
  webhookDeliveries(@Args() args: WebhookDeliveriesArgs): Promise<ConnectionShape<WebhookDelivery>> {
    return this.deliveries.list(args);
  }

  @Mutation(() => WebhookDelivery, {
    description: 'Sends the same event to the same endpoint again, as a new delivery.',
  })
  resendWebhookDelivery(@Args('id', { type: () => ID }, IdPipe) id: string): Promise<WebhookDelivery> {
    return this.deliveries.resend(id);
  }

  @ResolveField(() => [WebhookDeliveryAttempt], { description: 'Oldest first.' })
  async attempts(@Parent() delivery: WebhookDelivery): Promise<WebhookDeliveryAttempt[]> {
    const loader = requestLoader<string, AttemptsOf>(
      'webhookDeliveryAttempts',
      async (ids) => {
        const all = await this.deliveries.attemptsOf(ids);
        return ids.map((deliveryId) => ({
          deliveryId,
          attempts: all.filter((a) => a.deliveryId === deliveryId),
        }));
      },
      (group) => group.deliveryId,
    );
    return (await loader.load(delivery.id))?.attempts ?? [];
  }

  @ResolveField(() => WebhookEvent)
  async event(@Parent() delivery: WebhookDelivery): Promise<WebhookEvent> {
    const loader = requestLoader<string, WebhookEvent>(
      'webhookEvents',
      (ids) => this.deliveries.eventsOf(ids),
      (event) => event.id,
    );
    return (await loader.load(delivery.eventId)) as WebhookEvent;
  }
}

@Resolver(() => WebhookEvent)
export class WebhookEventResolver {
  @ResolveField(() => String, {
    description: 'The `data` object sent to receivers, as JSON text (ids only).',
  })
  data(@Parent() event: WebhookEvent): string {
    return JSON.stringify(event.payload);
  }
}
