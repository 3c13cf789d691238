import { Injectable, type OnModuleInit } from '@nestjs/common';
import { CaseloadAccess } from '#cairn/clients';
import { EmailOptOuts, MessageKind } from '#cairn/messaging';
import type { Principal } from '#cairn/shared/auth';
import { TenantDatabase, type TenantTransaction } from '#cairn/shared/database';
import { DigestCadence, SupporterDigestSettings, UpdateSupporterDigestInput } from './supporter-digest.types.js';

/** The client's digest cadence, and each supporter's one-click opt-out (the digest email's link). */
@Injectable()
export class SupporterDigestSettingsService implements OnModuleInit {
  constructor(
    private readonly tenantDb: TenantDatabase,
    private readonly caseload: CaseloadAccess,
    private readonly optOuts: EmailOptOuts,
  ) {}

  onModuleInit(): void {
    // The link names the supporter in place of a user: the only id the opt-out below reads.
    this.optOuts.register(MessageKind.SUPPORTER_DIGEST, {
      name: 'supporter digest emails',
      optOut: (tx, supporterId) => this.optOut(tx, supporterId),
    });
  }

  async optOut(tx: TenantTransaction, supporterId: string): Promise<void> {
    await tx.db
      .updateTable('supporters')
      .set({ digest_opted_out_at: new Date() })
      .where('id', '=', supporterId)
      .where('digest_opted_out_at', 'is', null)
      .execute();
  }

  get(principal: Principal, clientId: string): Promise<SupporterDigestSettings> {
    return this.tenantDb.read(async (tx) => {
      await this.caseload.visibleClient(tx, principal, clientId);
      return { clientId, cadence: await cadenceOf(tx, clientId) };
    });
  }

  set(principal: Principal, input: UpdateSupporterDigestInput): Promise<SupporterDigestSettings> {
    return this.tenantDb.transaction(async (tx) => {
      const client = await this.caseload.editableClient(tx, principal, input.clientId);
      await tx.db
        .insertInto('supporter_digest_cadences')
        .values({ client_id: client.id, cadence: input.cadence, updated_at: new Date() })
        .onConflict((oc) => oc.columns(['tenant_id', 'client_id']).doUpdateSet({ cadence: input.cadence, updated_at: new Date() }))
        .execute();
      return { clientId: client.id, cadence: input.cadence };
    });
  }
}

export async function cadenceOf(tx: TenantTransaction, clientId: string): Promise<DigestCadence> {
  const row = await tx.db.selectFrom('supporter_digest_cadences').select('cadence').where('client_id', '=', clientId).executeTakeFirst();
  return (row?.cadence as DigestCadence | undefined) ?? DigestCadence.WEEKLY;
}
