import { AppError, ErrorCode } from '#cairn/shared/graphql';
import { GoalStatus } from './goals/goal.enums.js';
import { STATUS_TRANSITIONS } from './goals/goal-rules.js';
import type { AuthenticityResult } from './authenticity/authenticity-assessment.js';
import type { SmartResult } from './smart/smart-assessment.js';

const bad = (field: string, message: string) => AppError.badInput(message, [{ field, messages: [message] }]);

/** Every failure of the goals domain a caller can see. */
export const GoalErrors = {
  // Also for goals of another firm or of a client outside the caller's caseload: existence never leaks.
  goalNotFound: () => AppError.notFound('Goal'),
  measureNotFound: () => AppError.notFound('Measure'),
  staleVersion: () => AppError.conflict('The goal was changed by someone else; reload it and try again'),

  parentOfOtherClient: () => bad('parentId', 'The parent goal must belong to the same client'),
  parentAbandoned: () => bad('parentId', 'The parent goal is ABANDONED; reopen it or choose another parent'),
  cycle: () =>
    bad('parentId', 'A goal cannot support itself or one of its own sub-goals (that would make a cycle)'),
  horizonInversion: (child: string, parent: string) =>
    bad(
      'horizon',
      `A ${child} goal cannot support a ${parent} goal: a sub-goal’s horizon may equal its parent’s but never be longer`,
    ),
  childHorizonInversion: (horizon: string) =>
    bad('horizon', `Some sub-goals have a longer horizon than ${horizon}; change them first`),

  targetDateInPast: (today: string) =>
    bad('targetDate', `The target date must be today (${today} in the client’s time zone) or later`),
  targetBeforeStart: () => bad('targetDate', 'The target date cannot be before the start date'),
  targetAfterParent: (parentTarget: string) =>
    bad('targetDate', `The target date must be on or before the parent goal’s target date (${parentTarget})`),
  targetBeforeChildren: (latestChild: string) =>
    bad(
      'targetDate',
      `A sub-goal is due ${latestChild}; the target date cannot be earlier (move the sub-goal first)`,
    ),

  transitionNotAllowed: (from: GoalStatus, to: GoalStatus) =>
    bad(
      'status',
      from === to
        ? `The goal is already ${to}`
        : `A ${from} goal cannot move to ${to}; allowed: ${STATUS_TRANSITIONS[from].join(', ') || 'none'}`,
    ),
  /**
   * The firm's ACTIVE gate: `extensions.unmetCriteria` lists the SMART criteria, `extensions.unmetAuthenticity`
   * the authenticity ones (each list empty when none of its kind failed).
   */
  activationGateUnmet: (unmet: readonly SmartResult[], unmetAuthenticity: readonly AuthenticityResult[] = []) =>
    new AppError(
      ErrorCode.BAD_USER_INPUT,
      `The goal cannot become ACTIVE until it meets the firm’s required criteria: ${[
        ...unmet.map((u) => u.criterion),
        ...unmetAuthenticity.map((u) => `authenticity ${u.criterion}`),
      ].join(', ')}`,
      {
        fields: [
          {
            field: 'status',
            messages: [
              ...unmet.map((u) => `${u.criterion}: ${u.hint}`),
              ...unmetAuthenticity.map((u) => `${u.criterion}: ${u.explanation}`),
            ],
          },
        ],
        unmetCriteria: unmet.map((u) => ({ criterion: u.criterion, hint: u.hint })),
        unmetAuthenticity: unmetAuthenticity.map((u) => ({ criterion: u.criterion, explanation: u.explanation })),
      },
    ),

  traitNotInProfile: (field: string, kind: string, ids: readonly string[]) =>
    bad(field, `Not ${kind} entries in use in the client’s profile: ${ids.join(', ')}`),
  reasonRequired: (fields: readonly string[]) =>
    bad(
      'reason',
      `Give a reason when changing ${fields.join(', ')}: goals evolve, consciously (the reason is kept in the revision)`,
    ),
  consentRequired: () =>
    bad(
      'consentNote',
      'Only the client, or someone else with the client’s consent, may change who sees a goal: say how the client consented',
    ),
  exceedParentClientOnly: () =>
    bad('exceedParent', 'Only the client may let a sub-goal be seen by more people than its parent goal'),
  moreVisibleThanParent: (parentAudiences: readonly string[]) =>
    bad(
      'audiences',
      `A sub-goal cannot be seen by more people than its parent goal (${parentAudiences.join(', ') || 'the client only'}) unless the client sets exceedParent`,
    ),
  audiencesClientOnly: () =>
    bad(
      'audiences',
      'Only the client chooses who sees a new goal; change it afterwards with setGoalVisibility and the client’s consent',
    ),

  measureInvalid: (field: string, message: string) => bad(field, message),
  occurredInFuture: (today: string) =>
    bad('occurredOn', `occurredOn cannot be after today (${today} in the client’s time zone)`),
  occurredOutsidePeriod: (start: string, end: string) =>
    bad('occurredOn', `This count only includes occurrences from ${start} to ${end}`),
};
