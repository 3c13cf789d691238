import { Args, Mutation, Query, Resolver } from '@nestjs/graphql';
import { Public, Role, Roles, Self } from '#cairn/shared/auth';
import { AuthPayload } from '../sessions/dto/auth-payload.type.js';
import { SignUpFirmInput } from './dto/sign-up-firm.input.js';
import { UpdateFirmInput } from './dto/update-firm.input.js';
import { Firm } from './firm.entity.js';
import { FirmService } from './firm.service.js';

@Resolver(() => Firm)
export class FirmResolver {
  constructor(private readonly firms: FirmService) {}

  @Public()
  @Mutation(() => AuthPayload, { description: 'Registers a coaching firm with its first ADMIN and signs them in.' })
  signUpFirm(@Args('input') input: SignUpFirmInput): Promise<AuthPayload> {
    return this.firms.signUp(input);
  }

  @Roles(Role.ADMIN)
  @Mutation(() => Firm, {
    description: 'Changes the firm’s default time zone; check-ins of clients without a zone of their own move with it.',
  })
  updateFirm(@Args('input') input: UpdateFirmInput): Promise<Firm> {
    return this.firms.update(input);
  }

  @Self()
  @Query(() => Firm, { description: 'The firm of the signed-in user.' })
  firm(): Promise<Firm> {
    return this.firms.current();
  }
}
