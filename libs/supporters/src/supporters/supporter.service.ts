import { Injectable } from '@nestjs/common';
import { CaseloadAccess } from '#cairn/clients';
import { type Principal, Role } from '#cairn/shared/auth';
import { isValidTimeZone } from '#cairn/shared/calendar';
import { isUniqueViolation, TenantDatabase, type TenantTransaction } from '#cairn/shared/database';
import { requireSupportersEnabled } from '../policy/supporter-policy.js';
import { SupporterErrors } from '../supporters.errors.js';
import { GoalShareInput, InviteSupporterInput } from './dto/supporter.inputs.js';
import { SupporterLinks } from './supporter-links.js';
import { Supporter, SupporterLinkPayload } from './supporter.model.js';
import { selectSupporters } from './supporter.rows.js';

export const MAX_ACTIVE_SUPPORTERS = 20;

/**
 * A client's circle: inviting (the client, or a coach with the client's consent recorded), the sign-in links,
 * revoking, and which goals each supporter sees. Reach is the caseload's: a client their own supporters, a coach
 * their clients', an admin the firm's; anything else is NOT_FOUND.
 */
@Injectable()
export class SupporterService {
  constructor(
    private readonly tenantDb: TenantDatabase,
    private readonly caseload: CaseloadAccess,
    private readonly links: SupporterLinks,
  ) {}

  invite(principal: Principal, input: InviteSupporterInput): Promise<SupporterLinkPayload> {
    const email = input.email.trim().toLowerCase();
    if (input.timezone && !isValidTimeZone(input.timezone)) throw SupporterErrors.invalidTimeZone(input.timezone);
    const byCoach = principal.role !== Role.CLIENT;
    if (byCoach && (input.clientConsent !== true || !input.consentNote?.trim())) throw SupporterErrors.consentRequired();
    return this.tenantDb.transaction(async (tx) => {
      await requireSupportersEnabled(tx);
      const client = await this.caseload.editableClient(tx, principal, input.clientId);
      // Serialises invitations for one client, so two at once cannot both pass the count.
      await tx.db.selectFrom('users').select('id').where('id', '=', client.id).forUpdate().execute();
      const active = await tx.db
        .selectFrom('supporters')
        .select((eb) => eb.fn.countAll<string>().as('n'))
        .where('client_id', '=', client.id)
        .where('revoked_at', 'is', null)
        .executeTakeFirstOrThrow();
      if (Number(active.n) >= MAX_ACTIVE_SUPPORTERS) throw SupporterErrors.tooManySupporters(MAX_ACTIVE_SUPPORTERS);
      let id: string;
      try {
        ({ id } = await tx.db
          .insertInto('supporters')
          .values({
            client_id: client.id,
            email,
            display_name: input.displayName.trim(),
            relationship: input.relationship,
            timezone: input.timezone ?? null,
            consent_note: byCoach ? input.consentNote!.trim() : null,
            invited_by_user_id: principal.userId ?? null,
          })
          .returning('id')
          .executeTakeFirstOrThrow());
      } catch (error) {
        if (isUniqueViolation(error, 'supporters_open_email')) throw SupporterErrors.alreadyInvited();
        throw error;
      }
      const supporter = await this.fetch(tx, id);
      return { supporter, ...(await this.links.issue(tx, supporter)) };
    });
  }

  /** A new link; the unused ones stop working. */
  resendLink(principal: Principal, id: string): Promise<SupporterLinkPayload> {
    return this.tenantDb.transaction(async (tx) => {
      await requireSupportersEnabled(tx);
      const supporter = await this.visible(tx, principal, id);
      await this.caseload.editableClient(tx, principal, supporter.clientId);
      if (supporter.revokedAt) throw SupporterErrors.supporterRevoked();
      return { supporter, ...(await this.links.issue(tx, supporter)) };
    });
  }

  /** Ends their sessions and voids their links at once (the credential check reads them on every request). */
  revoke(principal: Principal, id: string): Promise<Supporter> {
    return this.tenantDb.transaction(async (tx) => {
      const supporter = await this.visible(tx, principal, id);
      if (supporter.revokedAt) return supporter;
      const now = new Date();
      await tx.db
        .updateTable('supporters')
        .set((eb) => ({ revoked_at: now, updated_at: now, version: eb('version', '+', 1) }))
        .where('id', '=', id)
        .execute();
      await tx.db.updateTable('supporter_sessions').set({ revoked_at: now }).where('supporter_id', '=', id).where('revoked_at', 'is', null).execute();
      await tx.db.updateTable('supporter_links').set({ expires_at: now }).where('supporter_id', '=', id).where('used_at', 'is', null).execute();
      await tx.db.deleteFrom('goal_supporter_shares').where('supporter_id', '=', id).execute();
      return this.fetch(tx, id);
    });
  }

  list(principal: Principal, clientId: string, includeRevoked: boolean): Promise<Supporter[]> {
    return this.tenantDb.read(async (tx) => {
      await this.caseload.visibleClient(tx, principal, clientId);
      return selectSupporters(tx)
        .where('s.client_id', '=', clientId)
        .$if(!includeRevoked, (q) => q.where('s.revoked_at', 'is', null))
        .orderBy('s.created_at')
        .orderBy('s.id')
        .execute();
    });
  }

  /** The client's own choice: only the client shares their goals, and only their own goals. */
  share(principal: Principal, input: GoalShareInput): Promise<Supporter> {
    return this.tenantDb.transaction(async (tx) => {
      const supporter = await this.ownActive(tx, principal, input.supporterId);
      const goal = await tx.db
        .selectFrom('goals')
        .select('id')
        .where('id', '=', input.goalId)
        .where('client_id', '=', supporter.clientId)
        .executeTakeFirst();
      if (!goal) throw SupporterErrors.goalNotFound();
      await tx.db
        .insertInto('goal_supporter_shares')
        .values({ goal_id: goal.id, supporter_id: supporter.id, shared_by_user_id: principal.userId ?? null })
        .onConflict((oc) => oc.doNothing())
        .execute();
      return this.fetch(tx, supporter.id);
    });
  }

  unshare(principal: Principal, input: GoalShareInput): Promise<Supporter> {
    return this.tenantDb.transaction(async (tx) => {
      const supporter = await this.ownActive(tx, principal, input.supporterId);
      await tx.db
        .deleteFrom('goal_supporter_shares')
        .where('supporter_id', '=', supporter.id)
        .where('goal_id', '=', input.goalId)
        .execute();
      return this.fetch(tx, supporter.id);
    });
  }

  /** The supporter, if the caller may reach their client; NOT_FOUND otherwise (whatever the reason). */
  async visible(tx: TenantTransaction, principal: Principal, id: string): Promise<Supporter> {
    const supporter = await selectSupporters(tx).where('s.id', '=', id).executeTakeFirst();
    if (!supporter) throw SupporterErrors.supporterNotFound();
    const [client] = await this.caseload.visibleClients(tx, principal, [supporter.clientId]);
    if (!client) throw SupporterErrors.supporterNotFound();
    return supporter;
  }

  /** A supporter of the calling client themself, not revoked. */
  async ownActive(tx: TenantTransaction, principal: Principal, id: string): Promise<Supporter> {
    const supporter = await this.visible(tx, principal, id);
    if (supporter.clientId !== principal.userId) throw SupporterErrors.supporterNotFound();
    await this.caseload.editableClient(tx, principal, supporter.clientId);
    if (supporter.revokedAt) throw SupporterErrors.supporterRevoked();
    return supporter;
  }

  private fetch(tx: TenantTransaction, id: string): Promise<Supporter> {
    return selectSupporters(tx).where('s.id', '=', id).executeTakeFirstOrThrow();
  }
}
