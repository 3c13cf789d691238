import { Injectable } from '@nestjs/common';
import { CaseloadAccess, ClientErrors, type ClientRef } from '#cairn/clients';
import type { Principal } from '#cairn/shared/auth';
import { TenantTransaction } from '#cairn/shared/database';
import { GoalErrors } from '../goals.errors.js';
import { GoalVisibility } from '../visibility/goal-visibility.service.js';
import { Goal } from './goal.entity.js';
import { selectGoals, toGoal } from './goal.rows.js';

export interface GoalInReach {
  goal: Goal;
  client: ClientRef;
}

/**
 * Resolves a goal id for a caller: the goal and its client if the caller may reach the client and the goal's
 * audiences admit the caller (GoalVisibility), NOT_FOUND otherwise — a goal one may not see cannot be written
 * either, and its existence does not leak. Action plans, development lists and career paths use it for anything hanging off a goal.
 */
@Injectable()
export class GoalAccess {
  constructor(
    private readonly caseload: CaseloadAccess,
    private readonly visibility: GoalVisibility,
  ) {}

  async visible(tx: TenantTransaction, principal: Principal, goalId: string): Promise<GoalInReach> {
    const row = await selectGoals(tx.db).where('g.id', '=', goalId).executeTakeFirst();
    if (!row) throw GoalErrors.goalNotFound();
    const goal = toGoal(row);
    const [client] = await this.caseload.visibleClients(tx, principal, [goal.clientId]);
    if (!client || !this.visibility.admits(principal, goal)) throw GoalErrors.goalNotFound();
    return { goal, client };
  }

  /** As `visible`, and the client is not archived. Locks the goal row for the rest of the transaction. */
  async editable(tx: TenantTransaction, principal: Principal, goalId: string): Promise<GoalInReach> {
    const row = await selectGoals(tx.db).where('g.id', '=', goalId).forUpdate().executeTakeFirst();
    const goal = row && toGoal(row);
    if (!goal) throw GoalErrors.goalNotFound();
    const [client] = await this.caseload.visibleClients(tx, principal, [goal.clientId]);
    if (!client || !this.visibility.admits(principal, goal)) throw GoalErrors.goalNotFound();
    if (client.archived) throw ClientErrors.clientArchived();
    return { goal, client };
  }
}
