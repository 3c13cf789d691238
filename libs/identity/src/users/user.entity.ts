import { Field, ID, ObjectType, registerEnumType } from '@nestjs/graphql';
import { Column, CreateDateColumn, Entity, PrimaryGeneratedColumn, UpdateDateColumn } from 'typeorm';
import { Role } from '#cairn/shared/auth';

export enum UserStatus {
  ACTIVE = 'ACTIVE',
  DEACTIVATED = 'DEACTIVATED',
}
registerEnumType(UserStatus, { name: 'UserStatus' });

@ObjectType({ description: 'A person who signs in: an admin, a coach or a client of the firm.' })
@Entity('users')
export class User {
  @Field(() => ID)
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Column('uuid')
  tenantId: string;

  @Field({ description: 'Stored lower-case; unique within the firm.' })
  @Column()
  email: string;

  @Field()
  @Column()
  displayName: string;

  @Field(() => Role)
  @Column({ type: 'text' })
  role: Role;

  @Field(() => UserStatus)
  @Column({ type: 'text', default: UserStatus.ACTIVE })
  status: UserStatus;

  @Column({ type: 'text', nullable: true, select: false })
  passwordHash: string | null;

  @Field(() => String, { nullable: true, description: 'IANA time zone; the firm default applies when empty.' })
  @Column({ type: 'text', nullable: true })
  timezone: string | null;

  @Field(() => Date, { nullable: true })
  @Column({ type: 'timestamptz', nullable: true })
  lastLoginAt: Date | null;

  @Field()
  @CreateDateColumn({ type: 'timestamptz' })
  createdAt: Date;

  @UpdateDateColumn({ type: 'timestamptz' })
  updatedAt: Date;
}
