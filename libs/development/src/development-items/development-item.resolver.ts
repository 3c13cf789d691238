import { Args, ID, Int, Mutation, ObjectType, Parent, Query, ResolveField, Resolver } from '@nestjs/graphql';
import { Goal } from '#cairn/goals';
import { ApiScope, CurrentPrincipal, type Principal, RequireScopes } from '#cairn/shared/auth';
import { Connection, type ConnectionShape, IdPipe } from '#cairn/shared/graphql';
import { DevelopmentItemConversionService } from './development-item-conversion.service.js';
import { DevelopmentItem } from './development-item.entity.js';
import { DevelopmentItemService } from './development-item.service.js';
import { AddDevelopmentItemInput } from './dto/add-development-item.input.js';
import { ConvertDevelopmentItemToGoalInput, DevelopmentItemConversion } from './dto/convert-development-item.input.js';
import { DevelopmentItemsArgs, PrioritizedDevelopmentItemsArgs } from './dto/development-items.args.js';
import {
  DevelopmentItemVersionInput,
  DismissDevelopmentItemInput,
  UpdateDevelopmentItemInput,
} from './dto/update-development-item.input.js';

@ObjectType()
export class DevelopmentItemConnection extends Connection(DevelopmentItem) {}

/** Admins reach the whole firm, coaches their caseload, a client their own list; others get NOT_FOUND. */
@Resolver(() => DevelopmentItem)
export class DevelopmentItemResolver {
  constructor(
    private readonly items: DevelopmentItemService,
    private readonly conversion: DevelopmentItemConversionService,
  ) {}

  @RequireScopes(ApiScope.GOALS_READ)
  @Query(() => DevelopmentItem)
  developmentItem(
    @CurrentPrincipal() principal: Principal,
    @Args('id', { type: () => ID }, IdPipe) id: string,
  ): Promise<DevelopmentItem> {
    return this.items.get(principal, id);
  }

  @RequireScopes(ApiScope.GOALS_READ)
  @Query(() => DevelopmentItemConnection, { description: 'A client’s development list, oldest first.' })
  developmentItems(
    @CurrentPrincipal() principal: Principal,
    @Args() args: DevelopmentItemsArgs,
  ): Promise<ConnectionShape<DevelopmentItem>> {
    return this.items.list(principal, args);
  }

  @RequireScopes(ApiScope.GOALS_READ)
  @Query(() => [DevelopmentItem], {
    description:
      'The client’s OPEN items best first: by priorityScore (value × motivation), then higher valueScore, then ' +
      'higher motivationScore, then the older item, then id. `rank` is the position in this order (1 = top).',
  })
  prioritizedDevelopmentItems(
    @CurrentPrincipal() principal: Principal,
    @Args() args: PrioritizedDevelopmentItemsArgs,
  ): Promise<DevelopmentItem[]> {
    return this.items.prioritized(principal, args.clientId, args.first);
  }

  @RequireScopes(ApiScope.GOALS_WRITE)
  @Mutation(() => DevelopmentItem, { description: 'Adds an OPEN item to a client’s development list.' })
  addDevelopmentItem(
    @CurrentPrincipal() principal: Principal,
    @Args('input') input: AddDevelopmentItemInput,
  ): Promise<DevelopmentItem> {
    return this.items.add(principal, input);
  }

  @RequireScopes(ApiScope.GOALS_WRITE)
  @Mutation(() => DevelopmentItem, { description: 'Edits an OPEN item (CONFLICT otherwise).' })
  updateDevelopmentItem(
    @CurrentPrincipal() principal: Principal,
    @Args('input') input: UpdateDevelopmentItemInput,
  ): Promise<DevelopmentItem> {
    return this.items.update(principal, input);
  }

  @RequireScopes(ApiScope.GOALS_WRITE)
  @Mutation(() => DevelopmentItem, { description: 'Sets an OPEN item aside while narrowing the list.' })
  dismissDevelopmentItem(
    @CurrentPrincipal() principal: Principal,
    @Args('input') input: DismissDevelopmentItemInput,
  ): Promise<DevelopmentItem> {
    return this.items.dismiss(principal, input);
  }

  @RequireScopes(ApiScope.GOALS_WRITE)
  @Mutation(() => DevelopmentItem, { description: 'Puts a DISMISSED item back on the list as OPEN.' })
  reopenDevelopmentItem(
    @CurrentPrincipal() principal: Principal,
    @Args('input') input: DevelopmentItemVersionInput,
  ): Promise<DevelopmentItem> {
    return this.items.reopen(principal, input);
  }

  @RequireScopes(ApiScope.GOALS_WRITE)
  @Mutation(() => DevelopmentItemConversion, {
    description:
      'Turns an OPEN item into a DRAFT goal of the same client (category maps 1:1; title defaults to the item’s, ' +
      'description to its notes) and marks the item CONVERTED with a link to the goal, in one transaction. ' +
      'CONFLICT if the item is already CONVERTED or DISMISSED.',
  })
  convertDevelopmentItemToGoal(
    @CurrentPrincipal() principal: Principal,
    @Args('input') input: ConvertDevelopmentItemToGoalInput,
  ): Promise<DevelopmentItemConversion> {
    return this.conversion.convert(principal, input);
  }

  @ResolveField(() => Int, { description: 'valueScore × motivationScore, 1 to 25.' })
  priorityScore(@Parent() item: DevelopmentItem): number {
    return item.valueScore * item.motivationScore;
  }

  @ResolveField(() => Int, {
    nullable: true,
    description: 'Position among the client’s OPEN items in the prioritized order (1 = top); null unless OPEN.',
  })
  rank(@Parent() item: DevelopmentItem): Promise<number | null> {
    return this.items.rank(item);
  }

  @ResolveField(() => Goal, { nullable: true, description: 'The goal this item was converted into.' })
  goal(@CurrentPrincipal() principal: Principal, @Parent() item: DevelopmentItem): Promise<Goal | null> | null {
    return item.goalId ? this.items.goal(principal, item.goalId) : null;
  }
}
