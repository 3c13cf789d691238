import { Injectable } from '@nestjs/common';
import { GoalService } from '#cairn/goals';
import type { Principal } from '#cairn/shared/auth';
import { TenantDatabase } from '#cairn/shared/database';
import { DevelopmentErrors } from '../development.errors.js';
import { GOAL_CATEGORY_OF, GOAL_PROPOSER_OF, DevelopmentItemStatus } from './development-item.enums.js';
import { DevelopmentItemService } from './development-item.service.js';
import { ConvertDevelopmentItemToGoalInput, DevelopmentItemConversion } from './dto/convert-development-item.input.js';

/** The seeds' step 6: an item on the list becomes a (DRAFT) SMART goal to work out. */
@Injectable()
export class DevelopmentItemConversionService {
  constructor(
    private readonly tenantDb: TenantDatabase,
    private readonly items: DevelopmentItemService,
    private readonly goals: GoalService,
  ) {}

  /**
   * One transaction: the item row is locked first, so of two concurrent conversions the second waits and then
   * finds the item CONVERTED (CONFLICT); if the goal is refused (parent, dates…), the item stays OPEN.
   */
  convert(principal: Principal, input: ConvertDevelopmentItemToGoalInput): Promise<DevelopmentItemConversion> {
    return this.tenantDb.transaction(async (tx) => {
      const item = await this.items.editable(tx, principal, input.itemId, true);
      if (input.expectedVersion !== undefined && input.expectedVersion !== item.version) {
        throw DevelopmentErrors.staleItem();
      }
      this.items.requireOpen(item);
      const goal = await this.goals.createInTx(tx, principal, {
        clientId: item.clientId,
        parentId: input.parentId ?? null,
        horizon: input.horizon,
        title: input.title?.trim() || item.title,
        description: item.notes,
        category: GOAL_CATEGORY_OF[item.category],
        targetDate: input.targetDate ?? null,
        proposedBy: GOAL_PROPOSER_OF[item.source],
      });
      const converted = await this.items.apply(tx, item, item.version, {
        status: DevelopmentItemStatus.CONVERTED,
        goalId: goal.id,
        convertedAt: new Date(),
      });
      return { item: converted, goal };
    });
  }
}
