import { Args, ID, Mutation, Query, Resolver } from '@nestjs/graphql';
import { CurrentPrincipal, type Principal, Role, Roles } from '#cairn/shared/auth';
import { IdPipe } from '#cairn/shared/graphql';
import { ClientErasure } from './erasure.model.js';
import { ErasureService } from './erasure.service.js';

// Admins only, and no scope: erasing a person is not something an integration does on its own.
@Roles(Role.ADMIN)
@Resolver(() => ClientErasure)
export class ErasureResolver {
  constructor(private readonly erasures: ErasureService) {}

  @Mutation(() => ClientErasure, {
    description:
      'Admins only. Erases a client for good: their rows in every table, messages and events about them, jobs in ' +
      'Redis, sessions, feeds and supporter links; rows kept for others (coach reports) keep their figures without ' +
      'the name. `confirmation` must be the client’s email address. Runs in the worker; idempotent: asking again ' +
      'returns the same erasure (and resumes one that stopped). Partners hear `client.erased`.',
  })
  eraseClient(
    @CurrentPrincipal() principal: Principal,
    @Args('clientId', { type: () => ID }, IdPipe) clientId: string,
    @Args('confirmation') confirmation: string,
  ): Promise<ClientErasure> {
    return this.erasures.request(principal, clientId, confirmation);
  }

  @Query(() => ClientErasure, { nullable: true, description: 'Admins only. The erasure of this client, if one was asked for.' })
  clientErasure(@Args('clientId', { type: () => ID }, IdPipe) clientId: string): Promise<ClientErasure | null> {
    return this.erasures.status(clientId);
  }
}
