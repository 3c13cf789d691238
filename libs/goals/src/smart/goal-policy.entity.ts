import { Column, Entity, PrimaryColumn, UpdateDateColumn } from 'typeorm';
import { SmartCriterion } from './smart-criterion.enum.js';

/** A firm's goal policy; absent means the defaults (the five SMART criteria required). */
@Entity('goal_policies')
export class GoalPolicyRow {
  @PrimaryColumn('uuid')
  tenantId: string;

  @Column({ type: 'text', array: true })
  requiredCriteria: SmartCriterion[];

  @Column({ type: 'uuid', nullable: true })
  updatedByUserId: string | null;

  @UpdateDateColumn({ type: 'timestamptz' })
  updatedAt: Date;
}
