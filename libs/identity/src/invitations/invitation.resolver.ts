import { Args, ID, Mutation, ObjectType, Parent, Query, ResolveField, Resolver } from '@nestjs/graphql';
import {
  ClientAddress,
  CurrentPrincipal,
  parseOpaqueToken,
  type Principal,
  Public,
  Role,
  Roles,
  SignInLimiter,
} from '#cairn/shared/auth';
import { Connection, ConnectionArgs, ConnectionShape, IdPipe } from '#cairn/shared/graphql';
import { AuthPayload } from '../sessions/dto/auth-payload.type.js';
import { User } from '../users/user.entity.js';
import { UserService } from '../users/user.service.js';
import { AcceptInvitationInput, CreatedInvitation, InviteUserInput } from './dto/invite-user.input.js';
import { Invitation } from './invitation.entity.js';
import { INVITATION_PREFIX, InvitationService } from './invitation.service.js';

@ObjectType()
export class InvitationConnection extends Connection(Invitation) {}

@Resolver(() => Invitation)
export class InvitationResolver {
  constructor(
    private readonly invitationsService: InvitationService,
    private readonly users: UserService,
    private readonly limits: SignInLimiter,
  ) {}

  @Roles(Role.ADMIN)
  @Query(() => InvitationConnection)
  invitations(@Args() args: ConnectionArgs): Promise<ConnectionShape<Invitation>> {
    return this.invitationsService.list(args);
  }

  @Roles(Role.ADMIN)
  @Mutation(() => CreatedInvitation, { description: 'Invites a coach, client or admin by email.' })
  inviteUser(
    @CurrentPrincipal() principal: Principal,
    @Args('input') input: InviteUserInput,
  ): Promise<CreatedInvitation> {
    return this.invitationsService.invite(input, principal.userId as string);
  }

  @Roles(Role.ADMIN)
  @Mutation(() => Invitation)
  revokeInvitation(
    @CurrentPrincipal() principal: Principal,
    @Args('id', { type: () => ID }, IdPipe) id: string,
  ): Promise<Invitation> {
    return this.invitationsService.revoke(id, principal.userId as string);
  }

  @Public()
  @Mutation(() => AuthPayload, {
    description:
      'Sets the invitee’s password, creates the account and signs in. Too many failed attempts: RATE_LIMITED.',
  })
  acceptInvitation(
    @Args('input') input: AcceptInvitationInput,
    @ClientAddress() address: string | undefined,
  ): Promise<AuthPayload> {
    const account = parseOpaqueToken(INVITATION_PREFIX, input.token)?.id ?? input.token;
    return this.limits.guard('accept-invitation', account, address, () => this.invitationsService.accept(input));
  }

  @ResolveField(() => User, { nullable: true })
  invitedBy(@Parent() invitation: Invitation): Promise<User | null> {
    return this.users.load(invitation.invitedByUserId);
  }
}
