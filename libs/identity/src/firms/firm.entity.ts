import { Field, ID, ObjectType } from '@nestjs/graphql';
import {
  Check,
  Column,
  CreateDateColumn,
  Entity,
  PrimaryGeneratedColumn,
  Unique,
  UpdateDateColumn,
} from 'typeorm';

/** A coaching firm: the tenant. Its id is the `tenant_id` of every row the firm owns. */
@ObjectType({ description: 'A coaching firm (the tenant).' })
@Check('tenants_name_check', '((length(name) >= 1) AND (length(name) <= 120))')
@Check('tenants_slug_check', `(slug ~ '^[a-z0-9][a-z0-9-]{1,48}[a-z0-9]$'::text)`)
@Unique('tenants_slug_key', ['slug'])
@Entity('tenants')
export class Firm {
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

  @Field()
  @CreateDateColumn({ type: 'timestamptz' })
  createdAt: Date;

  @UpdateDateColumn({ type: 'timestamptz' })
  updatedAt: Date;
}
