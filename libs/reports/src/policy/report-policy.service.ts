import { Injectable } from '@nestjs/common';
import { TenantDatabase, TenantTransaction } from '#cairn/shared/database';
import { UpdateReportPolicyInput } from './dto/update-report-policy.input.js';
import { DEFAULT_REPORT_POLICY, ReportPolicy } from './report-policy.entity.js';

const COLUMNS: Record<keyof UpdateReportPolicyInput, string> = {
  enabled: 'enabled',
  weekday: 'weekday',
  localTime: 'local_time',
  periodDays: 'period_days',
  clientUrlPattern: 'client_url_pattern',
};

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
  update(input: UpdateReportPolicyInput): Promise<ReportPolicy> {
    return this.tenantDb.transaction(async (tx) => {
      const fields = (Object.keys(COLUMNS) as (keyof UpdateReportPolicyInput)[]).filter(
        (key) => input[key] !== undefined && input[key] !== null,
      );
      const columns = fields.map((key) => COLUMNS[key]);
      // An empty pattern clears the firm's own (the deployment's applies again).
      const values = fields.map((key) => (input[key] === '' ? null : input[key]));
      await tx.manager.query(
        `INSERT INTO report_policies (tenant_id${columns.map((c) => `, ${c}`).join('')})
         VALUES ($1${values.map((_, i) => `, $${i + 2}`).join('')})
         ON CONFLICT (tenant_id) DO UPDATE SET version = report_policies.version + 1, updated_at = now()
           ${columns.map((c) => `, ${c} = EXCLUDED.${c}`).join('')}`,
        [tx.tenantId, ...values],
      );
      return this.policyOf(tx);
    });
  }
}
