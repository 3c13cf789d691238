import { Module, type Type } from '@nestjs/common';
import { ClientsCoreModule } from '#cairn/clients';
import { EventsModule } from '#cairn/shared/events';
import { MessageDeliveryAttempt } from './deliveries/message-delivery-attempt.entity.js';
import { MessageDelivery } from './deliveries/message-delivery.entity.js';
import { EmailDeliverer } from './email/email-deliverer.service.js';
import { EmailDeliveryStore } from './email/email-delivery-store.js';
import { EmailEnqueuer } from './email/email-enqueuer.js';
import { EmailTransport } from './email/email-transport.js';
import { SendEmailJob } from './jobs/send-email.job.js';
import { MessageDeliveryResolver, MessageResolver } from './messages/message.resolver.js';
import { MessageService } from './messages/message.service.js';
import { Message } from './messages/message.entity.js';
import { EmailOptOuts } from './unsubscribe/email-opt-outs.js';
import { UnsubscribeController } from './unsubscribe/unsubscribe.controller.js';
import { UnsubscribeLinks } from './unsubscribe/unsubscribe-links.js';
import { Messaging1763900000900 } from './migrations/1763900000900-messaging.js';
import { MessageWebhookEvents1763900000930 } from './migrations/1763900000930-message-webhook-events.js';
import { InvitationMessages1763900002300 } from './migrations/1763900002300-invitation-messages.js';
import { MessageDeliveryAttemptsStarted1763900002400 } from './migrations/1763900002400-delivery-attempts-started.js';
import { MessageListMember1763900002850 } from './migrations/1763900002850-message-list-member.js';

export const messagingEntities: Type[] = [Message, MessageDelivery, MessageDeliveryAttempt];
export const messagingMigrations: Type[] = [
  Messaging1763900000900,
  MessageWebhookEvents1763900000930,
  InvitationMessages1763900002300,
  MessageDeliveryAttemptsStarted1763900002400,
  MessageListMember1763900002850,
];
export const messagingResolvers: Type[] = [MessageResolver, MessageDeliveryResolver];

const services = [
  MessageService,
  EmailTransport,
  EmailEnqueuer,
  EmailDeliverer,
  EmailDeliveryStore,
  EmailOptOuts,
  UnsubscribeLinks,
];

/** Messages to people over email, the in-app feed and webhooks, with a delivery log. API and worker. */
@Module({
  imports: [ClientsCoreModule, EventsModule],
  providers: services,
  exports: services,
})
export class MessagingCoreModule {}

/** The API's side: the delivery log in GraphQL and the one-click unsubscribe endpoint. */
@Module({
  imports: [MessagingCoreModule],
  providers: messagingResolvers,
  controllers: [UnsubscribeController],
})
export class MessagingModule {}

/** The worker's side: email attempts and the sweep behind them. */
@Module({ imports: [MessagingCoreModule], providers: [SendEmailJob] })
export class MessagingJobsModule {}
