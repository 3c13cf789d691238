import { AppError } from '#cairn/shared/graphql';

/** Every identity failure a client can see, in one place so messages and codes stay consistent. */
export const IdentityErrors = {
  // One message for unknown firm, unknown email and wrong password: none of them may be told apart.
  invalidLogin: () => AppError.unauthenticated('Invalid firm, email or password'),
  accountDeactivated: () => AppError.unauthenticated('This account has been deactivated'),
  invalidRefreshToken: () => AppError.unauthenticated('Invalid or expired refresh token'),
  refreshTokenReused: () =>
    AppError.unauthenticated('Refresh token was already used; every session of this login has been revoked'),
  invalidApiKey: () => AppError.unauthenticated('Invalid API key'),
  apiKeyRevoked: () => AppError.unauthenticated('This API key has been revoked'),
  tokenRevoked: () => AppError.unauthenticated('This token is no longer valid'),
  sessionEnded: () => AppError.unauthenticated('This session has ended; sign in again'),
  wrongCurrentPassword: () =>
    AppError.badInput('The current password is not correct', [
      { field: 'currentPassword', messages: ['currentPassword is not correct'] },
    ]),
  invalidInvitation: () => AppError.unauthenticated('Invalid, expired or already used invitation'),
  slugTaken: (slug: string) => AppError.conflict(`A firm with the slug "${slug}" already exists`),
  emailTaken: (email: string) => AppError.conflict(`A user with the email ${email} already exists in this firm`),
  cannotDeactivateSelf: () => AppError.badInput('You cannot deactivate your own account'),
  userNotFound: () => AppError.notFound('User'),
  clientNotFound: () => AppError.notFound('Client'),
  apiKeyNotFound: () => AppError.notFound('API key'),
  invitationNotFound: () => AppError.notFound('Invitation'),
  ssoIssuerUnreachable: (why: string) =>
    AppError.badInput(`The identity provider's discovery document could not be read: ${why}`, [
      { field: 'issuer', messages: [`issuer discovery failed: ${why}`] },
    ]),
  ssoIssuerNotHttps: () =>
    AppError.badInput('The issuer must be an https:// URL', [
      { field: 'issuer', messages: ['issuer must be an https:// URL (http only with SSO_ALLOW_HTTP_ISSUERS)'] },
    ]),
  invalidSsoCode: () => AppError.unauthenticated('Invalid, expired or already used sign-in code'),
  ssoRequired: () => AppError.forbidden('This firm signs in through its identity provider (single sign-on), not a password'),
};
