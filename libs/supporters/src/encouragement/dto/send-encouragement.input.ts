import { Field, ID, InputType } from '@nestjs/graphql';
import { IsOptional, IsString, IsUUID, MaxLength, MinLength } from 'class-validator';

export const ENCOURAGEMENT_MAX = 1000;

@InputType()
export class SendEncouragementInput {
  @Field({ description: `1 to ${ENCOURAGEMENT_MAX} characters (trimmed).` })
  @IsString()
  @MinLength(1)
  @MaxLength(ENCOURAGEMENT_MAX)
  message: string;

  @Field(() => ID, { nullable: true, description: 'A goal the client shares with you, if it is about one.' })
  @IsOptional()
  @IsUUID()
  goalId?: string | null;
}
