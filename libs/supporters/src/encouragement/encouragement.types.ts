import { Field, GraphQLISODateTime, ID, ObjectType } from '@nestjs/graphql';

@ObjectType({ description: 'A message a supporter sent the client; it reaches their feed and `supporter.encouraged` webhooks.' })
export class Encouragement {
  @Field(() => ID)
  id: string;

  @Field()
  message: string;

  @Field(() => ID, { nullable: true })
  goalId: string | null;

  @Field(() => GraphQLISODateTime)
  createdAt: Date;
}
