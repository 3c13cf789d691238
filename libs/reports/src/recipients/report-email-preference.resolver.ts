import { Args, Mutation, Query, Resolver } from '@nestjs/graphql';
import { CurrentPrincipal, type Principal, Role, Roles } from '#cairn/shared/auth';
import { UpdateReportEmailPreferenceInput } from './dto/update-report-email-preference.input.js';
import { ReportEmailPreference } from './report-email-preference.model.js';
import { ReportOptOutService } from './report-opt-out.service.js';

/** Reports go to coaches, so only a coach reads or changes their own choice (no API key acts for them). */
@Resolver(() => ReportEmailPreference)
export class ReportEmailPreferenceResolver {
  constructor(private readonly optOuts: ReportOptOutService) {}

  @Roles(Role.COACH)
  @Query(() => ReportEmailPreference, { description: 'The signed-in coach’s report email choice.' })
  reportEmailPreference(@CurrentPrincipal() principal: Principal): Promise<ReportEmailPreference> {
    return this.optOuts.preferenceOf(principal.userId as string);
  }

  @Roles(Role.COACH)
  @Mutation(() => ReportEmailPreference, {
    description: 'Turns the signed-in coach’s report emails on or off; asking for what is already so changes nothing.',
  })
  updateReportEmailPreference(
    @CurrentPrincipal() principal: Principal,
    @Args('input') input: UpdateReportEmailPreferenceInput,
  ): Promise<ReportEmailPreference> {
    return this.optOuts.setEmail(principal.userId as string, input.email);
  }
}
