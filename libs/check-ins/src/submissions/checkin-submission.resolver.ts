import { Args, Mutation, Parent, ResolveField, Resolver } from '@nestjs/graphql';
import { ApiScope, CurrentPrincipal, type Principal, RequireScopes, Role, Roles } from '#cairn/shared/auth';
import { BoundAnswerVisibility } from '../answers/bound-answer-visibility.service.js';
import { CheckIn } from '../occurrences/check-in.entity.js';
import { CheckInSubmission } from './checkin-submission.entity.js';
import { CheckInSubmissionService } from './checkin-submission.service.js';
import { AmendCheckInInput, SubmitCheckInInput } from './dto/submit-check-in.input.js';

@Resolver(() => CheckInSubmission)
export class CheckInSubmissionResolver {
  constructor(private readonly submissions: CheckInSubmissionService) {}

  @Roles(Role.CLIENT)
  @RequireScopes(ApiScope.CHECKINS_WRITE)
  @Mutation(() => CheckInSubmission, {
    description:
      'The client answers an open (or, late, a missed) check-in. Retrying with the same idempotencyKey returns the ' +
      'first submission. A submitted check-in is changed only by amendCheckIn.',
  })
  submitCheckIn(@CurrentPrincipal() principal: Principal, @Args('input') input: SubmitCheckInInput) {
    return this.submissions.submit(principal, input);
  }

  @Roles(Role.CLIENT)
  @RequireScopes(ApiScope.CHECKINS_WRITE)
  @Mutation(() => CheckInSubmission, { description: 'Adds a corrected submission; the original is kept.' })
  amendCheckIn(@CurrentPrincipal() principal: Principal, @Args('input') input: AmendCheckInInput) {
    return this.submissions.amend(principal, input);
  }

}

@Resolver(() => CheckIn)
export class CheckInSubmissionsFieldResolver {
  constructor(
    private readonly submissionService: CheckInSubmissionService,
    private readonly boundAnswers: BoundAnswerVisibility,
  ) {}

  @ResolveField(() => [CheckInSubmission], {
    description:
      'The original submission first, then any amendments. Answers bound to a measure of a goal you may not see are left out.',
  })
  async submissions(@CurrentPrincipal() principal: Principal, @Parent() checkIn: CheckIn) {
    return this.boundAnswers.redact(principal, checkIn.assignmentId, await this.submissionService.ofCheckIn(checkIn.id));
  }
}
