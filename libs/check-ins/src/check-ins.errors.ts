import { AppError, type FieldProblem } from '#cairn/shared/graphql';

/** Every failure of the check-ins domain a caller can see. */
export const CheckInErrors = {
  templateNotFound: () => AppError.notFound('Check-in template'),
  templateVersionNotFound: () => AppError.notFound('Check-in template version'),
  staleTemplate: () =>
    AppError.conflict('The template was changed by someone else; reload its current version and try again'),
  templateArchived: () => AppError.conflict('This template is archived; restore it before editing'),
  invalidPrompts: (problems: FieldProblem[]) =>
    AppError.badInput(`Invalid prompts: ${problems.map((p) => `${p.field}: ${p.messages.join(', ')}`).join('; ')}`, problems),
  assignmentNotFound: () => AppError.notFound('Check-in assignment'),
  assignmentEnded: () => AppError.conflict('This assignment has ended; assign the template again instead'),
  duplicateAssignment: () =>
    AppError.conflict('The client already has an active or paused assignment of this template; pass allowDuplicate: true to add another'),
  staleAssignment: () => AppError.conflict('The assignment was changed by someone else; reload it and try again'),
  checkInNotFound: () => AppError.notFound('Check-in'),
  alreadySubmitted: () =>
    AppError.conflict('This check-in was already submitted; use amendCheckIn to correct it (the original is kept)'),
  checkInExcused: () => AppError.conflict('This check-in was excused and takes no answers'),
  cannotExcuseSubmitted: () => AppError.conflict('This check-in was answered; answered check-ins cannot be excused'),
  alreadyExcused: () => AppError.conflict('This check-in is already excused'),
  notOpenYet: (opensAt: Date) => AppError.conflict(`This check-in opens at ${opensAt.toISOString()}`),
  nothingToAmend: () => AppError.conflict('Only a submitted check-in can be amended'),
  idempotencyKeyReused: () => AppError.conflict('This idempotencyKey was already used for another check-in'),
  notTemplateOwner: () => AppError.forbidden('Only the coach who created this template or an admin may change it'),
};
