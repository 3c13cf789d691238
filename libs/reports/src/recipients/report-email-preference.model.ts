import { Field, GraphQLISODateTime, ID, ObjectType } from '@nestjs/graphql';

@ObjectType({ description: 'Whether a coach’s progress reports also come by email (they always reach the feed).' })
export class ReportEmailPreference {
  @Field(() => ID)
  coachId: string;

  @Field({ description: 'False after the coach unsubscribed (a report email’s link or this API).' })
  email: boolean;

  @Field(() => GraphQLISODateTime, { nullable: true, description: 'When report emails were turned off; null while on.' })
  unsubscribedAt: Date | null;
}
