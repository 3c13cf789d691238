import { Args, ID, Mutation, Query, Resolver } from '@nestjs/graphql';
import { ApiScope, CurrentPrincipal, type Principal, Role } from '#cairn/shared/auth';
import { IdPipe } from '#cairn/shared/graphql';
import { ManagesSupporters } from '../supporter-access.decorator.js';
import { GoalShareInput, InviteSupporterInput } from './dto/supporter.inputs.js';
import { Supporter, SupporterLinkPayload } from './supporter.model.js';
import { SupporterService } from './supporter.service.js';

/* Managed by a person, the client or their coach, or a partner frontend acting as the client: ManagesSupporters. */
@Resolver(() => Supporter)
export class SupporterResolver {
  constructor(private readonly service: SupporterService) {}

  @ManagesSupporters(ApiScope.SUPPORTERS_READ, Role.CLIENT, Role.COACH, Role.ADMIN)
  @Query(() => [Supporter], { description: 'A client’s supporters (the client, their coaches, admins).' })
  supporters(
    @CurrentPrincipal() principal: Principal,
    @Args('clientId', { type: () => ID }, IdPipe) clientId: string,
    @Args('includeRevoked', { defaultValue: false }) includeRevoked: boolean,
  ): Promise<Supporter[]> {
    return this.service.list(principal, clientId, includeRevoked);
  }

  @ManagesSupporters(ApiScope.SUPPORTERS_WRITE, Role.CLIENT, Role.COACH)
  @Mutation(() => SupporterLinkPayload, {
    description:
      'Invites a supporter by email: the client for themself, or their coach with the client’s consent recorded (`clientConsent`, `consentNote`). Returns the single-use sign-in link’s token; with INVITE_URL_PATTERN set it is also emailed.',
  })
  inviteSupporter(
    @CurrentPrincipal() principal: Principal,
    @Args('input') input: InviteSupporterInput,
  ): Promise<SupporterLinkPayload> {
    return this.service.invite(principal, input);
  }

  @ManagesSupporters(ApiScope.SUPPORTERS_WRITE, Role.CLIENT, Role.COACH)
  @Mutation(() => SupporterLinkPayload, {
    description: 'A new sign-in link; unused earlier ones stop working.',
  })
  resendSupporterLink(
    @CurrentPrincipal() principal: Principal,
    @Args('id', { type: () => ID }, IdPipe) id: string,
  ): Promise<SupporterLinkPayload> {
    return this.service.resendLink(principal, id);
  }

  @ManagesSupporters(ApiScope.SUPPORTERS_WRITE, Role.CLIENT, Role.COACH, Role.ADMIN)
  @Mutation(() => Supporter, {
    description:
      'Removes a supporter: their sessions end at once (the next request is UNAUTHENTICATED) and nothing stays shared.',
  })
  revokeSupporter(
    @CurrentPrincipal() principal: Principal,
    @Args('id', { type: () => ID }, IdPipe) id: string,
  ): Promise<Supporter> {
    return this.service.revoke(principal, id);
  }

  @ManagesSupporters(ApiScope.SUPPORTERS_WRITE, Role.CLIENT)
  @Mutation(() => Supporter, {
    description: 'The client shares one of their goals with a supporter (idempotent).',
  })
  shareGoalWithSupporter(
    @CurrentPrincipal() principal: Principal,
    @Args('input') input: GoalShareInput,
  ): Promise<Supporter> {
    return this.service.share(principal, input);
  }

  @ManagesSupporters(ApiScope.SUPPORTERS_WRITE, Role.CLIENT)
  @Mutation(() => Supporter, {
    description: 'The client stops sharing a goal with a supporter (idempotent).',
  })
  unshareGoalWithSupporter(
    @CurrentPrincipal() principal: Principal,
    @Args('input') input: GoalShareInput,
  ): Promise<Supporter> {
    return this.service.unshare(principal, input);
  }
}
