import { Args, ID, ObjectType, Parent, Query, ResolveField, Resolver } from '@nestjs/graphql';
import { ApiScope, CurrentPrincipal, type Principal, RequireScopes } from '#cairn/shared/auth';
import { Connection, type ConnectionShape, IdPipe } from '#cairn/shared/graphql';
import { CheckInsArgs } from '../assignments/dto/assign-check-in.input.js';
import { CheckInPrompt } from '../templates/checkin-prompt.model.js';
import { CheckIn } from './check-in.entity.js';
import { CheckInService } from './check-in.service.js';

@ObjectType()
export class CheckInConnection extends Connection(CheckIn) {}

@Resolver(() => CheckIn)
export class CheckInResolver {
  constructor(private readonly checkInService: CheckInService) {}

  @RequireScopes(ApiScope.CHECKINS_READ)
  @Query(() => CheckInConnection, {
    description: 'Check-ins you may see, oldest first: a client their own (openNow: what is due now).',
  })
  checkIns(@CurrentPrincipal() principal: Principal, @Args() args: CheckInsArgs): Promise<ConnectionShape<CheckIn>> {
    return this.checkInService.list(principal, args);
  }

  @RequireScopes(ApiScope.CHECKINS_READ)
  @Query(() => CheckIn)
  checkIn(@CurrentPrincipal() principal: Principal, @Args('id', { type: () => ID }, IdPipe) id: string): Promise<CheckIn> {
    return this.checkInService.get(principal, id);
  }

  @ResolveField(() => [CheckInPrompt], { description: 'The questions, as they were when the check-in was sent.' })
  async prompts(@Parent() checkIn: CheckIn): Promise<CheckInPrompt[]> {
    return (await this.checkInService.templateVersion(checkIn.templateVersionId))?.prompts ?? [];
  }
}
