import { Check, Column, Entity, PrimaryColumn } from 'typeorm';
import { AuditColumns, FirmForeignKey, TenantForeignKey } from '#cairn/shared/database';
import { AuthenticityCriterion } from '../authenticity/authenticity-criterion.enum.js';
import { SmartCriterion } from './smart-criterion.enum.js';

/** A firm's goal policy; absent means the defaults (the five SMART criteria required, no authenticity criterion). */
@Check(
  'goal_policies_required_criteria_check',
  `(required_criteria <@ ARRAY['SPECIFIC'::text, 'MEASURABLE'::text, 'ATTAINABLE'::text, 'RELEVANT'::text, 'TIME_BOUND'::text, 'POSITIVE_PHRASING'::text, 'OWN_DESIRE'::text])`,
)
@Check(
  'goal_policies_required_authenticity_check',
  `(required_authenticity <@ ARRAY['WHY_ANSWERED'::text, 'VALUES_IN_PROFILE'::text, 'USES_STRENGTH'::text, 'OWN_DESIRE'::text])`,
)
@FirmForeignKey('goal_policies_tenant_id_fkey')
@TenantForeignKey('User', 'updatedByUserId', 'goal_policies_tenant_id_updated_by_user_id_fkey')
@Entity('goal_policies')
export class GoalPolicyRow extends AuditColumns({ updatedAt: 'column' }) {
  @PrimaryColumn('uuid')
  tenantId: string;

  @Column({ type: 'text', array: true })
  requiredCriteria: SmartCriterion[];

  @Column({ type: 'text', array: true, default: () => `'{}'` })
  requiredAuthenticity: AuthenticityCriterion[];

  @Column({ type: 'uuid', nullable: true })
  updatedByUserId: string | null;
}
