import type { QueryCreator } from 'kysely';
import type { TenantDB } from '#cairn/shared/database';
import { Goal } from './goal.entity.js';
import type { ChallengeLevel, GoalCategory, GoalHorizon, GoalProposer, GoalStatus } from './goal.enums.js';

/**
 * Goals as typed SQL: every column of `goals g`, named by the entity's property, dates as the `YYYY-MM-DD` text
 * the entity holds (no Date parsed and formatted back per row). Add filters and order; hydrate with `toGoal`.
 */
export function selectGoals(db: QueryCreator<TenantDB>) {
  return db
    .selectFrom('goals as g')
    .select((eb) => [
      'g.id',
      'g.tenant_id as tenantId',
      'g.client_id as clientId',
      'g.parent_id as parentId',
      'g.horizon',
      'g.title',
      'g.description',
      'g.category',
      'g.status',
      'g.priority',
      eb.cast<string | null>('g.start_date', 'text').as('startDate'),
      eb.cast<string | null>('g.target_date', 'text').as('targetDate'),
      'g.motivation',
      'g.why_energizes as whyEnergizes',
      'g.why_fulfils as whyFulfils',
      'g.why_aligns_values as whyAlignsValues',
      'g.why_strength as whyStrength',
      'g.linked_values as linkedValues',
      'g.linked_strengths as linkedStrengths',
      'g.attainability_notes as attainabilityNotes',
      'g.skills_gap as skillsGap',
      'g.challenge_level as challengeLevel',
      'g.proposed_by as proposedBy',
      'g.career_step_id as careerStepId',
      'g.created_by_user_id as createdByUserId',
      'g.created_by_api_key_id as createdByApiKeyId',
      'g.achieved_at as achievedAt',
      'g.visible_to_coaches as visibleToCoaches',
      'g.visible_to_firm as visibleToFirm',
      'g.exceeds_parent as exceedsParent',
      'g.version',
      'g.created_at as createdAt',
      'g.updated_at as updatedAt',
    ]);
}

type Selected = ReturnType<typeof selectGoals> extends { execute(): Promise<(infer R)[]> } ? R : never;

/** A row of `selectGoals`, its text columns narrowed to the entity's enums (the table's checks hold them to those). */
export type GoalRow = Omit<Selected, 'horizon' | 'category' | 'status' | 'challengeLevel' | 'proposedBy'> & {
  horizon: GoalHorizon;
  category: GoalCategory;
  status: GoalStatus;
  challengeLevel: ChallengeLevel | null;
  proposedBy: GoalProposer;
};

// Compile-time: the select list covers every property of the entity, with its type, and nothing else.
type Exact<A, B> = [Exclude<keyof A, keyof B>, Exclude<keyof B, keyof A>] extends [never, never] ? true : false;
const complete: Exact<GoalRow, Goal> = true;
void complete;

export const toGoal = (row: Selected): Goal => {
  const fields: Goal = row as GoalRow;
  return Object.assign(new Goal(), fields);
};

export type GoalQuery = ReturnType<typeof selectGoals>;

/** The order of a goal's children everywhere they are listed: priority, target date (none last), age, id. */
export const inChildrenOrder = (query: GoalQuery): GoalQuery =>
  query.orderBy('g.priority').orderBy('g.target_date').orderBy('g.created_at').orderBy('g.id');
