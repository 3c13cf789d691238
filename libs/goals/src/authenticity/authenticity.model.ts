import { Field, ObjectType } from '@nestjs/graphql';
import { AuthenticityCriterion } from './authenticity-criterion.enum.js';

@ObjectType({ description: 'One criterion of the authenticity check, computed by the server on every read.' })
export class AuthenticityCheck {
  @Field(() => AuthenticityCriterion)
  criterion: AuthenticityCriterion;

  @Field()
  met: boolean;

  @Field({ description: 'Why it is met, or what is missing and what to do.' })
  explanation: string;

  @Field({ description: 'The firm’s policy requires it before the goal may become ACTIVE.' })
  required: boolean;
}

@ObjectType({
  description:
    'Is the goal the client’s own and true to their values and strengths (the seeds’ step 5)? Computed now, like `smart`.',
})
export class AuthenticityAssessment {
  @Field({ description: 'Every criterion is met.' })
  authentic: boolean;

  @Field({ description: 'Every criterion the firm requires is met: the check does not stand in the way of ACTIVE.' })
  meetsPolicy: boolean;

  @Field({ description: 'One line for the whole check.' })
  summary: string;

  @Field(() => [AuthenticityCheck], { description: 'Each criterion, in the order of AuthenticityCriterion.' })
  checks: AuthenticityCheck[];
}
