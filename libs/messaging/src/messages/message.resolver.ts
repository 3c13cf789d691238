import { Args, ObjectType, Parent, Query, ResolveField, Resolver } from '@nestjs/graphql';
import { ApiScope, CurrentPrincipal, type Principal, RequireScopes } from '#cairn/shared/auth';
import { Connection, type ConnectionShape } from '#cairn/shared/graphql';
import { MessageDeliveryAttempt } from '../deliveries/message-delivery-attempt.entity.js';
import { MessageDelivery } from '../deliveries/message-delivery.entity.js';
import { MessagesArgs } from './dto/messages.args.js';
import { Message } from './message.entity.js';
import { MessageService } from './message.service.js';

@ObjectType()
export class MessageConnection extends Connection(Message) {}

@Resolver(() => Message)
export class MessageResolver {
  constructor(private readonly messageService: MessageService) {}

  @RequireScopes(ApiScope.CHECKINS_READ)
  @Query(() => MessageConnection, {
    description:
      'Nudges and reports Cairn sent, newest first, with their delivery log: your own; a coach also their clients’; an admin (or API key) the firm’s.',
  })
  messages(@CurrentPrincipal() principal: Principal, @Args() args: MessagesArgs): Promise<ConnectionShape<Message>> {
    return this.messageService.list(principal, args);
  }

  @ResolveField(() => [MessageDelivery], { description: 'One per channel.' })
  deliveries(@Parent() message: Message): Promise<MessageDelivery[]> {
    return this.messageService.deliveriesOf(message.id);
  }
}

@Resolver(() => MessageDelivery)
export class MessageDeliveryResolver {
  constructor(private readonly messageService: MessageService) {}

  @ResolveField(() => [MessageDeliveryAttempt], { description: 'Every email attempt, oldest first.' })
  attempts(@Parent() delivery: MessageDelivery): Promise<MessageDeliveryAttempt[]> {
    return this.messageService.attemptsOf(delivery.id);
  }
}
