import { Field, GraphQLISODateTime, ID, ObjectType } from '@nestjs/graphql';
import { Column, CreateDateColumn, Entity, PrimaryGeneratedColumn } from 'typeorm';

/** A coach's objective feedback on a check-in; the client reads it. */
@ObjectType()
@Entity('checkin_feedback')
export class CheckInFeedback {
  @Field(() => ID)
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Column('uuid')
  tenantId: string;

  @Field(() => ID)
  @Column('uuid')
  checkInId: string;

  @Field(() => ID)
  @Column('uuid')
  authorUserId: string;

  @Field()
  @Column()
  body: string;

  @Field(() => GraphQLISODateTime)
  @CreateDateColumn({ type: 'timestamptz' })
  createdAt: Date;
}
