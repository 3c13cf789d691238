import { Field, Float, Int, ObjectType } from '@nestjs/graphql';
import { CareerStep } from './career-step.entity.js';

@ObjectType({
  description:
    'Where the client stands on the ladder. Without a current step the client is not on the ladder yet, so ' +
    'every step is still to go.',
})
export class CareerStanding {
  @Field(() => CareerStep, { nullable: true })
  currentStep: CareerStep | null;

  @Field(() => CareerStep, { nullable: true, description: 'The step right above the current one; null at the top.' })
  nextStep: CareerStep | null;

  @Field(() => CareerStep, { nullable: true, description: 'The last step (the long-term aspiration).' })
  topStep: CareerStep | null;

  @Field(() => Int, { description: 'How many steps come after the current one.' })
  stepsToGo: number;

  @Field(() => Float, {
    description: 'Sum of `estimatedYears` of the steps after the current one, rounded to 0.1; 0 at the top.',
  })
  estimatedYearsToTop: number;

  @Field({ description: 'The current step is the last one.' })
  atTop: boolean;
}

/** `steps` in ladder order. */
export function standingOf(steps: readonly CareerStep[], currentStepId: string | null): CareerStanding {
  const currentIndex = currentStepId ? steps.findIndex((s) => s.id === currentStepId) : -1;
  const ahead = steps.slice(currentIndex + 1);
  // Summed in tenths so 0.1 + 0.2 stays 0.3.
  const tenths = ahead.reduce((sum, step) => sum + Math.round(step.estimatedYears * 10), 0);
  return {
    currentStep: currentIndex >= 0 ? steps[currentIndex] : null,
    nextStep: ahead[0] ?? null,
    topStep: steps.at(-1) ?? null,
    stepsToGo: ahead.length,
    estimatedYearsToTop: tenths / 10,
    atTop: currentIndex >= 0 && ahead.length === 0,
  };
}
