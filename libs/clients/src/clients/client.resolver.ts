import { Args, ID, Mutation, ObjectType, Parent, Query, ResolveField, Resolver } from '@nestjs/graphql';
import { CreatedInvitation, User } from '#cairn/identity';
import { ApiScope, CurrentPrincipal, type Principal, RequireScopes, Role, Roles, Self } from '#cairn/shared/auth';
import { Connection, type ConnectionShape, IdPipe } from '#cairn/shared/graphql';
import { Engagement } from '../engagements/engagement.entity.js';
import { EngagementService } from '../engagements/engagement.service.js';
import { Client } from './client.model.js';
import { ClientService } from './client.service.js';
import { ClientsArgs } from './dto/clients.args.js';
import { CreateClientInput } from './dto/create-client.input.js';
import { UpdateClientInput, UpdateProfileInput } from './dto/update-client.input.js';
import { ArchiveClientInput } from './dto/archive-client.input.js';

@ObjectType()
export class ClientConnection extends Connection(Client) {}

@Resolver(() => Client)
export class ClientResolver {
  constructor(
    private readonly clientService: ClientService,
    private readonly engagementService: EngagementService,
  ) {}

  @RequireScopes(ApiScope.CLIENTS_READ)
  @Query(() => ClientConnection, {
    description: 'Admins see every client, coaches the clients of their open engagements, a client themself.',
  })
  clients(@CurrentPrincipal() principal: Principal, @Args() args: ClientsArgs): Promise<ConnectionShape<Client>> {
    return this.clientService.list(principal, args);
  }

  @RequireScopes(ApiScope.CLIENTS_READ)
  @Query(() => Client, { description: 'NOT_FOUND also for clients outside your caseload.' })
  client(@CurrentPrincipal() principal: Principal, @Args('id', { type: () => ID }, IdPipe) id: string): Promise<Client> {
    return this.clientService.get(principal, id);
  }

  @Roles(Role.ADMIN, Role.COACH)
  @RequireScopes(ApiScope.CLIENTS_WRITE)
  @Mutation(() => Client, { description: 'Creates the client with a primary-coach engagement, in one step.' })
  createClient(@CurrentPrincipal() principal: Principal, @Args('input') input: CreateClientInput): Promise<Client> {
    return this.clientService.create(principal, input);
  }

  @RequireScopes(ApiScope.CLIENTS_WRITE)
  @Mutation(() => Client, { description: 'Admins, the client’s coaches, or the client themself.' })
  updateClient(@CurrentPrincipal() principal: Principal, @Args('input') input: UpdateClientInput): Promise<Client> {
    return this.clientService.update(principal, input);
  }

  @Roles(Role.ADMIN, Role.COACH)
  @RequireScopes(ApiScope.CLIENTS_WRITE)
  @Mutation(() => Client, {
    description: 'Hides the client from default lists and freezes their history read-only; nothing is deleted.',
  })
  archiveClient(@CurrentPrincipal() principal: Principal, @Args('input') input: ArchiveClientInput): Promise<Client> {
    return this.clientService.archive(principal, input.id, input.reason);
  }

  @Roles(Role.ADMIN, Role.COACH)
  @RequireScopes(ApiScope.CLIENTS_WRITE)
  @Mutation(() => Client)
  restoreClient(
    @CurrentPrincipal() principal: Principal,
    @Args('id', { type: () => ID }, IdPipe) id: string,
  ): Promise<Client> {
    return this.clientService.restore(principal, id);
  }

  @Roles(Role.ADMIN, Role.COACH)
  @Mutation(() => CreatedInvitation, {
    description:
      'Invites a client who has no login yet to set a password (`acceptInvitation`). Re-inviting supersedes the last token.',
  })
  inviteClient(
    @CurrentPrincipal() principal: Principal,
    @Args('id', { type: () => ID }, IdPipe) id: string,
  ): Promise<CreatedInvitation> {
    return this.clientService.invite(principal, id);
  }

  @Self()
  @RequireScopes(ApiScope.PROFILE_WRITE)
  @Mutation(() => User, { description: 'Your own name, time zone, job title and organization.' })
  updateMyProfile(@CurrentPrincipal() principal: Principal, @Args('input') input: UpdateProfileInput): Promise<User> {
    return this.clientService.updateOwn(principal.userId as string, input);
  }

  @ResolveField(() => [Engagement], { description: 'Open engagements unless includeEnded.' })
  engagements(@Parent() client: Client, @Args('includeEnded', { defaultValue: false }) includeEnded: boolean) {
    return this.engagementService.forClient(client.id, includeEnded);
  }
}
