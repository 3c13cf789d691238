import { Field, GraphQLISODateTime, ID, ObjectType } from '@nestjs/graphql';
import { AuthenticityCriterion } from '../authenticity/authenticity-criterion.enum.js';
import { SmartCriterion } from './smart-criterion.enum.js';

@ObjectType({ description: 'One criterion of the SMART assessment, computed by the server on every read.' })
export class SmartCheck {
  @Field(() => SmartCriterion)
  criterion: SmartCriterion;

  @Field()
  met: boolean;

  @Field(() => String, { nullable: true, description: 'Why it is not met and what to do; null when met.' })
  hint: string | null;

  @Field({ description: 'The firm’s policy requires it before the goal may become ACTIVE.' })
  required: boolean;
}

@ObjectType({
  description:
    'Which SMART and authenticity criteria a goal must meet before it may become ACTIVE in this firm.',
})
export class GoalPolicy {
  @Field(() => [SmartCriterion])
  requiredCriteria: SmartCriterion[];

  @Field(() => [AuthenticityCriterion], {
    description: 'Authenticity criteria required before ACTIVE; none by default.',
  })
  requiredAuthenticity: AuthenticityCriterion[];

  @Field({ description: 'True while the firm has not set its own policy (the five SMART criteria).' })
  isDefault: boolean;

  @Field(() => ID, { nullable: true })
  updatedByUserId: string | null;

  @Field(() => GraphQLISODateTime, { nullable: true })
  updatedAt: Date | null;
}
