import { registerEnumType } from '@nestjs/graphql';

/**
 * Every security-relevant action the audit trail records. Values are stored as text: never rename one, add
 * a new value instead.
 */
export enum AuditAction {
  SIGN_IN_SUCCEEDED = 'SIGN_IN_SUCCEEDED',
  SIGN_IN_FAILED = 'SIGN_IN_FAILED',
  SSO_SIGN_IN = 'SSO_SIGN_IN',
  PASSWORD_CHANGED = 'PASSWORD_CHANGED',
  MFA_ENROLMENT_STARTED = 'MFA_ENROLMENT_STARTED',
  MFA_ENABLED = 'MFA_ENABLED',
  MFA_DISABLED = 'MFA_DISABLED',
  MFA_RECOVERY_CODE_USED = 'MFA_RECOVERY_CODE_USED',
  MFA_RECOVERY_CODES_REGENERATED = 'MFA_RECOVERY_CODES_REGENERATED',
  INVITATION_CREATED = 'INVITATION_CREATED',
  INVITATION_ACCEPTED = 'INVITATION_ACCEPTED',
  INVITATION_REVOKED = 'INVITATION_REVOKED',
  USER_ROLE_CHANGED = 'USER_ROLE_CHANGED',
  USER_DEACTIVATED = 'USER_DEACTIVATED',
  API_KEY_CREATED = 'API_KEY_CREATED',
  API_KEY_REVOKED = 'API_KEY_REVOKED',
  CLIENT_TOKEN_MINTED = 'CLIENT_TOKEN_MINTED',
  DATA_EXPORT_REQUESTED = 'DATA_EXPORT_REQUESTED',
  CLIENT_ERASED = 'CLIENT_ERASED',
  WEBHOOK_ENDPOINT_CREATED = 'WEBHOOK_ENDPOINT_CREATED',
  WEBHOOK_ENDPOINT_UPDATED = 'WEBHOOK_ENDPOINT_UPDATED',
  WEBHOOK_ENDPOINT_DELETED = 'WEBHOOK_ENDPOINT_DELETED',
  WEBHOOK_SECRET_ROTATED = 'WEBHOOK_SECRET_ROTATED',
  GOAL_POLICY_CHANGED = 'GOAL_POLICY_CHANGED',
  NUDGE_POLICY_CHANGED = 'NUDGE_POLICY_CHANGED',
  REPORT_POLICY_CHANGED = 'REPORT_POLICY_CHANGED',
  SUPPORTER_POLICY_CHANGED = 'SUPPORTER_POLICY_CHANGED',
  MFA_POLICY_CHANGED = 'MFA_POLICY_CHANGED',
  SSO_CONFIG_CHANGED = 'SSO_CONFIG_CHANGED',
}

registerEnumType(AuditAction, {
  name: 'AuditAction',
  description: 'A security-relevant action the audit trail records.',
});

/** Who acted. A person (USER), an API key (API_KEY), the platform itself (SYSTEM) or nobody known (ANONYMOUS). */
export enum AuditActorKind {
  USER = 'USER',
  API_KEY = 'API_KEY',
  SYSTEM = 'SYSTEM',
  ANONYMOUS = 'ANONYMOUS',
}

registerEnumType(AuditActorKind, { name: 'AuditActorKind' });

/** What the action was done to; always with the subject's id, never its name. */
export enum AuditSubjectType {
  FIRM = 'FIRM',
  USER = 'USER',
  INVITATION = 'INVITATION',
  API_KEY = 'API_KEY',
  WEBHOOK_ENDPOINT = 'WEBHOOK_ENDPOINT',
}

registerEnumType(AuditSubjectType, { name: 'AuditSubjectType' });

export enum AuditOutcome {
  SUCCESS = 'SUCCESS',
  FAILURE = 'FAILURE',
}

registerEnumType(AuditOutcome, { name: 'AuditOutcome' });
