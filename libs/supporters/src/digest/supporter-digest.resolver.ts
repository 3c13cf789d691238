import { Args, ID, Mutation, Query, Resolver } from '@nestjs/graphql';
import { ApiScope, CurrentPrincipal, type Principal, Role } from '#cairn/shared/auth';
import { IdPipe } from '#cairn/shared/graphql';
import { ManagesSupporters } from '../supporter-access.decorator.js';
import { SupporterDigestSettingsService } from './supporter-digest-settings.service.js';
import { SupporterDigestSettings, UpdateSupporterDigestInput } from './supporter-digest.types.js';

@Resolver(() => SupporterDigestSettings)
export class SupporterDigestResolver {
  constructor(private readonly settings: SupporterDigestSettingsService) {}

  @ManagesSupporters(ApiScope.SUPPORTERS_READ, Role.CLIENT, Role.COACH, Role.ADMIN)
  @Query(() => SupporterDigestSettings, { description: 'How often the client’s supporters get a digest.' })
  supporterDigestSettings(
    @CurrentPrincipal() principal: Principal,
    @Args('clientId', { type: () => ID }, IdPipe) clientId: string,
  ): Promise<SupporterDigestSettings> {
    return this.settings.get(principal, clientId);
  }

  @ManagesSupporters(ApiScope.SUPPORTERS_WRITE, Role.CLIENT)
  @Mutation(() => SupporterDigestSettings, {
    description: 'The client sets their supporters’ digest cadence.',
  })
  updateSupporterDigestSettings(
    @CurrentPrincipal() principal: Principal,
    @Args('input') input: UpdateSupporterDigestInput,
  ): Promise<SupporterDigestSettings> {
    return this.settings.set(principal, input);
  }
}
