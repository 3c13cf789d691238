import { Args, ID, Mutation, ObjectType, Parent, Query, ResolveField, Resolver } from '@nestjs/graphql';
import { CurrentPrincipal, type Principal, Role, Roles } from '#cairn/shared/auth';
import { Connection, ConnectionArgs, ConnectionShape, IdPipe } from '#cairn/shared/graphql';
import { User } from '../users/user.entity.js';
import { UserService } from '../users/user.service.js';
import { ApiKey } from './api-key.entity.js';
import { ApiKeyService } from './api-key.service.js';
import { CreateApiKeyInput, CreatedApiKey } from './dto/create-api-key.input.js';

@ObjectType()
export class ApiKeyConnection extends Connection(ApiKey) {}

@Roles(Role.ADMIN)
@Resolver(() => ApiKey)
export class ApiKeyResolver {
  constructor(
    private readonly apiKeysService: ApiKeyService,
    private readonly users: UserService,
  ) {}

  @Query(() => ApiKeyConnection)
  apiKeys(@Args() args: ConnectionArgs): Promise<ConnectionShape<ApiKey>> {
    return this.apiKeysService.list(args);
  }

  @Mutation(() => CreatedApiKey)
  createApiKey(
    @CurrentPrincipal() principal: Principal,
    @Args('input') input: CreateApiKeyInput,
  ): Promise<CreatedApiKey> {
    return this.apiKeysService.create(input, principal.userId as string);
  }

  @Mutation(() => ApiKey, { description: 'Stops the key, and every token minted with it, at once.' })
  revokeApiKey(
    @CurrentPrincipal() principal: Principal,
    @Args('id', { type: () => ID }, IdPipe) id: string,
  ): Promise<ApiKey> {
    return this.apiKeysService.revoke(id, principal.userId as string);
  }

  @ResolveField(() => User, { nullable: true })
  createdBy(@Parent() key: ApiKey): Promise<User | null> {
    return this.users.load(key.createdByUserId);
  }
}
