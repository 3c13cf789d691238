import { Field, GraphQLISODateTime, ID, Int, ObjectType } from '@nestjs/graphql';
import { UserStatus } from '#cairn/identity';

/** A client of the firm: their login identity and their profile, as coaches and partner frontends see them. */
@ObjectType()
export class Client {
  @Field(() => ID)
  id: string;

  @Field()
  email: string;

  @Field()
  displayName: string;

  @Field(() => String, { nullable: true, description: 'The client’s own IANA time zone, if set.' })
  timezone: string | null;

  @Field({ description: 'The zone dates and reminders use: the client’s own, else the firm default.' })
  effectiveTimezone: string;

  @Field(() => String, { nullable: true })
  jobTitle: string | null;

  @Field(() => String, { nullable: true })
  organization: string | null;

  @Field(() => UserStatus, { description: 'DEACTIVATED clients cannot sign in.' })
  status: UserStatus;

  @Field(() => GraphQLISODateTime, {
    nullable: true,
    description: 'Set while the client is archived: their history stays readable but cannot be changed.',
  })
  archivedAt: Date | null;

  @Field(() => String, { nullable: true })
  archiveReason: string | null;

  @Field(() => Int, { description: 'Pass back as `expectedVersion` to detect concurrent edits.' })
  version: number;

  @Field(() => GraphQLISODateTime)
  createdAt: Date;
}
