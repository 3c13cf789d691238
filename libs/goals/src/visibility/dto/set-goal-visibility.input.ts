import { Field, ID, InputType, Int } from '@nestjs/graphql';
import {
  ArrayUnique,
  IsArray,
  IsBoolean,
  IsEnum,
  IsInt,
  IsOptional,
  IsString,
  IsUUID,
  MaxLength,
  Min,
} from 'class-validator';
import { GoalAudience } from '../goal-visibility.js';

export const CONSENT_NOTE_MAX = 400;

@InputType({
  description:
    'Who besides the client may see a goal. The client sets it; anyone else needs the client’s consent (consentNote, kept in the goal’s revisions with who and when).',
})
export class SetGoalVisibilityInput {
  @Field(() => ID)
  @IsUUID()
  id: string;

  @Field(() => Int, { description: 'The goal `version` you read; another current version is a CONFLICT.' })
  @IsInt()
  @Min(1)
  expectedVersion: number;

  @Field(() => [GoalAudience], { description: '[] makes the goal private: only the client sees it.' })
  @IsArray()
  @ArrayUnique()
  @IsEnum(GoalAudience, { each: true })
  audiences: GoalAudience[];

  @Field(() => Boolean, {
    nullable: true,
    defaultValue: false,
    description:
      'The client only: let this sub-goal be seen by more people than its parent, and keep its audiences when the parent becomes more private.',
  })
  @IsOptional()
  @IsBoolean()
  exceedParent?: boolean | null;

  @Field(() => String, {
    nullable: true,
    description: `Required when not the client: how the client consented (e.g. “agreed in our session of 3 March”). Up to ${CONSENT_NOTE_MAX} characters.`,
  })
  @IsOptional()
  @IsString()
  @MaxLength(CONSENT_NOTE_MAX)
  consentNote?: string | null;
}
