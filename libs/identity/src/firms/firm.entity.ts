import { Field, ID, ObjectType } from '@nestjs/graphql';
import { Column, CreateDateColumn, Entity, PrimaryGeneratedColumn, UpdateDateColumn } from 'typeorm';

/** A coaching firm: the tenant. Its id is the `tenant_id` of every row the firm owns. */
@ObjectType({ description: 'A coaching firm (the tenant).' })
@Entity('tenants')
export class Firm {
  @Field(() => ID)
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Field()
  @Column()
  name: string;

  @Field({ description: 'Unique, URL-safe name used to log in.' })
  @Column()
  slug: string;

  @Field({ description: 'IANA time zone used when a person has none of their own.' })
  @Column()
  defaultTimezone: string;

  @Field()
  @CreateDateColumn({ type: 'timestamptz' })
  createdAt: Date;

  @UpdateDateColumn({ type: 'timestamptz' })
  updatedAt: Date;
}
