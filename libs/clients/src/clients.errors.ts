import { AppError } from '#cairn/shared/graphql';

/** Every failure of the clients domain a caller can see. */
export const ClientErrors = {
  // Also for clients of another firm and clients the coach does not coach: existence never leaks.
  clientNotFound: () => AppError.notFound('Client'),
  coachNotFound: () => AppError.notFound('Coach'),
  engagementNotFound: () => AppError.notFound('Engagement'),
  clientArchived: () => AppError.conflict('This client is archived; restore them before making changes'),
  emailTaken: (email: string) => AppError.conflict(`A user with the email ${email} already exists in this firm`),
  alreadyEngaged: () => AppError.conflict('This coach already has an open engagement with this client'),
  primaryTaken: () =>
    AppError.conflict('This client already has a primary coach; end or demote that engagement first'),
  staleVersion: () => AppError.conflict('The client was changed by someone else; reload and try again'),
  invalidTimeZone: (zone: string) =>
    AppError.badInput(`Unknown time zone "${zone}"; use an IANA name such as Europe/London`, [
      { field: 'timezone', messages: ['timezone must be an IANA time zone name'] },
    ]),
  coachRequired: () =>
    AppError.badInput('Name the client’s primary coach (coachId)', [
      { field: 'coachId', messages: ['coachId is required when an admin or API key creates a client'] },
    ]),
  endBeforeStart: () =>
    AppError.badInput('An engagement cannot end before it starts', [
      { field: 'endsOn', messages: ['endsOn must be on or after startsOn'] },
    ]),
  engagementEnded: () => AppError.conflict('This engagement has ended; start a new one instead'),
  notAllowed: () => AppError.forbidden('Only an admin or the client’s coach may do this'),

  // Also for another client's entries: existence never leaks.
  traitNotFound: () => AppError.notFound('Trait'),
  traitNameTaken: (name: string) =>
    AppError.badInput(`Your profile already has "${name}" of this kind`, [
      { field: 'name', messages: [`name "${name}" is already in your profile (names are compared ignoring case)`] },
    ]),
  traitLimit: (kind: string, limit: number) =>
    AppError.badInput(`Your profile already has ${limit} entries of kind ${kind}; remove one first`, [
      { field: 'kind', messages: [`at most ${limit} ${kind} entries may be in use`] },
    ]),
};
