import { Injectable, OnModuleInit } from '@nestjs/common';
import { EmailOptOuts, MessageKind } from '#cairn/messaging';
import type { TenantTransaction } from '#cairn/shared/database';

/** Coaches' opt-out of report emails: set by a report email's unsubscribe link, read by the report run. */
@Injectable()
export class ReportOptOutService implements OnModuleInit {
  constructor(private readonly optOuts: EmailOptOuts) {}

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
}
