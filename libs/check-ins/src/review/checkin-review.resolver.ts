import { Args, Field, ID, InputType, Mutation, Parent, Query, ResolveField, Resolver } from '@nestjs/graphql';
import { IsBoolean, IsOptional, IsString, IsUUID, MaxLength, MinLength } from 'class-validator';
import { ApiScope, CurrentPrincipal, type Principal, RequireScopes, Role, Roles } from '#cairn/shared/auth';
import { IdPipe } from '#cairn/shared/graphql';
import { CheckIn } from '../occurrences/check-in.entity.js';
import { CheckInFeedback } from './checkin-feedback.entity.js';
import { CheckInReviewService } from './checkin-review.service.js';
import { CheckInStats } from './checkin-stats.model.js';

@InputType()
export class AddCheckInFeedbackInput {
  @Field(() => ID)
  @IsUUID()
  checkInId: string;

  @Field({ description: 'Objective feedback for the client, 1 to 4000 characters.' })
  @IsString()
  @MinLength(1)
  @MaxLength(4000)
  body: string;
}

@InputType()
export class SetCheckInFollowUpInput {
  @Field(() => ID)
  @IsUUID()
  checkInId: string;

  @Field()
  @IsBoolean()
  needsFollowUp: boolean;
}

@InputType()
export class ExcuseCheckInInput {
  @Field(() => ID)
  @IsUUID()
  checkInId: string;

  @Field(() => String, { nullable: true, description: 'Why (holiday, illness…), up to 500 characters.' })
  @IsOptional()
  @IsString()
  @MaxLength(500)
  reason?: string | null;
}

@Resolver(() => CheckIn)
export class CheckInReviewResolver {
  constructor(private readonly review: CheckInReviewService) {}

  @Roles(Role.ADMIN, Role.COACH)
  @Mutation(() => CheckInFeedback, { description: 'The client’s coaches and admins; the client can read it.' })
  addCheckInFeedback(@CurrentPrincipal() principal: Principal, @Args('input') input: AddCheckInFeedbackInput) {
    return this.review.addFeedback(principal, input.checkInId, input.body);
  }

  @Roles(Role.ADMIN, Role.COACH)
  @Mutation(() => CheckIn)
  setCheckInFollowUp(@CurrentPrincipal() principal: Principal, @Args('input') input: SetCheckInFollowUpInput) {
    return this.review.setFollowUp(principal, input.checkInId, input.needsFollowUp);
  }

  @Roles(Role.ADMIN, Role.COACH)
  @Mutation(() => CheckIn, {
    description: 'Excuses a PENDING or MISSED check-in: it takes no answer and leaves the statistics.',
  })
  excuseCheckIn(@CurrentPrincipal() principal: Principal, @Args('input') input: ExcuseCheckInInput) {
    return this.review.excuse(principal, input.checkInId, input.reason ?? null);
  }

  @RequireScopes(ApiScope.CHECKINS_READ)
  @Query(() => CheckInStats, { description: 'Completion, streak, missed count and scores over time for one client.' })
  checkInStats(
    @CurrentPrincipal() principal: Principal,
    @Args('clientId', { type: () => ID }, IdPipe) clientId: string,
  ): Promise<CheckInStats> {
    return this.review.stats(principal, clientId);
  }

  @ResolveField(() => [CheckInFeedback], { description: 'Oldest first.' })
  feedback(@Parent() checkIn: CheckIn) {
    return this.review.feedbackOf(checkIn.id);
  }
}
