import { Field, ID, InputType, Int, ObjectType, PartialType } from '@nestjs/graphql';
import {
  ArrayMaxSize,
  ArrayMinSize,
  ArrayUnique,
  IsBoolean,
  IsEnum,
  IsInt,
  IsOptional,
  IsString,
  IsUUID,
  MaxLength,
  Min,
  MinLength,
} from 'class-validator';
import { WebhookEventType } from '../../webhook-event-type.enum.js';
import { WebhookEndpoint } from '../webhook-endpoint.entity.js';

const URL_DESCRIPTION =
  'Where events are POSTed. https (http only in development and test); loopback, private, link-local and ' +
  'unique-local addresses are refused unless WEBHOOK_ALLOW_PRIVATE_TARGETS is on. Up to 2000 characters.';

@InputType()
export class CreateWebhookEndpointInput {
  @Field({ description: URL_DESCRIPTION })
  @IsString()
  @MinLength(1)
  @MaxLength(2000)
  url: string;

  @Field(() => [WebhookEventType], { description: 'At least one event type.' })
  @ArrayMinSize(1, { message: 'eventTypes must list at least one event type' })
  @ArrayMaxSize(50)
  @ArrayUnique()
  @IsEnum(WebhookEventType, { each: true })
  eventTypes: WebhookEventType[];

  @Field(() => String, { nullable: true, description: 'What the endpoint is for. Up to 500 characters.' })
  @IsOptional()
  @IsString()
  @MaxLength(500)
  description?: string | null;
}

/** createWebhookEndpoint's fields, each optional (a null url or eventTypes passes validation and is ignored, as before). */
@InputType()
export class UpdateWebhookEndpointInput extends PartialType(CreateWebhookEndpointInput) {
  @Field(() => ID)
  @IsUUID()
  id: string;

  @Field(() => Int)
  @IsInt()
  @Min(1)
  expectedVersion: number;

  @Field({ nullable: true, description: 'false pauses deliveries (they wait); true resumes them.' })
  @IsOptional()
  @IsBoolean()
  enabled?: boolean;

  // A description that differs from createWebhookEndpoint's.
  @Field(() => String, { nullable: true, description: 'Up to 500 characters; null clears it.' })
  override description?: string | null;
}

@ObjectType()
export class WebhookEndpointWithSecret {
  @Field(() => WebhookEndpoint)
  endpoint: WebhookEndpoint;

  @Field({
    description: 'Signs every delivery (`Cairn-Signature`). Shown only now; keep it with the receiver.',
  })
  secret: string;
}
