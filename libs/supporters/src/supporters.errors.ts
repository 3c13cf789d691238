import { AppError, ErrorCode } from '#cairn/shared/graphql';

const bad = (field: string, message: string) => AppError.badInput(message, [{ field, messages: [message] }]);

/** Every failure of the supporters domain a caller can see. */
export const SupporterErrors = {
  // Also for another firm's or another client's supporters, goals and requests: existence never leaks.
  supporterNotFound: () => AppError.notFound('Supporter'),
  goalNotFound: () => AppError.notFound('Goal'),
  requestNotFound: () => AppError.notFound('Supporter request'),
  // One answer for unknown, wrong, used, expired and revoked: none may be told apart.
  invalidLink: () => AppError.unauthenticated('Invalid, expired or already used supporter link'),
  invalidSession: () => AppError.unauthenticated('Invalid or expired supporter session'),
  sessionEnded: () => AppError.unauthenticated('This supporter session has ended'),
  supportersOff: () => AppError.forbidden('Your firm has turned supporters off'),
  consentRequired: () =>
    bad('clientConsent', 'A coach may invite a supporter only with the client’s consent, recorded in clientConsent'),
  tooManySupporters: (max: number) => bad('email', `A client may have at most ${max} active supporters`),
  alreadyInvited: () =>
    AppError.conflict('This address is already an active supporter of the client; use resendSupporterLink'),
  invalidTimeZone: (zone: string) => bad('timezone', `"${zone}" is not an IANA time zone`),
  supporterRevoked: () => AppError.conflict('This supporter was revoked'),
  requestAnswered: () => AppError.conflict('This request was already answered'),
  tooManyEncouragements: (max: number, retryAfterSeconds: number) =>
    new AppError(ErrorCode.RATE_LIMITED, `At most ${max} encouragements a day; try again later`, {
      retryAfterSeconds,
    }),
  tooManyOpenRequests: (max: number) =>
    bad('supporterId', `A supporter may have at most ${max} open requests; wait for answers first`),
};
