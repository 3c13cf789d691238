import { Field, Float, ID, Int, ObjectType } from '@nestjs/graphql';
import { Check, Column, Entity, Index, Unique } from 'typeorm';
import { AuditColumns, TenantForeignKey } from '#cairn/shared/database';

// numeric comes back from pg as a string.
const numericYears = {
  to: (value: number | null | undefined) => value,
  from: (value: string | null) => (value === null ? null : Number(value)),
};

/** One rung of a career ladder. */
@ObjectType({ description: 'A role on a career path.' })
@Check('career_steps_description_check', '(length(description) <= 2000)')
@Check(
  'career_steps_estimated_years_check',
  '((estimated_years >= (0)::numeric) AND (estimated_years <= (50)::numeric))',
)
@Check('career_steps_position_check', '("position" >= 1)')
@Check('career_steps_title_check', '((length(title) >= 1) AND (length(title) <= 120))')
@Unique('career_steps_position', ['tenantId', 'pathId', 'position'], { deferrable: 'INITIALLY IMMEDIATE' })
@Unique('career_steps_tenant_id_id_key', ['tenantId', 'id'])
@Unique('career_steps_tenant_id_path_id_id_key', ['tenantId', 'pathId', 'id'])
@TenantForeignKey('CareerPath', 'pathId', 'career_steps_tenant_id_path_id_fkey', 'CASCADE')
@Index('career_steps_tenant_path', ['tenantId', 'pathId', 'position'])
@Entity('career_steps')
export class CareerStep extends AuditColumns({
  id: 'field',
  tenantId: 'column',
  createdAt: 'field',
  updatedAt: 'field',
}) {
  @Field(() => ID)
  @Column('uuid')
  pathId: string;

  @Field(() => Int, { description: '1 for the first rung (lowest), increasing towards the top.' })
  @Column({ type: 'integer' })
  position: number;

  @Field({ description: 'The role, e.g. "Sales Manager".' })
  @Column({ type: 'text' })
  title: string;

  @Field(() => String, { nullable: true })
  @Column({ type: 'text', nullable: true })
  description: string | null;

  @Field(() => Float, {
    description:
      'Estimated years to reach this step from the step before it (the first step’s is usually 0), 0 to 50 in ' +
      'steps of 0.1.',
  })
  @Column({ type: 'numeric', precision: 4, scale: 1, transformer: numericYears, default: 0 })
  estimatedYears: number;
}
