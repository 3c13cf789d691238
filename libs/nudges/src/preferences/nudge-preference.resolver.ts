import { Args, ID, Mutation, Query, Resolver } from '@nestjs/graphql';
import { ApiScope, CurrentPrincipal, type Principal, RequireScopes } from '#cairn/shared/auth';
import { IdPipe } from '#cairn/shared/graphql';
import { UpdateNudgePreferencesInput } from './dto/update-nudge-preferences.input.js';
import { NudgePreference } from './nudge-preference.entity.js';
import { NudgePreferenceService } from './nudge-preference.service.js';

@Resolver(() => NudgePreference)
export class NudgePreferenceResolver {
  constructor(private readonly preferences: NudgePreferenceService) {}

  @RequireScopes(ApiScope.CHECKINS_READ)
  @Query(() => NudgePreference, { description: 'A client’s nudge preferences: the client, their coaches, admins.' })
  nudgePreferences(
    @CurrentPrincipal() principal: Principal,
    @Args('clientId', { type: () => ID }, IdPipe) clientId: string,
  ): Promise<NudgePreference> {
    return this.preferences.get(principal, clientId);
  }

  @RequireScopes(ApiScope.CHECKINS_WRITE)
  @Mutation(() => NudgePreference, {
    description: 'Opt out of nudges, mute rules, or turn channels off: the client themself (or a partner acting as them) or an admin.',
  })
  updateNudgePreferences(
    @CurrentPrincipal() principal: Principal,
    @Args('input') input: UpdateNudgePreferencesInput,
  ): Promise<NudgePreference> {
    return this.preferences.update(principal, input);
  }
}
