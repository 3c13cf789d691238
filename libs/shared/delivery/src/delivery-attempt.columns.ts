import { Field, GraphQLISODateTime, Int, ObjectType } from '@nestjs/graphql';
import { Column } from 'typeorm';
import { DeliveryAttemptState } from './attempt-state.js';

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- a mixin's base takes any arguments (TS2545)
type AbstractClass = abstract new (...args: any[]) => object;

/**
 * The columns and fields every channel's attempt log shares (the engine writes them: started at claim, finished
 * with the outcome), on top of `Base` (e.g. AuditColumns). Each channel adds what its sender reports (an SMTP
 * response, an HTTP status code) and its table's checks.
 */
export function DeliveryAttemptColumns<B extends AbstractClass>(Base: B) {
  @ObjectType({ isAbstract: true })
  abstract class DeliveryAttemptBase extends Base {
    @Column('uuid')
    tenantId: string;

    @Column('uuid')
    deliveryId: string;

    @Field(() => Int)
    @Column('int')
    attemptNumber: number;

    @Field(() => GraphQLISODateTime)
    @Column({ type: 'timestamptz' })
    attemptedAt: Date;

    @Field(() => Int, { description: 'How long it took; 0 until it finishes.' })
    @Column('int', { default: 0 })
    durationMs: number;

    @Field({ description: 'False until it finishes (and for one that was interrupted).' })
    @Column({ default: false })
    succeeded: boolean;

    @Field(() => DeliveryAttemptState)
    @Column({ type: 'text', default: DeliveryAttemptState.STARTED })
    state: DeliveryAttemptState;

    @Field(() => GraphQLISODateTime, { nullable: true, description: 'Null while in flight, or when it was interrupted.' })
    @Column({ type: 'timestamptz', nullable: true })
    finishedAt: Date | null;
  }
  return DeliveryAttemptBase;
}
