import { Injectable } from '@nestjs/common';
import { sql } from 'kysely';
import { ClientTraitService } from '#cairn/clients';
import { anyOf, TenantDatabase, type TenantTransaction } from '#cairn/shared/database';
import { requestLoader } from '#cairn/shared/graphql';
import type { Goal } from '../goals/goal.entity.js';
import { GoalPolicyService } from '../smart/goal-policy.service.js';
import {
  assessAuthenticity,
  type AuthenticityFacts,
  type AuthenticityResult,
  type TraitFact,
} from './authenticity-assessment.js';
import { GoalTraitLinks } from './goal-trait-links.service.js';

/** What the client themself has done to a goal, read from its revisions. */
interface ClientHand {
  goalId: string;
  wroteWhy: boolean;
  setProposer: boolean;
}

const traitFact = (t: { kind: string; name: string; removedAt: Date | null }): TraitFact => ({
  kind: t.kind as TraitFact['kind'],
  name: t.name,
  removed: t.removedAt !== null,
});

export function authenticityFactsOf(
  goal: Goal,
  linked: readonly TraitFact[],
  profile: readonly TraitFact[],
  hand: ClientHand | null,
): AuthenticityFacts {
  return {
    energizesWorkLife: goal.whyEnergizes,
    fulfilsPersonally: goal.whyFulfils,
    alignsWithValues: goal.whyAlignsValues,
    linked: [...linked],
    namedValues: goal.linkedValues ?? [],
    namedStrengths: goal.linkedStrengths ?? [],
    profile: [...profile],
    proposedBy: goal.proposedBy,
    clientCreated: goal.createdByUserId !== null && goal.createdByUserId === goal.clientId,
    clientSetProposer: hand?.setProposer ?? false,
    clientWroteWhy: hand?.wroteWhy ?? false,
  };
}

@Injectable()
export class AuthenticityService {
  constructor(
    private readonly tenantDb: TenantDatabase,
    private readonly policies: GoalPolicyService,
    private readonly links: GoalTraitLinks,
    private readonly profiles: ClientTraitService,
  ) {}

  /** Whether the client (their login, or a token acting as them) changed the why or the proposer of each goal. */
  async clientHands(tx: TenantTransaction, goalIds: readonly string[]): Promise<ClientHand[]> {
    if (goalIds.length === 0) return [];
    const touched = (pattern: string) =>
      sql<boolean>`bool_or(EXISTS (SELECT 1 FROM jsonb_array_elements(r.changes) c WHERE c.value->>'field' LIKE ${pattern}))`;
    const rows = await tx.db
      .selectFrom('goal_revisions as r')
      .innerJoin('goals as g', 'g.id', 'r.goal_id')
      .select(['r.goal_id as goalId', touched('why.%').as('wroteWhy'), touched('proposedBy').as('setProposer')])
      .where('r.goal_id', '=', anyOf(goalIds, 'uuid'))
      .whereRef('r.changed_by_user_id', '=', 'g.client_id')
      .groupBy('r.goal_id')
      .execute();
    return rows;
  }

  /** Inside a write: the check as the transaction sees the goal now, against the current policy. */
  async assessInTx(tx: TenantTransaction, goal: Goal): Promise<AuthenticityResult[]> {
    const [linked, profile, [hand], policy] = [
      await this.links.ofGoals(tx, [goal.id]),
      await this.profiles.ofClients(tx, [goal.clientId], false),
      await this.clientHands(tx, [goal.id]),
      await this.policies.policyOf(tx),
    ];
    return assessAuthenticity(
      authenticityFactsOf(goal, linked.map(traitFact), profile.map(traitFact), hand ?? null),
      policy.requiredAuthenticity,
    );
  }

  /** For `goal.authenticity`: batched over the goals and clients of the request, the policy read once. */
  async load(goal: Goal): Promise<AuthenticityResult[]> {
    const [linked, profile, hand, policy] = await Promise.all([
      this.links.load(goal.id),
      this.profiles.load(goal.clientId, null, false),
      requestLoader<string, ClientHand>(
        'goals:client-hands',
        (ids) => this.tenantDb.read((tx) => this.clientHands(tx, ids)),
        (h) => h.goalId,
      ).load(goal.id),
      this.policies.forRequest(),
    ]);
    return assessAuthenticity(
      authenticityFactsOf(goal, linked.map(traitFact), profile.map(traitFact), hand),
      policy.requiredAuthenticity,
    );
  }
}
