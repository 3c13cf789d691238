import { Args, ID, Mutation, Query, Resolver } from '@nestjs/graphql';
import { ApiScope, CurrentPrincipal, ForSupporters, type Principal, Role, Roles } from '#cairn/shared/auth';
import { IdPipe } from '#cairn/shared/graphql';
import { ManagesSupporters } from '../supporter-access.decorator.js';
import { SendEncouragementInput } from '../encouragement/dto/send-encouragement.input.js';
import { EncouragementService } from '../encouragement/encouragement.service.js';
import { Encouragement } from '../encouragement/encouragement.types.js';
import { AnswerSupporterRequestInput, AskSupporterInput } from '../requests/dto/supporter-request.inputs.js';
import { SupporterRequestService } from '../requests/supporter-request.service.js';
import { SupporterPolicyService } from '../policy/supporter-policy.service.js';
import { SupporterPolicy } from '../policy/supporter-policy.js';
import { SupporterHome, SupporterRequestView } from './supporter-view.types.js';
import { SupporterViewService } from './supporter-view.service.js';

/** The supporter's own operations (`@Roles()` keeps people out), and the client's side of fact-finding. */
@Resolver()
export class SupporterViewResolver {
  constructor(
    private readonly view: SupporterViewService,
    private readonly encouragements: EncouragementService,
    private readonly requests: SupporterRequestService,
    private readonly policy: SupporterPolicyService,
  ) {}

  @Roles()
  @ForSupporters()
  @Query(() => SupporterHome, {
    description: 'Supporters only: the goals the client shares with you, and their questions.',
  })
  supporterHome(@CurrentPrincipal() principal: Principal): Promise<SupporterHome> {
    return this.view.home(principal);
  }

  @Roles()
  @ForSupporters()
  @Mutation(() => Encouragement, {
    description: `Supporters only: a message to the client (their feed, and \`supporter.encouraged\` webhooks). At most 10 a day: RATE_LIMITED.`,
  })
  sendEncouragement(
    @CurrentPrincipal() principal: Principal,
    @Args('input') input: SendEncouragementInput,
  ): Promise<Encouragement> {
    return this.encouragements.send(principal, input);
  }

  @Roles()
  @ForSupporters()
  @Mutation(() => SupporterRequestView, {
    description:
      'Supporters only: answers the client’s question; the answer becomes an item of their development list.',
  })
  answerSupporterRequest(
    @CurrentPrincipal() principal: Principal,
    @Args('input') input: AnswerSupporterRequestInput,
  ): Promise<SupporterRequestView> {
    return this.requests.answer(principal, input);
  }

  @ManagesSupporters(ApiScope.SUPPORTERS_WRITE, Role.CLIENT)
  @Mutation(() => SupporterRequestView, {
    description: 'The client asks a supporter what to develop (fact-finding); at most 5 open per supporter.',
  })
  askSupporter(
    @CurrentPrincipal() principal: Principal,
    @Args('input') input: AskSupporterInput,
  ): Promise<SupporterRequestView> {
    return this.requests.ask(principal, input);
  }

  @ManagesSupporters(ApiScope.SUPPORTERS_READ, Role.CLIENT, Role.COACH, Role.ADMIN)
  @Query(() => [SupporterRequestView], {
    description: 'What the client asked a supporter, and what became of it.',
  })
  supporterRequests(
    @CurrentPrincipal() principal: Principal,
    @Args('supporterId', { type: () => ID }, IdPipe) supporterId: string,
  ): Promise<SupporterRequestView[]> {
    return this.requests.list(principal, supporterId);
  }

  @Roles(Role.CLIENT, Role.COACH, Role.ADMIN)
  @Query(() => SupporterPolicy)
  supporterPolicy(): Promise<SupporterPolicy> {
    return this.policy.get();
  }

  @Roles(Role.ADMIN)
  @Mutation(() => SupporterPolicy, {
    description: 'Turns supporters on or off for the firm; off ends every supporter session.',
  })
  updateSupporterPolicy(
    @CurrentPrincipal() principal: Principal,
    @Args('enabled') enabled: boolean,
  ): Promise<SupporterPolicy> {
    return this.policy.set(principal, enabled);
  }
}
