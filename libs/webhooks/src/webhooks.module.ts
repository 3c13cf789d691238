import { Global, Module, type Type } from '@nestjs/common';
import { SecretBox } from '#cairn/shared/auth';
import { EventDeliveryOutcomes } from '#cairn/shared/events';
import { WebhookDeliveryOutcomes } from './deliveries/event-delivery-outcomes.js';
import { WebhookDeliverer } from './deliveries/webhook-deliverer.service.js';
import { WebhookDeliveryStore } from './deliveries/webhook-delivery-store.js';
import { WebhookDeliveryAttempt } from './deliveries/webhook-delivery-attempt.entity.js';
import { WebhookDelivery } from './deliveries/webhook-delivery.entity.js';
import { WebhookDeliveryResolver, WebhookEventResolver } from './deliveries/webhook-delivery.resolver.js';
import { WebhookDeliveryService } from './deliveries/webhook-delivery.service.js';
import { WebhookEndpoint } from './endpoints/webhook-endpoint.entity.js';
import { WebhookEndpointResolver } from './endpoints/webhook-endpoint.resolver.js';
import { WebhookEndpointService } from './endpoints/webhook-endpoint.service.js';
import { DeliverWebhookJob } from './jobs/deliver-webhook.job.js';
import { DispatchDueWebhooksJob } from './jobs/dispatch-due-webhooks.job.js';
import { PurgeOldWebhooksJob } from './jobs/purge-old-webhooks.job.js';
import { Webhooks1763900000500 } from './migrations/1763900000500-webhooks.js';
import { WebhookSecretRotation1763900000510 } from './migrations/1763900000510-webhook-secret-rotation.js';
import { WebhookRetention1763900000520 } from './migrations/1763900000520-webhook-retention.js';
import { WebhookDeliveryAttemptsStarted1763900002410 } from './migrations/1763900002410-delivery-attempts-started.js';
import { DeliveryEnqueuer } from './outbox/delivery-enqueuer.js';
import { WebhookFanOut } from './outbox/webhook-fan-out.js';
import { WebhookRetention } from './outbox/webhook-retention.service.js';

export const webhooksEntities: Type[] = [
  WebhookEndpoint,
  WebhookDelivery,
  WebhookDeliveryAttempt,
];
export const webhooksMigrations: Type[] = [
  Webhooks1763900000500,
  WebhookSecretRotation1763900000510,
  WebhookRetention1763900000520,
  WebhookDeliveryAttemptsStarted1763900002410,
];
export const webhooksResolvers: Type[] = [
  WebhookEndpointResolver,
  WebhookDeliveryResolver,
  WebhookEventResolver,
];

const services = [
  WebhookFanOut,
  DeliveryEnqueuer,
  WebhookEndpointService,
  WebhookDeliveryService,
  WebhookDeliverer,
  WebhookDeliveryStore,
  WebhookRetention,
  SecretBox,
];

/** The events contract's outcomes port, app-wide: readers (messaging) import only the contract. */
@Global()
@Module({
  providers: [{ provide: EventDeliveryOutcomes, useClass: WebhookDeliveryOutcomes }],
  exports: [EventDeliveryOutcomes],
})
class WebhookOutcomesModule {}

/**
 * Outbound webhooks: a subscriber to every domain event (WebhookFanOut). No domain imports it; apps wire it,
 * and it depends on no domain lib: events carry ids, never entities.
 */
@Module({ imports: [WebhookOutcomesModule], providers: services, exports: services })
export class WebhooksCoreModule {}

@Module({ imports: [WebhooksCoreModule], providers: webhooksResolvers })
export class WebhooksModule {}

/** The worker's side: the due-delivery sweep, the delivery attempts and the retention purge. */
@Module({
  imports: [WebhooksCoreModule],
  providers: [DispatchDueWebhooksJob, DeliverWebhookJob, PurgeOldWebhooksJob],
})
export class WebhooksJobsModule {}
