import {
  AuditAction,
  AuditActorKind,
  AuditOutcome,
  AuditSubjectType,
  AuditTrail,
  userActor,
} from '#cairn/shared/audit';
import type { TenantTransaction } from '#cairn/shared/database';

/**
 * A completed sign-in; `details` say how (`mfa: TOTP` or `RECOVERY_CODE` after a second factor), `action` whether
 * it went through the firm's identity provider (SSO_SIGN_IN).
 */
export function recordSignIn(
  tx: TenantTransaction,
  userId: string,
  details: Record<string, string> = {},
  action: AuditAction.SIGN_IN_SUCCEEDED | AuditAction.SSO_SIGN_IN = AuditAction.SIGN_IN_SUCCEEDED,
) {
  return AuditTrail.record(tx, {
    action,
    actor: userActor(userId),
    subject: { type: AuditSubjectType.USER, id: userId },
    details,
  });
}

/**
 * A failed sign-in, in its own committed transaction. Whoever tried is unknown (ANONYMOUS); the account tried is
 * the subject when the email is a person's. An unknown email is not kept at all, not even hashed: it is
 * personal data of someone who may not be a user, and a hash of an email is easily reversed by guessing.
 */
export function recordSignInFailure(
  tx: TenantTransaction,
  userId: string | undefined,
  reason: string,
  stage = 'PASSWORD',
) {
  return AuditTrail.record(tx, {
    action: AuditAction.SIGN_IN_FAILED,
    outcome: AuditOutcome.FAILURE,
    actor: { kind: AuditActorKind.ANONYMOUS },
    subject: userId ? { type: AuditSubjectType.USER, id: userId } : undefined,
    details: { reason, stage },
  });
}
