import { Injectable } from '@nestjs/common';
import { TenantDatabase, TenantTransaction } from '#cairn/shared/database';
import { UpdateNudgePolicyInput } from './dto/update-nudge-policy.input.js';
import { DEFAULT_NUDGE_POLICY, NudgePolicy } from './nudge-policy.entity.js';

const COLUMNS: Record<keyof UpdateNudgePolicyInput, string> = {
  enabled: 'enabled',
  checkinDueSoonHours: 'checkin_due_soon_hours',
  checkinMissed: 'checkin_missed',
  taskStarting: 'task_starting',
  taskOverdue: 'task_overdue',
  goalStalledDays: 'goal_stalled_days',
  goalBehindWithinDays: 'goal_behind_within_days',
  celebrations: 'celebrations',
  quietHoursStart: 'quiet_hours_start',
  quietHoursEnd: 'quiet_hours_end',
  dailyCap: 'daily_cap',
};

@Injectable()
export class NudgePolicyService {
  constructor(private readonly tenantDb: TenantDatabase) {}

  async policyOf(tx: TenantTransaction): Promise<NudgePolicy> {
    const row = await tx.repo(NudgePolicy).findOne({});
    if (!row) return { ...DEFAULT_NUDGE_POLICY, tenantId: tx.tenantId };
    // PostgreSQL gives `time` as HH:MM:SS.
    return { ...row, quietHoursStart: row.quietHoursStart.slice(0, 5), quietHoursEnd: row.quietHoursEnd.slice(0, 5), isDefault: false };
  }

  get(): Promise<NudgePolicy> {
    return this.tenantDb.transaction((tx) => this.policyOf(tx));
  }

  /** Upserts the given fields; the rest keep their current (or default) values. */
  update(input: UpdateNudgePolicyInput): Promise<NudgePolicy> {
    return this.tenantDb.transaction(async (tx) => {
      const fields = (Object.keys(COLUMNS) as (keyof UpdateNudgePolicyInput)[]).filter(
        (key) => input[key] !== undefined && input[key] !== null,
      );
      const columns = fields.map((key) => COLUMNS[key]);
      const values = fields.map((key) => input[key]);
      await tx.manager.query(
        `INSERT INTO nudge_policies (tenant_id${columns.map((c) => `, ${c}`).join('')})
         VALUES ($1${values.map((_, i) => `, $${i + 2}`).join('')})
         ON CONFLICT (tenant_id) DO UPDATE SET version = nudge_policies.version + 1, updated_at = now()
           ${columns.map((c) => `, ${c} = EXCLUDED.${c}`).join('')}`,
        [tx.tenantId, ...values],
      );
      return this.policyOf(tx);
    });
  }
}
