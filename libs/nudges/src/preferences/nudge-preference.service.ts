import { Injectable, OnModuleInit } from '@nestjs/common';
import { sql } from 'kysely';
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
    await tx.db
      .insertInto('nudge_preferences')
      .columns(['client_id', 'email'])
      .expression((db) =>
        db
          .selectFrom('users as u')
          .select((eb) => ['u.id', eb.lit(false).as('email')])
          .where('u.id', '=', clientId),
      )
      .onConflict((oc) =>
        oc
          .columns(['tenant_id', 'client_id'])
          .doUpdateSet((eb) => ({ email: false, version: eb('nudge_preferences.version', '+', 1), updated_at: sql<Date>`now()` }))
          .where('nudge_preferences.email', '=', true),
      )
      .execute();
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
      await tx.db
        .insertInto('nudge_preferences')
        .values({
          client_id: input.clientId,
          opted_out: next.optedOut,
          muted_rules: next.mutedRules,
          email: next.email,
          in_app: next.inApp,
        })
        .onConflict((oc) =>
          oc.columns(['tenant_id', 'client_id']).doUpdateSet((eb) => ({
            opted_out: eb.ref('excluded.opted_out'),
            muted_rules: eb.ref('excluded.muted_rules'),
            email: eb.ref('excluded.email'),
            in_app: eb.ref('excluded.in_app'),
            version: eb('nudge_preferences.version', '+', 1),
            updated_at: sql<Date>`now()`,
          })),
        )
        .execute();
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
