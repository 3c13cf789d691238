import { AppError } from '#cairn/shared/graphql';

/** Every failure of the goals domain a caller can see. */
export const GoalErrors = {
  // Also for goals of another firm or of a client outside the caller's caseload: existence never leaks.
  goalNotFound: () => AppError.notFound('Goal'),
  staleVersion: () => AppError.conflict('The goal was changed by someone else; reload it and try again'),
};
