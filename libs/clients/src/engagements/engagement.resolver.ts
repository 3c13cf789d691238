import { Args, Mutation, Parent, ResolveField, Resolver } from '@nestjs/graphql';
import { User } from '#cairn/identity';
import { ApiScope, CurrentPrincipal, type Principal, RequireScopes, Role, Roles } from '#cairn/shared/auth';
import { Client } from '../clients/client.model.js';
import { ClientService } from '../clients/client.service.js';
import { ProfileLoader } from '../profiles/profile.loader.js';
import { StartEngagementInput, UpdateEngagementInput } from './dto/start-engagement.input.js';
import { Engagement } from './engagement.entity.js';
import { EngagementService } from './engagement.service.js';

@Resolver(() => Engagement)
export class EngagementResolver {
  constructor(
    private readonly engagements: EngagementService,
    private readonly clients: ClientService,
    private readonly profiles: ProfileLoader,
  ) {}

  @Roles(Role.ADMIN, Role.COACH)
  @RequireScopes(ApiScope.CLIENTS_WRITE)
  @Mutation(() => Engagement, { description: 'Admins staff any client; a primary coach may add a co-coach.' })
  startEngagement(@CurrentPrincipal() principal: Principal, @Args('input') input: StartEngagementInput) {
    return this.engagements.start(principal, input);
  }

  @Roles(Role.ADMIN, Role.COACH)
  @RequireScopes(ApiScope.CLIENTS_WRITE)
  @Mutation(() => Engagement, { description: 'Pause, resume or end; admins may also change who is primary.' })
  updateEngagement(@CurrentPrincipal() principal: Principal, @Args('input') input: UpdateEngagementInput) {
    return this.engagements.update(principal, input);
  }

  @ResolveField(() => Client, { nullable: true })
  client(@CurrentPrincipal() principal: Principal, @Parent() engagement: Engagement) {
    return this.clients.load(principal, engagement.clientId);
  }

  @ResolveField(() => User, { nullable: true })
  coach(@Parent() engagement: Engagement) {
    return this.profiles.user(engagement.coachId);
  }
}
