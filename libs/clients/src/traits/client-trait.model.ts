import { Field, GraphQLISODateTime, ID, Int, ObjectType } from '@nestjs/graphql';
import { TraitKind } from './trait-kind.enum.js';

@ObjectType({
  description:
    'A value or strength in the client’s own profile, in their own words. Goals link to it by id, so a rename keeps the links.',
})
export class ClientTrait {
  @Field(() => ID)
  id: string;

  @Field(() => ID)
  clientId: string;

  @Field(() => TraitKind)
  kind: TraitKind;

  @Field({ description: 'As the client wrote it; unique per client and kind, case-insensitively.' })
  name: string;

  @Field(() => GraphQLISODateTime, {
    nullable: true,
    description:
      'Set when the client removed it: goals keep the link, but it no longer counts for their authenticity. Adding the name again restores it.',
  })
  removedAt: Date | null;

  @Field(() => Int)
  version: number;

  @Field(() => GraphQLISODateTime)
  createdAt: Date;

  @Field(() => GraphQLISODateTime)
  updatedAt: Date;
}
