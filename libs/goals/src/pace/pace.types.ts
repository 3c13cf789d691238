import { Field, Float, Int, ObjectType, registerEnumType } from '@nestjs/graphql';
import { LocalDateScalar } from '#cairn/shared/graphql';
import { PaceBasis, PaceState } from './pace-model.js';

registerEnumType(PaceState, {
  name: 'PaceState',
  description: 'Whether a target will be reached by its date at the current rate (README: Goals → Pace and forecast).',
  valuesMap: {
    AHEAD: { description: 'Met, or on time at 1.25 × the required rate or more.' },
    ON_TRACK: { description: 'The forecast is on or before the target date (or too early to judge).' },
    BEHIND: { description: 'Late, at half the required rate or more.' },
    AT_RISK: { description: 'Late at under half the required rate, not moving, or the target date has passed.' },
  },
});
registerEnumType(PaceBasis, {
  name: 'PaceBasis',
  description: 'How the actual rate was estimated.',
  valuesMap: {
    RECENT_TREND: { description: 'Least-squares line through the recent updates (the window).' },
    SINCE_START: { description: 'Too few recent updates: the average since the start.' },
    RECENT_OCCURRENCES: { description: 'An open-ended habit: its last occurrences before today.' },
    NONE: { description: 'No rate: met, not started, or started today.' },
  },
});

@ObjectType('Pace', { description: 'Pace and forecast of a measure or a recurring task, as of the client’s today.' })
export class PaceView {
  @Field(() => PaceState)
  state: PaceState;

  @Field({ description: 'One sentence saying why, with the figures.' })
  explanation: string;

  @Field({ description: 'The target is reached.' })
  met: boolean;

  @Field(() => Float, {
    nullable: true,
    description: 'Units per day needed from today to reach the target on time (towards the target: positive also when lower is better).',
  })
  requiredRate: number | null;

  @Field(() => Float, { nullable: true, description: 'Units per day observed (see basis), towards the target.' })
  actualRate: number | null;

  @Field(() => PaceBasis)
  basis: PaceBasis;

  @Field(() => LocalDateScalar, { nullable: true, description: 'When the target is reached at the actual rate.' })
  forecastDate: string | null;

  @Field(() => Float, { description: 'What is left to reach the target, in its units (0 when met).' })
  remaining: number;

  @Field(() => Int, { nullable: true, description: 'Days from today to the target date; negative once passed.' })
  daysLeft: number | null;

  @Field(() => Int, { description: 'Recent updates (or occurrences) the rate was estimated from.' })
  dataPoints: number;
}

@ObjectType('GoalPace', {
  description: 'A goal’s pace: the worst of its measures’ and recurring tasks’ paces (else its progress against the straight line).',
})
export class GoalPaceView {
  @Field(() => PaceState)
  state: PaceState;

  @Field({ description: 'The worst part and why.' })
  explanation: string;

  @Field(() => LocalDateScalar, {
    nullable: true,
    description: 'The latest forecast among the parts with a target date not yet met; null when one of them has none (or none has a date).',
  })
  forecastDate: string | null;

  @Field(() => Int, { description: 'Measures and recurring tasks judged.' })
  parts: number;

  @Field(() => Int, { description: 'Of those, BEHIND or AT_RISK.' })
  partsBehind: number;
}
