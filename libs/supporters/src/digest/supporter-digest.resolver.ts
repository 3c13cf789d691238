import { Args, ID, Mutation, Query, Resolver } from '@nestjs/graphql';
import {
  ApiScope,
  CurrentPrincipal,
  type Principal,
  RequireScopes,
  Role,
  Roles,
  Self,
} from '#cairn/shared/auth';
import { IdPipe } from '#cairn/shared/graphql';
import { SupporterDigestSettingsService } from './supporter-digest-settings.service.js';
import { SupporterDigestSettings, UpdateSupporterDigestInput } from './supporter-digest.types.js';

@Resolver(() => SupporterDigestSettings)
export class SupporterDigestResolver {
  constructor(private readonly settings: SupporterDigestSettingsService) {}

  @Roles(Role.CLIENT, Role.COACH, Role.ADMIN)
  @Self()
  @RequireScopes(ApiScope.SUPPORTERS_READ)
  @Query(() => SupporterDigestSettings, { description: 'How often the client’s supporters get a digest.' })
  supporterDigestSettings(
    @CurrentPrincipal() principal: Principal,
    @Args('clientId', { type: () => ID }, IdPipe) clientId: string,
  ): Promise<SupporterDigestSettings> {
    return this.settings.get(principal, clientId);
  }

  @Roles(Role.CLIENT)
  @Self()
  @RequireScopes(ApiScope.SUPPORTERS_WRITE)
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
