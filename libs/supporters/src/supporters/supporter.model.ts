import { Field, GraphQLISODateTime, ID, Int, ObjectType } from '@nestjs/graphql';
import { SupporterRelationship } from './supporter.enums.js';

@ObjectType({ description: 'Someone a client invited to follow the goals they share with them. Not a firm user.' })
export class Supporter {
  @Field(() => ID)
  id: string;

  @Field(() => ID)
  clientId: string;

  @Field()
  email: string;

  @Field()
  displayName: string;

  @Field(() => SupporterRelationship)
  relationship: SupporterRelationship;

  @Field(() => String, { nullable: true, description: 'The supporter’s own IANA zone, for their digest.' })
  timezone: string | null;

  @Field(() => String, {
    nullable: true,
    description: 'Set when a coach invited for the client: the client’s consent, as the coach recorded it.',
  })
  consentNote: string | null;

  @Field(() => ID, { nullable: true })
  invitedByUserId: string | null;

  @Field(() => GraphQLISODateTime, { nullable: true, description: 'Set once revoked: their sessions ended then.' })
  revokedAt: Date | null;

  @Field(() => [ID], { description: 'The goals the client shares with them.' })
  sharedGoalIds: string[];

  @Field(() => Int)
  version: number;

  @Field(() => GraphQLISODateTime)
  createdAt: Date;
}

@ObjectType({ description: 'A supporter and their sign-in link (shown once; also emailed when configured).' })
export class SupporterLinkPayload {
  @Field(() => Supporter)
  supporter: Supporter;

  @Field({ description: 'Single use: `exchangeSupporterLink(token)` turns it into a supporter session.' })
  token: string;

  @Field(() => GraphQLISODateTime)
  expiresAt: Date;
}
