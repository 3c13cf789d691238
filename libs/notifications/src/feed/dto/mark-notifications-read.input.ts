import { Field, ID, InputType } from '@nestjs/graphql';
import { ArrayMaxSize, ArrayMinSize, IsUUID } from 'class-validator';

export const MAX_MARK_READ = 100;

@InputType()
export class MarkNotificationsReadInput {
  @Field(() => [ID], { description: `1 to ${MAX_MARK_READ} of your own notifications.` })
  @ArrayMinSize(1)
  @ArrayMaxSize(MAX_MARK_READ)
  @IsUUID(undefined, { each: true })
  ids: string[];
}
