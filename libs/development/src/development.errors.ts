import { AppError } from '#cairn/shared/graphql';

/** Every failure of development lists and career paths a caller can see. */
export const DevelopmentErrors = {
  // Also for rows of another firm or of a client outside the caller's caseload: existence never leaks.
  itemNotFound: () => AppError.notFound('Development item'),
  pathNotFound: () => AppError.notFound('Career path'),
  stepNotFound: () => AppError.notFound('Career step'),
  staleItem: () => AppError.conflict('The development item was changed by someone else; reload it and try again'),
  stalePath: () => AppError.conflict('The career path was changed by someone else; reload it and try again'),
  itemNotOpen: (status: string) =>
    AppError.conflict(`This development item is ${status}; only OPEN items can be changed or converted`),
  itemNotDismissed: () => AppError.conflict('Only a DISMISSED development item can be reopened'),
  activePathExists: () =>
    AppError.conflict('This client already has an active career path; archive it before creating another'),
  pathArchived: () => AppError.conflict('This career path is archived and read-only'),
  tooManySteps: (max: number) =>
    AppError.badInput(`A career path has at most ${max} steps`, [
      { field: 'steps', messages: [`a career path has at most ${max} steps`] },
    ]),
  positionOutOfRange: (max: number) =>
    AppError.badInput(`position must be between 1 and ${max}`, [
      { field: 'position', messages: [`position must be between 1 and ${max}`] },
    ]),
  notAPermutation: () =>
    AppError.badInput('stepIds must list every step of the path exactly once', [
      { field: 'stepIds', messages: ['stepIds must list every step of the path exactly once'] },
    ]),
  currentStepIndexOutOfRange: () =>
    AppError.badInput('currentStepPosition must be the position of one of the steps', [
      { field: 'currentStepPosition', messages: ['currentStepPosition must be between 1 and the number of steps'] },
    ]),
  otherClientsStep: () =>
    AppError.badInput('The step belongs to another client’s career path than the goal', [
      { field: 'stepId', messages: ['stepId must be a step of the goal’s client’s career path'] },
    ]),
};
