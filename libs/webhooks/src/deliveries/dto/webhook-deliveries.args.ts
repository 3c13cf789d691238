import { ArgsType, Field, ID } from '@nestjs/graphql';
import { IsEnum, IsOptional, IsUUID } from 'class-validator';
import { ConnectionArgs } from '#cairn/shared/graphql';
import { WebhookDeliveryStatus } from '../webhook-delivery-status.enum.js';

@ArgsType()
export class WebhookDeliveriesArgs extends ConnectionArgs {
  @Field(() => ID, { nullable: true, description: 'Only this endpoint’s deliveries.' })
  @IsOptional()
  @IsUUID()
  endpointId?: string;

  @Field(() => ID, {
    nullable: true,
    description: 'Only this event’s deliveries (a message’s `webhookEventId`).',
  })
  @IsOptional()
  @IsUUID()
  eventId?: string;

  @Field(() => WebhookDeliveryStatus, { nullable: true })
  @IsOptional()
  @IsEnum(WebhookDeliveryStatus)
  status?: WebhookDeliveryStatus;
}
