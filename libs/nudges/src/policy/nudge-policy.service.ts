import { Injectable } from '@nestjs/common';
import { sql } from 'kysely';
import { AuditAction, recordPolicyChange } from '#cairn/shared/audit';
import type { Principal } from '#cairn/shared/auth';
import { type DB, TenantDatabase, TenantTransaction } from '#cairn/shared/database';
import { UpdateNudgePolicyInput } from './dto/update-nudge-policy.input.js';
import { DEFAULT_NUDGE_POLICY, NudgePolicy } from './nudge-policy.entity.js';

const COLUMNS = {
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
} as const satisfies Record<keyof UpdateNudgePolicyInput, keyof DB['nudge_policies']>;

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
  update(principal: Principal, input: UpdateNudgePolicyInput): Promise<NudgePolicy> {
    return this.tenantDb.transaction(async (tx) => {
      const fields = (Object.keys(COLUMNS) as (keyof UpdateNudgePolicyInput)[]).filter(
        (key) => input[key] !== undefined && input[key] !== null,
      );
      const columns = fields.map((key) => COLUMNS[key]);
      await tx.db
        .insertInto('nudge_policies')
        .values(Object.fromEntries(fields.map((key) => [COLUMNS[key], input[key]])))
        .onConflict((oc) =>
          oc.column('tenant_id').doUpdateSet((eb) => ({
            version: eb('nudge_policies.version', '+', 1),
            updated_at: sql<Date>`now()`,
            ...Object.fromEntries(columns.map((c) => [c, eb.ref(`excluded.${c}`)])),
          })),
        )
        .execute();
      await recordPolicyChange(tx, principal, AuditAction.NUDGE_POLICY_CHANGED, { changed: fields });
      return this.policyOf(tx);
    });
  }
}
