import type { Principal } from '#cairn/shared/auth';
import type { TenantTransaction } from '#cairn/shared/database';
import { AuditAction, AuditActorKind, AuditOutcome, AuditSubjectType } from './audit-action.enum.js';

export interface AuditActor {
  kind: AuditActorKind;
  /** The user's or API key's id; none for SYSTEM and ANONYMOUS. */
  id?: string;
}

/** A detail is a code, an id, a number or a flag: never a name, an email, an address or free text. */
export type AuditDetail = string | number | boolean | null | string[];

export interface AuditEntry {
  action: AuditAction;
  actor: AuditActor;
  subject?: { type: AuditSubjectType; id: string };
  outcome?: AuditOutcome;
  details?: Record<string, AuditDetail>;
}

// Codes (ADMIN, UNKNOWN_ACCOUNT, checkin.due), ids, field names: a shape free text and emails cannot take.
const CODE = /^[A-Za-z0-9_.:-]{1,64}$/;

/** The audit actor of a verified caller. An actAsClient token acts as its API key: that is who holds it. */
export function auditActorOf(principal: Principal): AuditActor {
  if (principal.apiKeyId) return { kind: AuditActorKind.API_KEY, id: principal.apiKeyId };
  if (principal.userId) return { kind: AuditActorKind.USER, id: principal.userId };
  return { kind: AuditActorKind.ANONYMOUS };
}

export const userActor = (userId: string): AuditActor => ({ kind: AuditActorKind.USER, id: userId });

/**
 * The one writer of the audit trail. It writes inside the caller's transaction, so an entry exists exactly when
 * the action it records committed (a failure the action must survive, such as a wrong password, is recorded
 * by its own committed transaction). The table refuses updates and deletes.
 */
export const AuditTrail = {
  async record(tx: TenantTransaction, entry: AuditEntry): Promise<void> {
    const details = entry.details ?? {};
    for (const [key, value] of Object.entries(details)) {
      const values = Array.isArray(value) ? value : [value];
      const plain = values.every((v) => typeof v !== 'string' || CODE.test(v));
      if (!CODE.test(key) || !plain) throw new Error(`Audit detail ${key} is not a code or an id`);
    }
    await tx.db
      .insertInto('audit_entries')
      .values({
        action: entry.action,
        outcome: entry.outcome ?? AuditOutcome.SUCCESS,
        actor_kind: entry.actor.kind,
        actor_id: entry.actor.id ?? null,
        subject_type: entry.subject?.type ?? null,
        subject_id: entry.subject?.id ?? null,
        details: JSON.stringify(details),
      })
      .execute();
  },
};

/** A firm-wide policy changed: the firm is the subject, the details say what (codes and field names only). */
export function recordPolicyChange(
  tx: TenantTransaction,
  principal: Principal,
  action: AuditAction,
  details: Record<string, AuditDetail>,
): Promise<void> {
  return AuditTrail.record(tx, {
    action,
    actor: auditActorOf(principal),
    subject: { type: AuditSubjectType.FIRM, id: tx.tenantId },
    details,
  });
}
