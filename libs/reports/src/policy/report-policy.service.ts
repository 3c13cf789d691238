import { Injectable } from '@nestjs/common';
import { sql } from 'kysely';
import { AuditAction, recordPolicyChange } from '#cairn/shared/audit';
import type { Principal } from '#cairn/shared/auth';
import { type DB, TenantDatabase, TenantTransaction } from '#cairn/shared/database';
import { UpdateReportPolicyInput } from './dto/update-report-policy.input.js';
import { DEFAULT_REPORT_POLICY, ReportPolicy } from './report-policy.entity.js';

const COLUMNS = {
  enabled: 'enabled',
  weekday: 'weekday',
  localTime: 'local_time',
  periodDays: 'period_days',
  clientUrlPattern: 'client_url_pattern',
} as const satisfies Record<keyof UpdateReportPolicyInput, keyof DB['report_policies']>;

@Injectable()
export class ReportPolicyService {
  constructor(private readonly tenantDb: TenantDatabase) {}

  async policyOf(tx: TenantTransaction): Promise<ReportPolicy> {
    const row = await tx.repo(ReportPolicy).findOne({});
    if (!row) return { ...DEFAULT_REPORT_POLICY, tenantId: tx.tenantId };
    // PostgreSQL gives `time` as HH:MM:SS.
    return { ...row, localTime: row.localTime.slice(0, 5), isDefault: false };
  }

  get(): Promise<ReportPolicy> {
    return this.tenantDb.transaction((tx) => this.policyOf(tx));
  }

  /** Upserts the given fields; the rest keep their current (or default) values. */
  update(principal: Principal, input: UpdateReportPolicyInput): Promise<ReportPolicy> {
    return this.tenantDb.transaction(async (tx) => {
      const fields = (Object.keys(COLUMNS) as (keyof UpdateReportPolicyInput)[]).filter(
        (key) => input[key] !== undefined && input[key] !== null,
      );
      const columns = fields.map((key) => COLUMNS[key]);
      await tx.db
        .insertInto('report_policies')
        // An empty pattern clears the firm's own (the deployment's applies again).
        .values(
          Object.fromEntries(fields.map((key) => [COLUMNS[key], input[key] === '' ? null : input[key]])),
        )
        .onConflict((oc) =>
          oc.column('tenant_id').doUpdateSet((eb) => ({
            version: eb('report_policies.version', '+', 1),
            updated_at: sql<Date>`now()`,
            ...Object.fromEntries(columns.map((c) => [c, eb.ref(`excluded.${c}`)])),
          })),
        )
        .execute();
      await recordPolicyChange(tx, principal, AuditAction.REPORT_POLICY_CHANGED, { changed: fields });
      return this.policyOf(tx);
    });
  }
}
