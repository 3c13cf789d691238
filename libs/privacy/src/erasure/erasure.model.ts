import { Field, GraphQLISODateTime, ID, Int, ObjectType, registerEnumType } from '@nestjs/graphql';

export enum ErasureStatus {
  RUNNING = 'RUNNING',
  DONE = 'DONE',
}
registerEnumType(ErasureStatus, {
  name: 'ErasureStatus',
  description: 'RUNNING until every step is done (the worker resumes a crashed erasure at its step); then DONE.',
});

@ObjectType({
  description:
    'The erasure of a client: ids and progress only. It stays after the person is gone, so erasing again returns it.',
})
export class ClientErasure {
  @Field(() => ID)
  id: string;

  @Field(() => ID, { description: 'The erased (or being erased) client’s id; nothing else of them remains.' })
  clientId: string;

  @Field(() => ErasureStatus)
  status: ErasureStatus;

  @Field(() => Int)
  stepsDone: number;

  @Field(() => Int)
  stepsTotal: number;

  @Field(() => String, { nullable: true, description: 'The step the worker runs next; null once DONE.' })
  nextStep: string | null;

  @Field(() => GraphQLISODateTime)
  requestedAt: Date;

  @Field(() => GraphQLISODateTime, { nullable: true })
  completedAt: Date | null;
}
