import { Args, Mutation, Query, Resolver } from '@nestjs/graphql';
import { Public, Self } from '#cairn/shared/auth';
import { AuthPayload } from '../sessions/dto/auth-payload.type.js';
import { SignUpFirmInput } from './dto/sign-up-firm.input.js';
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

  @Self()
  @Query(() => Firm, { description: 'The firm of the signed-in user.' })
  firm(): Promise<Firm> {
    return this.firms.current();
  }
}
