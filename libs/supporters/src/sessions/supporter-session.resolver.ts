import { Args, Mutation, Resolver } from '@nestjs/graphql';
import { Public } from '#cairn/shared/auth';
import { SupporterSessionService } from './supporter-session.service.js';
import { SupporterSession, SupporterTokenInput } from './supporter-session.types.js';

@Resolver()
export class SupporterSessionResolver {
  constructor(private readonly sessions: SupporterSessionService) {}

  @Public()
  @Mutation(() => SupporterSession, {
    description:
      'Turns a supporter’s sign-in link (single use, expiring) into a supporter session. Invalid, used, expired or revoked: UNAUTHENTICATED.',
  })
  exchangeSupporterLink(@Args('input') input: SupporterTokenInput): Promise<SupporterSession> {
    return this.sessions.exchangeLink(input.token);
  }

  @Public()
  @Mutation(() => SupporterSession, {
    description:
      'A new pair for a supporter’s refresh token, which works once (presenting it again ends the session).',
  })
  refreshSupporterSession(@Args('input') input: SupporterTokenInput): Promise<SupporterSession> {
    return this.sessions.refresh(input.token);
  }

  @Public()
  @Mutation(() => Boolean, { description: 'Ends the supporter session of this refresh token (signs out).' })
  endSupporterSession(@Args('input') input: SupporterTokenInput): Promise<boolean> {
    return this.sessions.end(input.token);
  }
}
