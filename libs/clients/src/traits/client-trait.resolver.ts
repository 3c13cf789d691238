import { Args, ID, Mutation, Parent, Query, ResolveField, Resolver } from '@nestjs/graphql';
import { ApiScope, CurrentPrincipal, type Principal, RequireScopes, Role, Roles, Self } from '#cairn/shared/auth';
import { IdPipe } from '#cairn/shared/graphql';
import { Client } from '../clients/client.model.js';
import { ClientTrait } from './client-trait.model.js';
import { ClientTraitService } from './client-trait.service.js';
import { AddMyTraitInput, RenameMyTraitInput } from './dto/trait.inputs.js';
import { COMMON_TRAITS } from './trait-catalog.js';
import { TraitKind } from './trait-kind.enum.js';

const KIND = { type: () => TraitKind, nullable: true, description: 'Only this kind; both when omitted.' };
const INCLUDE_REMOVED = { defaultValue: false, description: 'Also the entries the client removed.' };

/**
 * The client's profile of values and strengths, which goals link to (the authenticity check). Written only by
 * the client (their own words, also through an actAsClient token with PROFILE_WRITE); read by whoever sees the
 * client.
 */
@Resolver(() => Client)
export class ClientTraitResolver {
  constructor(private readonly profile: ClientTraitService) {}

  @RequireScopes(ApiScope.PROFILE_READ)
  @Query(() => [String], {
    description: 'Common values or strengths to pick from, for a profile page; clients may use their own words too.',
  })
  commonTraits(@Args('kind', { type: () => TraitKind }) kind: TraitKind): readonly string[] {
    return COMMON_TRAITS[kind];
  }

  @Roles(Role.CLIENT)
  @Self()
  @RequireScopes(ApiScope.PROFILE_READ)
  @Query(() => [ClientTrait], { description: 'Your own values and strengths, in the order you added them.' })
  myTraits(
    @CurrentPrincipal() principal: Principal,
    @Args('kind', KIND) kind: TraitKind | null,
    @Args('includeRemoved', INCLUDE_REMOVED) includeRemoved: boolean,
  ): Promise<ClientTrait[]> {
    return this.profile.mine(principal, kind ?? null, includeRemoved);
  }

  @Roles(Role.CLIENT)
  @Self()
  @RequireScopes(ApiScope.PROFILE_WRITE)
  @Mutation(() => ClientTrait, { description: 'See AddMyTraitInput. Only the client writes their profile.' })
  addMyTrait(@CurrentPrincipal() principal: Principal, @Args('input') input: AddMyTraitInput): Promise<ClientTrait> {
    return this.profile.add(principal, input);
  }

  @Roles(Role.CLIENT)
  @Self()
  @RequireScopes(ApiScope.PROFILE_WRITE)
  @Mutation(() => ClientTrait, {
    description: 'Renames an entry; goals keep their link. Another entry of the same kind with that name: BAD_USER_INPUT on `name`.',
  })
  renameMyTrait(
    @CurrentPrincipal() principal: Principal,
    @Args('input') input: RenameMyTraitInput,
  ): Promise<ClientTrait> {
    return this.profile.rename(principal, input);
  }

  @Roles(Role.CLIENT)
  @Self()
  @RequireScopes(ApiScope.PROFILE_WRITE)
  @Mutation(() => ClientTrait, {
    description:
      'Takes an entry out of your profile (removedAt set). Goals stay linked and show it, but it no longer counts for their authenticity; adding the name again restores it.',
  })
  removeMyTrait(
    @CurrentPrincipal() principal: Principal,
    @Args('id', { type: () => ID }, IdPipe) id: string,
  ): Promise<ClientTrait> {
    return this.profile.remove(principal, id);
  }

  @ResolveField(() => [ClientTrait], { description: 'The client’s own values and strengths (written only by them).' })
  traits(
    @Parent() client: Client,
    @Args('kind', KIND) kind: TraitKind | null,
    @Args('includeRemoved', INCLUDE_REMOVED) includeRemoved: boolean,
  ): Promise<ClientTrait[]> {
    return this.profile.load(client.id, kind ?? null, includeRemoved);
  }
}
