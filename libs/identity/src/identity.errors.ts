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
  cannotResetOwnMfa: () =>
    AppError.badInput('You cannot reset your own second factor; use disableMfa with a code or a recovery code', [
      { field: 'id', messages: ['id is your own account'] },
    ]),
  cannotChangeOwnRole: () =>
    AppError.badInput('You cannot change your own role', [{ field: 'id', messages: ['id is your own account'] }]),
  staffRolesOnly: () =>
    AppError.badInput('A role changes between ADMIN and COACH only', [
      { field: 'role', messages: ['role can change between ADMIN and COACH only'] },
    ]),
  userNotFound: () => AppError.notFound('User'),
  clientNotFound: () => AppError.notFound('Client'),
  apiKeyNotFound: () => AppError.notFound('API key'),
  invitationNotFound: () => AppError.notFound('Invitation'),
  secondFactorRequired: () =>
    AppError.unauthenticated('The firm requires a second factor for your role: sign in again to set it up'),
  invalidMfaChallenge: () => AppError.unauthenticated('Invalid, expired or already used MFA challenge; sign in again'),
  wrongMfaCode: (field: 'code' | 'recoveryCode') =>
    AppError.badInput(`The ${field === 'code' ? 'code' : 'recovery code'} is not correct`, [
      { field, messages: [`${field} is not correct`] },
    ]),
  mfaCodeReplayed: () =>
    AppError.badInput('This code was already used; wait for the next one', [
      { field: 'code', messages: ['code was already used'] },
    ]),
  mfaFactorMissing: () =>
    AppError.badInput('Give exactly one of code and recoveryCode', [
      { field: 'code', messages: ['give exactly one of code and recoveryCode'] },
    ]),
  mfaAlreadyEnabled: () => AppError.conflict('Multi-factor authentication is already on; disable it first'),
  mfaNotEnrolling: () => AppError.conflict('No MFA enrolment is in progress; call beginMfaEnrolment first'),
  mfaNotEnabled: () => AppError.conflict('Multi-factor authentication is not on'),
  mfaRequiredByPolicy: () => AppError.forbidden('The firm requires multi-factor authentication for your role'),
  mfaPolicyRole: () =>
    AppError.badInput('MFA can be required for ADMIN and COACH only', [
      { field: 'requiredFor', messages: ['requiredFor may name ADMIN and COACH only'] },
    ]),
  ssoIssuerUnreachable: (why: string) =>
    AppError.badInput(`The identity provider's discovery document could not be read: ${why}`, [
      { field: 'issuer', messages: [`issuer discovery failed: ${why}`] },
    ]),
  ssoIssuerNotHttps: () =>
    AppError.badInput('The issuer must be an https:// URL', [
      { field: 'issuer', messages: ['issuer must be an https:// URL (http only with SSO_ALLOW_HTTP_ISSUERS)'] },
    ]),
  ssoIssuerPrivate: () =>
    AppError.badInput('The issuer must not point to a loopback, private or link-local address', [
      {
        field: 'issuer',
        messages: ['issuer must not point to a loopback, private or link-local address (allowed with SSO_ALLOW_PRIVATE_ISSUERS)'],
      },
    ]),
  invalidSsoCode: () => AppError.unauthenticated('Invalid, expired or already used sign-in code'),
  ssoRequired: () => AppError.forbidden('This firm signs in through its identity provider (single sign-on), not a password'),
};
