import { Args, ID, Mutation, ObjectType, Query, Resolver } from '@nestjs/graphql';
import { ApiScope, CurrentPrincipal, type Principal, RequireScopes, Role, Roles, Self } from '#cairn/shared/auth';
import { Connection, type ConnectionShape, IdPipe } from '#cairn/shared/graphql';
import { UsersArgs } from './dto/users.args.js';
import { User } from './user.entity.js';
import { UserService } from './user.service.js';

@ObjectType()
export class UserConnection extends Connection(User) {}

@Resolver(() => User)
export class UserResolver {
  constructor(private readonly usersService: UserService) {}

  @Self()
  @RequireScopes(ApiScope.PROFILE_READ)
  @Query(() => User, { description: 'The signed-in user.' })
  me(@CurrentPrincipal() principal: Principal): Promise<User> {
    return this.usersService.get(principal.userId as string);
  }

  @Roles(Role.ADMIN)
  @RequireScopes(ApiScope.USERS_READ)
  @Query(() => UserConnection)
  users(@Args() args: UsersArgs): Promise<ConnectionShape<User>> {
    return this.usersService.list(args);
  }

  @Roles(Role.ADMIN)
  @RequireScopes(ApiScope.USERS_READ)
  @Query(() => User)
  user(@Args('id', { type: () => ID }, IdPipe) id: string): Promise<User> {
    return this.usersService.get(id);
  }

  @Roles(Role.ADMIN)
  @Mutation(() => User, {
    description: 'Moves a member between ADMIN and COACH, effective at once. Not your own role.',
  })
  changeUserRole(
    @CurrentPrincipal() principal: Principal,
    @Args('id', { type: () => ID }, IdPipe) id: string,
    @Args('role', { type: () => Role }) role: Role,
  ): Promise<User> {
    return this.usersService.changeRole(id, role, principal.userId as string);
  }

  @Roles(Role.ADMIN)
  @Mutation(() => User, { description: 'Blocks sign-in and ends every session of the user.' })
  deactivateUser(
    @CurrentPrincipal() principal: Principal,
    @Args('id', { type: () => ID }, IdPipe) id: string,
  ): Promise<User> {
    return this.usersService.deactivate(id, principal.userId as string);
  }
}
