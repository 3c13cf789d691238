import { Injectable, OnModuleInit } from '@nestjs/common';
import { EmailOptOuts, MessageKind } from '#cairn/messaging';
import { TenantDatabase, type TenantTransaction } from '#cairn/shared/database';
import type { ReportEmailPreference } from './report-email-preference.model.js';

/**
 * Coaches' opt-out of report emails: set by a report email's unsubscribe link or by the coach through the API,
 * undone only by the coach, read by the report run.
 */
@Injectable()
export class ReportOptOutService implements OnModuleInit {
  constructor(
    private readonly optOuts: EmailOptOuts,
    private readonly tenantDb: TenantDatabase,
  ) {}

  onModuleInit(): void {
    this.optOuts.register(MessageKind.REPORT, {
      name: 'client report emails',
      optOut: (tx, coachId) => this.optOut(tx, coachId),
    });
  }

  /** A no-op when the coach already opted out or is not in the firm. */
  async optOut(tx: TenantTransaction, coachId: string): Promise<void> {
    await tx.db
      .insertInto('report_email_opt_outs')
      .columns(['coach_id'])
      .expression((db) => db.selectFrom('users as u').select('u.id').where('u.id', '=', coachId))
      .onConflict((oc) => oc.doNothing())
      .execute();
  }

  preferenceOf(coachId: string): Promise<ReportEmailPreference> {
    return this.tenantDb.read((tx) => this.read(tx, coachId));
  }

  /** Turning emails off keeps the first opt-out's time; turning them on when they are on changes nothing. */
  setEmail(coachId: string, email: boolean): Promise<ReportEmailPreference> {
    return this.tenantDb.transaction(async (tx) => {
      if (email) await tx.db.deleteFrom('report_email_opt_outs').where('coach_id', '=', coachId).execute();
      else await this.optOut(tx, coachId);
      return this.read(tx, coachId);
    });
  }

  private async read(tx: TenantTransaction, coachId: string): Promise<ReportEmailPreference> {
    const row = await tx.db
      .selectFrom('report_email_opt_outs')
      .select('created_at')
      .where('coach_id', '=', coachId)
      .executeTakeFirst();
    return { coachId, email: !row, unsubscribedAt: row?.created_at ?? null };
  }
}
