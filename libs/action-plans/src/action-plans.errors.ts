import { AppError, ErrorCode } from '#cairn/shared/graphql';

const field = (name: string, message: string) =>
  AppError.badInput(message, [{ field: name, messages: [message] }]);

/** Every failure of the action-plans domain a caller can see. */
export const ActionPlanErrors = {
  // Also for tasks of another firm or of a client outside the caller's caseload: existence never leaks.
  taskNotFound: () => AppError.notFound('Task'),
  staleVersion: () => AppError.conflict('The task was changed by someone else; reload it and try again'),
  taskFinished: (status: string) =>
    AppError.conflict(
      `The task is ${status}; reopen it (status TODO or IN_PROGRESS) before logging completions`,
    ),
  dependenciesOpen: (open: { id: string; title: string; status: string }[]) =>
    new AppError(
      ErrorCode.CONFLICT,
      `This task cannot be DONE before the tasks it depends on are DONE or CANCELLED: ${open
        .map((t) => `"${t.title}" (${t.status})`)
        .join(', ')}`,
      { blockingTaskIds: open.map((t) => t.id) },
    ),
  invalidRecurrence: (message: string) => field('recurrence', `Invalid recurrence: ${message}`),
  recurrenceNeverOccurs: () =>
    field('recurrence', 'The recurrence has no occurrence between the start date and the due date'),
  dueBeforeStart: () => field('dueDate', 'dueDate must be on or after startDate'),
  dueInPast: (today: string) =>
    field('dueDate', `dueDate is in the past (today is ${today} in the client’s time zone)`),
  dueTooFar: (max: string) => field('dueDate', `dueDate must be on or before ${max} (ten years ahead)`),
  startTooLate: (max: string) =>
    field('startDate', `startDate must be on or before ${max} (ten years ahead)`),
  startTooEarly: (min: string) => field('startDate', `startDate must be on or after ${min} (one year back)`),
  dueDateRequired: () =>
    field('dueDate', 'A one-off task needs a dueDate (recurring tasks may leave it out)'),
  dependencyOtherClient: () => field('dependsOnIds', 'A task can only depend on tasks of the same client'),
  dependencyOnItself: () => field('dependsOnIds', 'A task cannot depend on itself'),
  dependencyCycle: (title: string) =>
    field('dependsOnIds', `This dependency would create a cycle: "${title}" already depends on this task`),
  occurrenceRequired: () => field('occurrenceOn', 'occurrenceOn is required for a recurring task'),
  occurrenceNotAllowed: () =>
    field('occurrenceOn', 'A one-off task has no occurrences; leave occurrenceOn out'),
  occurrenceInFuture: (today: string) =>
    field('occurrenceOn', `occurrenceOn is in the future (today is ${today} in the client’s time zone)`),
  notAnOccurrence: (date: string, rule: string) =>
    field('occurrenceOn', `${date} is not an occurrence of ${rule} within the task’s dates`),
  windowTooWide: (max: number) => field('to', `The range may span at most ${max} days`),
  windowReversed: () => field('to', 'to must be on or after from'),
};
