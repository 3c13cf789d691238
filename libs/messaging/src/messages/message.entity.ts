import { Field, GraphQLISODateTime, ID, ObjectType } from '@nestjs/graphql';
import { Column, CreateDateColumn, Entity, PrimaryGeneratedColumn } from 'typeorm';
import { MessageKind } from './message-kind.enum.js';

@ObjectType({ description: 'Something Cairn sent a person (a nudge, a report, an invitation), with how each channel delivered it.' })
@Entity('messages')
export class Message {
  @Field(() => ID)
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Column('uuid')
  tenantId: string;

  @Field(() => ID, { nullable: true, description: 'Null for someone without an account yet (an invitation): see recipientEmail.' })
  @Column('uuid', { nullable: true })
  recipientUserId: string | null;

  @Field(() => String, { nullable: true, description: 'The address of a recipient without an account (an invitation).' })
  @Column({ type: 'text', nullable: true })
  recipientEmail: string | null;

  @Column({ type: 'text', nullable: true })
  recipientName: string | null;

  @Field(() => MessageKind)
  @Column({ type: 'text' })
  kind: MessageKind;

  @Field()
  @Column({ type: 'text' })
  subject: string;

  @Field({ description: 'The plain-text version.' })
  @Column({ type: 'text' })
  textBody: string;

  @Field(() => String, { nullable: true, description: 'The HTML version, when there is one.' })
  @Column({ type: 'text', nullable: true })
  htmlBody: string | null;

  /** What makes composing it twice a no-op, e.g. `nudge/<client>/<period>`. */
  @Column({ type: 'text' })
  dedupeKey: string;

  @Field(() => GraphQLISODateTime)
  @CreateDateColumn({ type: 'timestamptz' })
  createdAt: Date;
}
