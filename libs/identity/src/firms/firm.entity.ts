import { Field, ID, ObjectType } from '@nestjs/graphql';
import { Check, Column, Entity, PrimaryGeneratedColumn, Unique } from 'typeorm';
import { AuditColumns } from '#cairn/shared/database';

/** A coaching firm: the tenant. Its id is the `tenant_id` of every row the firm owns. */
@ObjectType({ description: 'A coaching firm (the tenant).' })
@Check('tenants_name_check', '((length(name) >= 1) AND (length(name) <= 120))')
@Check('tenants_slug_check', `(slug ~ '^[a-z0-9][a-z0-9-]{1,48}[a-z0-9]$'::text)`)
@Unique('tenants_slug_key', ['slug'])
@Entity('tenants')
export class Firm extends AuditColumns({ createdAt: 'field', updatedAt: 'column' }) {
  @Field(() => ID)
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Field()
  @Column({ type: 'text' })
  name: string;

  @Field({ description: 'Unique, URL-safe name used to log in.' })
  @Column({ type: 'text' })
  slug: string;

  @Field({ description: 'IANA time zone used when a person has none of their own.' })
  @Column({ type: 'text' })
  defaultTimezone: string;
}
