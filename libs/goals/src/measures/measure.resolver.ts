import { Args, Float, Int, Mutation, Parent, ResolveField, Resolver } from '@nestjs/graphql';
import { User } from '#cairn/identity';
import { ApiScope, CurrentPrincipal, type Principal, RequireScopes } from '#cairn/shared/auth';
import { Goal } from '../goals/goal.entity.js';
import { GoalLoader } from '../goals/goal.loader.js';
import { currentValue, measureProgress } from '../progress/progress-formula.js';
import {
  AddGoalMeasureInput,
  RecordProgressInput,
  RemoveGoalMeasureInput,
  UpdateGoalMeasureInput,
} from './dto/measure.inputs.js';
import { GoalMeasure } from './goal-measure.entity.js';
import { GoalMeasurePayload, RecordProgressPayload } from './measure.payloads.js';
import { MeasureService } from './measure.service.js';
import { ProgressUpdate } from './progress-update.entity.js';

/** Parent-only field resolvers take the parent undecorated, as in GoalResolver. */
@Resolver(() => GoalMeasure)
export class MeasureResolver {
  constructor(private readonly measures: MeasureService) {}

  @RequireScopes(ApiScope.GOALS_WRITE)
  @Mutation(() => GoalMeasurePayload)
  addGoalMeasure(@CurrentPrincipal() principal: Principal, @Args('input') input: AddGoalMeasureInput) {
    return this.measures.add(principal, input);
  }

  @RequireScopes(ApiScope.GOALS_WRITE)
  @Mutation(() => GoalMeasurePayload)
  updateGoalMeasure(@CurrentPrincipal() principal: Principal, @Args('input') input: UpdateGoalMeasureInput) {
    return this.measures.update(principal, input);
  }

  @RequireScopes(ApiScope.GOALS_WRITE)
  @Mutation(() => Goal, { description: 'Returns the goal with its new version.' })
  removeGoalMeasure(@CurrentPrincipal() principal: Principal, @Args('input') input: RemoveGoalMeasureInput) {
    return this.measures.remove(principal, input);
  }

  @RequireScopes(ApiScope.GOALS_WRITE)
  @Mutation(() => RecordProgressPayload, {
    description: 'Coaches, admins and the client themself may record progress.',
  })
  recordProgress(@CurrentPrincipal() principal: Principal, @Args('input') input: RecordProgressInput) {
    return this.measures.record(principal, input);
  }

  @ResolveField(() => Float, {
    nullable: true,
    description:
      'MILESTONE: 1 done / 0 not; NUMERIC, PERCENTAGE: the latest update by occurredAt, else the baseline; COUNT: occurrences within the period. Corrected updates do not count.',
  })
  currentValue(measure: GoalMeasure): number | null {
    return currentValue(measure);
  }

  @ResolveField(() => Float, {
    description:
      'Derived 0–100. MILESTONE: 100 when done; NUMERIC, PERCENTAGE: (current − baseline) / (target − baseline) × 100, clamped; COUNT: occurrences in period / target × 100, capped.',
  })
  progress(measure: GoalMeasure): number {
    return Math.round(measureProgress(measure) * 10) / 10;
  }

  @ResolveField(() => Boolean, { description: 'Progress has reached 100.' })
  done(measure: GoalMeasure): boolean {
    return measureProgress(measure) >= 100;
  }

  @ResolveField(() => [ProgressUpdate], {
    description: 'The latest `last` (1–100) updates by occurredAt (ties: latest recorded), corrected ones included.',
  })
  updates(@Parent() measure: GoalMeasure, @Args('last', { type: () => Int, defaultValue: 20 }) last: number) {
    return this.measures.recentUpdates(measure.id, Math.min(Math.max(last, 1), 100));
  }
}

@Resolver(() => ProgressUpdate)
export class ProgressUpdateResolver {
  constructor(private readonly loader: GoalLoader) {}

  @ResolveField(() => User, {
    nullable: true,
    description: 'Null when recorded with an API key (see recordedByApiKeyId).',
  })
  recordedBy(update: ProgressUpdate): Promise<User | null> {
    return this.loader.user(update.recordedByUserId);
  }
}
