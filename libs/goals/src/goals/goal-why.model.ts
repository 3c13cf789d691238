import { Field, ID, InputType, Int, ObjectType } from '@nestjs/graphql';
import {
  ArrayMaxSize,
  IsInt,
  IsOptional,
  IsString,
  IsUUID,
  Max,
  MaxLength,
  Min,
  MinLength,
} from 'class-validator';
import { GOAL_LIMITS } from './goal.limits.js';

/** The seeds' "why": the stronger the why, the easier the how. */
@ObjectType({
  description: 'Why the client wants the goal, and the authenticity check against values and strengths.',
})
export class GoalWhy {
  @Field(() => String, { nullable: true, description: 'The motivation statement.' })
  motivation: string | null;

  @Field(() => String, {
    nullable: true,
    description: 'How will achieving it energize the client’s work life?',
  })
  energizesWorkLife: string | null;

  @Field(() => String, { nullable: true, description: 'How will it fulfil the client personally?' })
  fulfilsPersonally: string | null;

  @Field(() => String, {
    nullable: true,
    description: 'Does it align with their core values and vision of who they want to be?',
  })
  alignsWithValues: string | null;

  @Field(() => Int, { nullable: true, description: 'How strong the why is, 1 (weak) to 10 (strong).' })
  strength: number | null;

  @Field(() => [String], {
    description:
      'Values named in free text. Prefer linking the client’s profile (linkedValues): names count for authenticity only when they match a profile entry.',
  })
  values: string[];

  @Field(() => [String], { description: 'Strengths named in free text (see `values`).' })
  strengths: string[];

  /** The goal, for the linked profile entries (not a GraphQL field). */
  goalId: string;
}

const WHY_TEXT = `Up to ${GOAL_LIMITS.whyText} characters; null clears it.`;
const LIST = `Up to ${GOAL_LIMITS.listItems} entries of 1 to ${GOAL_LIMITS.listItem} characters; replaces the list.`;
const LINKS = (kind: string) =>
  `Ids of entries of the client’s profile (kind ${kind}, in use) this goal links to, up to ${GOAL_LIMITS.listItems}; replaces the links (null or [] clears). Links survive renames.`;

/** On update, omitted fields stay as they are and null clears one. */
@InputType()
export class GoalWhyInput {
  @Field(() => String, { nullable: true, description: `The motivation statement. ${WHY_TEXT}` })
  @IsOptional()
  @IsString()
  @MaxLength(GOAL_LIMITS.whyText)
  motivation?: string | null;

  @Field(() => String, { nullable: true, description: `How it energizes work life. ${WHY_TEXT}` })
  @IsOptional()
  @IsString()
  @MaxLength(GOAL_LIMITS.whyText)
  energizesWorkLife?: string | null;

  @Field(() => String, { nullable: true, description: `How it fulfils personally. ${WHY_TEXT}` })
  @IsOptional()
  @IsString()
  @MaxLength(GOAL_LIMITS.whyText)
  fulfilsPersonally?: string | null;

  @Field(() => String, { nullable: true, description: `How it aligns with values. ${WHY_TEXT}` })
  @IsOptional()
  @IsString()
  @MaxLength(GOAL_LIMITS.whyText)
  alignsWithValues?: string | null;

  @Field(() => Int, { nullable: true, description: 'Why-strength, 1 to 10; null clears it.' })
  @IsOptional()
  @IsInt()
  @Min(1)
  @Max(10)
  strength?: number | null;

  @Field(() => [String], { nullable: true, description: `Linked values. ${LIST}` })
  @IsOptional()
  @ArrayMaxSize(GOAL_LIMITS.listItems)
  @IsString({ each: true })
  @MinLength(1, { each: true })
  @MaxLength(GOAL_LIMITS.listItem, { each: true })
  values?: string[] | null;

  @Field(() => [String], { nullable: true, description: `Linked strengths. ${LIST}` })
  @IsOptional()
  @ArrayMaxSize(GOAL_LIMITS.listItems)
  @IsString({ each: true })
  @MinLength(1, { each: true })
  @MaxLength(GOAL_LIMITS.listItem, { each: true })
  strengths?: string[] | null;

  @Field(() => [ID], { nullable: true, description: LINKS('VALUE') })
  @IsOptional()
  @ArrayMaxSize(GOAL_LIMITS.listItems)
  @IsUUID('all', { each: true })
  valueIds?: string[] | null;

  @Field(() => [ID], { nullable: true, description: LINKS('STRENGTH') })
  @IsOptional()
  @ArrayMaxSize(GOAL_LIMITS.listItems)
  @IsUUID('all', { each: true })
  strengthIds?: string[] | null;
}
