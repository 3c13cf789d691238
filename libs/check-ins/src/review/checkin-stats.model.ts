import { Field, Float, GraphQLISODateTime, Int, ObjectType } from '@nestjs/graphql';

@ObjectType()
export class ScorePoint {
  @Field(() => GraphQLISODateTime)
  opensAt: Date;

  @Field(() => Float)
  value: number;
}

@ObjectType({ description: 'A SCALE or NUMBER prompt’s answers over time.' })
export class PromptScores {
  @Field()
  key: string;

  @Field()
  label: string;

  @Field(() => Float)
  average: number;

  @Field(() => [ScorePoint], { description: 'Oldest first; the latest submission of each check-in.' })
  points: ScorePoint[];
}

/** How a client keeps up with their check-ins, for the coach's review. */
@ObjectType()
export class CheckInStats {
  @Field(() => Int, { description: 'Check-ins that were due: submitted, or closed without an answer (excused ones left out).' })
  due: number;

  @Field(() => Int)
  submitted: number;

  @Field(() => Int, { description: 'Closed without an answer (late answers turn them into submitted).' })
  missed: number;

  @Field(() => Float, { nullable: true, description: 'submitted / due, 0–1; null when nothing was due yet.' })
  completionRate: number | null;

  @Field(() => Int, { description: 'Consecutive submitted check-ins, counting back from the latest due one.' })
  currentStreak: number;

  @Field(() => [PromptScores])
  scores: PromptScores[];
}
