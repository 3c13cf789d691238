import { Injectable, OnModuleInit } from '@nestjs/common';
import { In } from 'typeorm';
import { CaseloadAccess } from '#cairn/clients';
import { EmailOptOuts, MessageKind } from '#cairn/messaging';
import { type Principal, Role } from '#cairn/shared/auth';
import { TenantDatabase, TenantTransaction } from '#cairn/shared/database';
import { AppError } from '#cairn/shared/graphql';
import { UpdateNudgePreferencesInput } from './dto/update-nudge-preferences.input.js';
import { defaultPreferences, NudgePreference } from './nudge-preference.entity.js';

@Injectable()
export class NudgePreferenceService implements OnModuleInit {
  constructor(
    private readonly tenantDb: TenantDatabase,
    private readonly caseload: CaseloadAccess,
    private readonly optOuts: EmailOptOuts,
  ) {}

  /** A nudge email's unsubscribe link turns email nudges off (the feed keeps them). */
  onModuleInit(): void {
    this.optOuts.register(MessageKind.NUDGE, {
      name: 'nudge emails',
      optOut: (tx, clientId) => this.turnEmailOff(tx, clientId),
    });
  }

  /** Email nudges off for the client; a no-op when they already are, or the client is not in the firm. */
  async turnEmailOff(tx: TenantTransaction, clientId: string): Promise<void> {
    await tx.manager.query(
      `INSERT INTO nudge_preferences (tenant_id, client_id, email)
       SELECT $1, u.id, false FROM users u WHERE u.tenant_id = $1 AND u.id = $2
       ON CONFLICT (tenant_id, client_id) DO UPDATE
         SET email = false, version = nudge_preferences.version + 1, updated_at = now()
         WHERE nudge_preferences.email`,
      [tx.tenantId, clientId],
    );
  }

  /** The client's preferences, if the caller may see the client. */
  get(principal: Principal, clientId: string): Promise<NudgePreference> {
    return this.tenantDb.transaction(async (tx) => {
      await this.caseload.visibleClient(tx, principal, clientId);
      return (await this.ofClients(tx, [clientId])).get(clientId)!;
    });
  }

  /**
   * Opting out is the client's own choice: the client (or a partner acting as them) and the firm's admins may
   * change it; a coach may read it but not decide it for them.
   */
  update(principal: Principal, input: UpdateNudgePreferencesInput): Promise<NudgePreference> {
    return this.tenantDb.transaction(async (tx) => {
      await this.caseload.visibleClient(tx, principal, input.clientId);
      if (principal.role === Role.COACH) throw AppError.forbidden('Only the client or an admin changes nudge preferences');
      const current = (await this.ofClients(tx, [input.clientId])).get(input.clientId)!;
      const next = {
        optedOut: input.optedOut ?? current.optedOut,
        mutedRules: input.mutedRules ? [...new Set(input.mutedRules)] : current.mutedRules,
        email: input.email ?? current.email,
        inApp: input.inApp ?? current.inApp,
      };
      await tx.manager.query(
        `INSERT INTO nudge_preferences (tenant_id, client_id, opted_out, muted_rules, email, in_app)
         VALUES ($1, $2, $3, $4, $5, $6)
         ON CONFLICT (tenant_id, client_id) DO UPDATE
           SET opted_out = EXCLUDED.opted_out, muted_rules = EXCLUDED.muted_rules, email = EXCLUDED.email,
               in_app = EXCLUDED.in_app, version = nudge_preferences.version + 1, updated_at = now()`,
        [tx.tenantId, input.clientId, next.optedOut, next.mutedRules, next.email, next.inApp],
      );
      return (await this.ofClients(tx, [input.clientId])).get(input.clientId)!;
    });
  }

  /** Preferences of many clients in one statement, defaults for those who never set any. No access check. */
  async ofClients(tx: TenantTransaction, clientIds: readonly string[]): Promise<Map<string, NudgePreference>> {
    const rows = clientIds.length ? await tx.repo(NudgePreference).find({ where: { clientId: In([...clientIds]) } }) : [];
    const byClient = new Map(rows.map((r) => [r.clientId, r]));
    return new Map(clientIds.map((id) => [id, byClient.get(id) ?? defaultPreferences(tx.tenantId, id)]));
  }
}
