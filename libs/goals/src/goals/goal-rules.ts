import { GoalHorizon, GoalStatus, HORIZON_RANK } from './goal.enums.js';

/**
 * Allowed status moves. DRAFT is being shaped; ACTIVE is worked on (entered only through the SMART gate);
 * ON_HOLD pauses; ACHIEVED and ABANDONED close the goal but can be reopened (ACHIEVED → ACTIVE,
 * ABANDONED → DRAFT), because goals evolve.
 */
export const STATUS_TRANSITIONS: Record<GoalStatus, readonly GoalStatus[]> = {
  [GoalStatus.DRAFT]: [GoalStatus.ACTIVE, GoalStatus.ABANDONED],
  [GoalStatus.ACTIVE]: [GoalStatus.ON_HOLD, GoalStatus.ACHIEVED, GoalStatus.ABANDONED],
  [GoalStatus.ON_HOLD]: [GoalStatus.ACTIVE, GoalStatus.ABANDONED],
  [GoalStatus.ACHIEVED]: [GoalStatus.ACTIVE],
  [GoalStatus.ABANDONED]: [GoalStatus.DRAFT],
};

export const canMove = (from: GoalStatus, to: GoalStatus) => STATUS_TRANSITIONS[from].includes(to);

/** A child may share its parent's horizon or be shorter, never longer (no mid-term goal under an immediate one). */
export const horizonFits = (parent: GoalHorizon, child: GoalHorizon) =>
  HORIZON_RANK[child] >= HORIZON_RANK[parent];
